import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

interface ConfirmDialogProps {
  opened: boolean;
  title: ReactNode;
  /** What happens, in a sentence or two. */
  children: ReactNode;
  confirmLabel: string;
  /** The way out, worded for the case: "Keep it", "Cancel". */
  keepLabel?: string;
  /** Red for what cannot be undone. */
  danger?: boolean;
  pending?: boolean;
  /** The server's refusal, shown above the buttons. */
  error?: Error | null | undefined;
  onConfirm: () => void;
  onClose: () => void;
}

/** Asks once more before a change that signs people out, revokes or deletes. */
export function ConfirmDialog({
  opened,
  title,
  children,
  confirmLabel,
  keepLabel = 'Cancel',
  danger = false,
  pending = false,
  error,
  onConfirm,
  onClose,
}: ConfirmDialogProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={700}>{title}</Text>}>
      <Stack>
        <Text size="sm">{children}</Text>
        {error && (
          <Alert color="red" role="alert" p="xs">
            {error.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {keepLabel}
          </Button>
          <Button color={danger ? 'red' : undefined} loading={pending} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

import { Button, Code, CopyButton, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

interface ShownOnceProps {
  opened: boolean;
  secret: string;
  title: string;
  /** What the secret is for, above it. */
  children: ReactNode;
  /** How to use it, below it. */
  usage?: ReactNode;
  copyLabel: string;
  testId: string;
  onClose: () => void;
}

/**
 * The one moment a secret (a generated password, an API token) is on screen: the server keeps only its
 * hash, so the dialog says so, offers a copy button, and closes only when asked.
 */
export function ShownOnce({
  opened,
  secret,
  title,
  children,
  usage,
  copyLabel,
  testId,
  onClose,
}: ShownOnceProps) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={<Text fw={700}>{title}</Text>}
      size="lg"
      closeOnClickOutside={false}
    >
      <Stack gap="sm">
        {children}
        <Code block fz="md" data-testid={testId}>
          {secret}
        </Code>
        {usage}
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm" fw={600} c="orange.8">
            Shown only once: Lockstep keeps no copy it could show again.
          </Text>
          <Group gap="xs" wrap="nowrap">
            <CopyButton value={secret}>
              {({ copied, copy }) => (
                <Button variant="light" color={copied ? 'teal' : 'blue'} onClick={copy}>
                  {copied ? 'Copied' : copyLabel}
                </Button>
              )}
            </CopyButton>
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}

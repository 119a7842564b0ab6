import { Button, Popover, SimpleGrid, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { RejectionReasonOption } from '../api/queue.ts';

interface RejectButtonProps {
  leadName: string;
  reasons: readonly RejectionReasonOption[];
  disabled?: boolean;
  loading?: boolean;
  onReject: (reason: string, note: string | undefined) => void;
}

/**
 * Reject in two clicks: "Reject", then the reason (which sends it). A note for marketing is optional and
 * typed before the reason. "Not now" is set apart: it returns the lead to marketing's nurture.
 */
export function RejectButton({ leadName, reasons, disabled, loading, onReject }: RejectButtonProps) {
  const [opened, setOpened] = useState(false);
  const [note, setNote] = useState('');
  const notNow = reasons.find((reason) => reason.key === 'not_now');
  const others = reasons.filter((reason) => reason.key !== 'not_now');
  const send = (reason: string) => {
    setOpened(false);
    onReject(reason, note.trim() || undefined);
    setNote('');
  };
  return (
    <Popover
      opened={opened}
      onChange={setOpened}
      width={360}
      position="bottom-end"
      withArrow
      shadow="md"
      trapFocus
    >
      <Popover.Target>
        <Button
          size="xs"
          color="red"
          variant="light"
          disabled={disabled}
          loading={loading}
          onClick={() => setOpened((open) => !open)}
          aria-label={`Reject ${leadName}`}
        >
          Reject…
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs" role="group" aria-label={`Why reject ${leadName}?`}>
          <Text size="sm" fw={600}>
            Why? Pick a reason — it is sent right away.
          </Text>
          <Textarea
            label="Note for marketing (optional)"
            placeholder="e.g. they just signed with a competitor"
            autosize
            minRows={1}
            maxRows={4}
            size="xs"
            value={note}
            onChange={(event) => setNote(event.currentTarget.value)}
          />
          {notNow && (
            <Button
              size="xs"
              variant="light"
              color="grape"
              onClick={() => send(notNow.key)}
              aria-label={notNow.label}
              styles={{ label: { whiteSpace: 'normal' } }}
              h="auto"
              py={6}
            >
              {notNow.label} — back to marketing's nurture, not the bin
            </Button>
          )}
          <SimpleGrid cols={2} spacing={6} verticalSpacing={6}>
            {others.map((reason) => (
              <Button key={reason.key} size="xs" variant="default" onClick={() => send(reason.key)}>
                {reason.label}
              </Button>
            ))}
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            Every reason other than "Not now" disqualifies the lead. Marketing sees the reasons by source,
            campaign and segment.
          </Text>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  MultiSelect,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { type CreatedEndpoint, eventLabels, useCreateEndpoint } from '../api/notifications.ts';
import { useReps } from '../api/queue.ts';

const eventChoices = [
  { value: 'lead.assigned', label: eventLabels['lead.assigned'] },
  { value: 'sla.breached', label: eventLabels['sla.breached'] },
  { value: 'sla.escalated', label: eventLabels['sla.escalated'] },
  { value: '*', label: 'Every event' },
];

/** The form to add an endpoint, and the one moment its signing secret is shown. */
export function AddEndpoint() {
  const create = useCreateEndpoint();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>(['lead.assigned']);
  const [recipient, setRecipient] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedEndpoint | null>(null);
  const reps = useReps();
  // Validation errors name their field first ("body.url: must be …"): show them under that field.
  const fieldError = (field: string) =>
    create.error?.message.startsWith(`body.${field}`)
      ? create.error.message.replace(/^body\.\w+(\.\d+)?: /, '')
      : undefined;

  return (
    <>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(
            { url: url.trim(), description, events, recipientUserId: recipient },
            {
              onSuccess: (result) => {
                setCreated(result);
                setUrl('');
                setDescription('');
                setRecipient(null);
              },
            },
          );
        }}
      >
        <Group align="flex-start" gap="sm">
          <TextInput
            label="URL"
            placeholder="https://hooks.slack.com/services/… or your own receiver"
            value={url}
            onChange={(event) => setUrl(event.currentTarget.value)}
            required
            w={440}
            error={fieldError('url')}
          />
          <TextInput
            label="Description"
            placeholder="e.g. #sales-alerts in Slack"
            value={description}
            onChange={(event) => setDescription(event.currentTarget.value)}
            w={300}
          />
        </Group>
        <Group align="flex-start" gap="sm" mt="xs">
          <MultiSelect
            label="Events"
            data={eventChoices}
            value={events}
            onChange={setEvents}
            w={440}
            error={fieldError('events')}
          />
          <Select
            label="Whose notifications"
            placeholder="Everyone's"
            clearable
            searchable
            data={(reps.data ?? []).map((rep) => ({ value: rep.userId, label: rep.name }))}
            value={recipient}
            onChange={setRecipient}
            w={300}
          />
          <Button
            type="submit"
            mt={25}
            loading={create.isPending}
            disabled={!url.trim() || events.length === 0}
          >
            Add endpoint
          </Button>
        </Group>
        {create.isError && !fieldError('url') && !fieldError('events') && (
          <Alert color="red" mt="sm">
            {create.error.message}
          </Alert>
        )}
      </form>

      <Modal
        opened={created !== null}
        onClose={() => setCreated(null)}
        title="Copy the signing secret now"
        size="lg"
        closeOnClickOutside={false}
      >
        {created && (
          <Stack>
            <Text size="sm">
              Requests to <b>{created.endpoint.url}</b> are signed with this secret (header{' '}
              <Code>Lockstep-Signature</Code>). Give it to whoever runs the receiver.{' '}
              <b>Lockstep will not show it again.</b>
            </Text>
            <Code block data-testid="webhook-secret">
              {created.secret}
            </Code>
            <Group justify="space-between">
              <Text size="xs" c="dimmed">
                How receivers check it: docs/webhooks.md (Slack does not need it).
              </Text>
              <Group gap="xs">
                <CopyButton value={created.secret}>
                  {({ copied, copy }) => (
                    <Button variant="light" color={copied ? 'teal' : 'blue'} onClick={copy}>
                      {copied ? 'Copied' : 'Copy secret'}
                    </Button>
                  )}
                </CopyButton>
                <Button onClick={() => setCreated(null)}>Done</Button>
              </Group>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}

import { Alert, Button, Code, Group, Modal, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import {
  type Delivery,
  type DeliveryFilter,
  useDeleteEndpoint,
  useDeliveries,
  useNotificationSettings,
  useSetEndpointActive,
  useTestEndpoint,
  useWebhookEndpoints,
  type WebhookEndpoint,
} from '../api/notifications.ts';
import type { User } from '../api/types.ts';
import { AddEndpoint } from '../integrations/AddEndpoint.tsx';
import { DeliveryLog } from '../integrations/DeliveryLog.tsx';
import { EndpointsTable } from '../integrations/EndpointsTable.tsx';

/** Admins: are notifications reaching people, and where do they go? */
export function IntegrationsPage({ user }: { user: User }) {
  if (user.role !== 'admin') {
    return (
      <Alert color="gray" title="Integrations are set up by admins">
        Ask an admin to add a webhook (Slack or your own system) for your notifications.
      </Alert>
    );
  }
  return <Integrations />;
}

function Integrations() {
  const endpoints = useWebhookEndpoints();
  const settings = useNotificationSettings();
  const recent = useDeliveries({}, 200);
  const [filter, setFilter] = useState<DeliveryFilter>({});
  const [limit, setLimit] = useState(50);
  const log = useDeliveries(filter, limit);
  const test = useTestEndpoint();
  const toggle = useSetEndpointActive();
  const remove = useDeleteEndpoint();
  const [testResult, setTestResult] = useState<Delivery | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpoint | null>(null);
  const endpointUrl = endpoints.data?.find((e) => e.id === filter.endpointId)?.url;

  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={2}>Integrations</Title>
        <Text size="sm" c="dimmed">
          Where Lockstep sends its notifications (lead assigned, SLA breached or escalated): by email to the
          person concerned, and to the webhooks below — Slack or your own systems.
        </Text>
      </div>

      {recent.data && <Text fw={500}>{summary(recent.data.items)}</Text>}

      {settings.data &&
        (settings.data.email.configured ? (
          <Text size="sm">
            ✉ Email is on: sent from <Code>{settings.data.email.from}</Code>.
          </Text>
        ) : (
          <Alert color="yellow" title="Email is off">
            Notifications are not emailed until the server has <Code>LOCKSTEP_SMTP_URL</Code> and{' '}
            <Code>LOCKSTEP_MAIL_FROM</Code> set (see docs/webhooks.md). Webhooks work without it.
          </Alert>
        ))}

      <Paper withBorder p="md">
        <Stack gap="sm">
          <Title order={4}>Webhook endpoints</Title>
          <AddEndpoint />
          {endpoints.isPending && <Skeleton height={80} />}
          {endpoints.isError && <Alert color="red">{endpoints.error.message}</Alert>}
          {endpoints.data?.length === 0 && (
            <Text size="sm" c="dimmed">
              No endpoints yet. Add a Slack incoming-webhook URL above to post new MQLs into a channel.
            </Text>
          )}
          {testResult && <TestResult delivery={testResult} onClose={() => setTestResult(null)} />}
          {test.isError && <Alert color="red">{test.error.message}</Alert>}
          {endpoints.data && endpoints.data.length > 0 && (
            <EndpointsTable
              endpoints={endpoints.data}
              testingId={test.isPending ? (test.variables ?? null) : null}
              onTest={(endpoint) => test.mutate(endpoint.id, { onSuccess: setTestResult })}
              onToggle={(endpoint) => toggle.mutate({ id: endpoint.id, active: !endpoint.active })}
              onDelete={setDeleting}
              onShowLog={(endpoint) => setFilter({ endpointId: endpoint.id })}
            />
          )}
        </Stack>
      </Paper>

      <Paper withBorder p="md">
        <Stack gap="sm">
          <Title order={4}>Delivery log</Title>
          {settings.data && (
            <Text size="xs" c="dimmed">
              A failed delivery is tried again after {settings.data.retries.firstRetrySeconds} s, then{' '}
              {settings.data.retries.backoffFactor}× longer each time, {settings.data.retries.maxAttempts}{' '}
              attempts in all. Click a delivery to see each attempt.
            </Text>
          )}
          {log.isError && <Alert color="red">{log.error.message}</Alert>}
          {log.isPending && <Skeleton height={160} />}
          {log.data && (
            <DeliveryLog
              deliveries={log.data.items}
              filter={filter}
              endpointUrl={endpointUrl}
              hasMore={log.data.nextCursor !== null}
              onFilter={(next) => {
                setFilter(next);
                setLimit(50);
              }}
              onMore={() => setLimit(Math.min(limit + 100, 500))}
            />
          )}
        </Stack>
      </Paper>

      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title="Delete this endpoint?">
        <Stack>
          <Text size="sm">
            <b>{deleting?.url}</b> will get no more notifications; retries still waiting are dropped. Its past
            deliveries stay in the log.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)}>
              Keep it
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() => deleting && remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
            >
              Delete
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function summary(items: Delivery[]): string {
  if (items.length === 0) return 'Nothing has been sent yet.';
  const count = (status: Delivery['status']) => items.filter((d) => d.status === status).length;
  const failed = count('failed');
  const pending = count('pending');
  const sent = items.length - count('skipped');
  const parts = [`${count('delivered')} of the last ${sent} deliveries arrived`];
  if (failed > 0) parts.push(`${failed} failed for good`);
  if (pending > 0) parts.push(`${pending} ${pending === 1 ? 'is' : 'are'} being retried`);
  return `${parts.join(', ')}.`;
}

function TestResult({ delivery, onClose }: { delivery: Delivery; onClose(): void }) {
  const attempt = delivery.attempts[0];
  const ok = delivery.status === 'delivered';
  return (
    <Alert
      color={ok ? 'teal' : 'red'}
      withCloseButton
      onClose={onClose}
      title={ok ? 'Test delivered' : 'Test failed'}
    >
      {ok
        ? `${delivery.target} answered HTTP ${attempt?.httpStatus} in ${attempt?.durationMs} ms.`
        : `${delivery.target} did not accept the test. ${delivery.lastError ?? ''}`}
    </Alert>
  );
}

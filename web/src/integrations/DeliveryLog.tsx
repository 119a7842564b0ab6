import { Anchor, Badge, Button, Group, SegmentedControl, Select, Table, Text, Tooltip } from '@mantine/core';
import { Fragment, useState } from 'react';
import type { Delivery, DeliveryAttempt, DeliveryFilter } from '../api/notifications.ts';
import { countOf } from '../format.ts';
import { eventLabel } from './EndpointsTable.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { ago, exactTime } from './time.ts';

interface Props {
  deliveries: Delivery[];
  filter: DeliveryFilter;
  endpointUrl: string | undefined;
  hasMore: boolean;
  onFilter(filter: DeliveryFilter): void;
  onMore(): void;
}

const statusChoices = [
  { value: 'all', label: 'All' },
  { value: 'failed', label: 'Failed' },
  { value: 'pending', label: 'Retrying' },
  { value: 'delivered', label: 'Delivered' },
  { value: 'skipped', label: 'Skipped' },
];

/** Every delivery, newest first; a row opens to show each attempt and what the other side said. */
export function DeliveryLog({ deliveries, filter, endpointUrl, hasMore, onFilter, onMore }: Props) {
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      <Group gap="sm" align="flex-end">
        <SegmentedControl
          size="xs"
          data={statusChoices}
          value={filter.status ?? 'all'}
          onChange={(value) =>
            onFilter({ ...filter, status: value === 'all' ? undefined : (value as DeliveryFilter['status']) })
          }
        />
        <Select
          size="xs"
          w={140}
          data={[
            { value: 'all', label: 'Webhook & email' },
            { value: 'webhook', label: 'Webhooks' },
            { value: 'email', label: 'Email' },
          ]}
          value={filter.channel ?? 'all'}
          allowDeselect={false}
          onChange={(value) =>
            onFilter({
              ...filter,
              channel: value === 'all' ? undefined : (value as DeliveryFilter['channel']),
            })
          }
        />
        {endpointUrl && (
          <Badge
            variant="outline"
            size="lg"
            tt="none"
            rightSection={
              <Anchor size="xs" onClick={() => onFilter({ ...filter, endpointId: undefined })}>
                ✕
              </Anchor>
            }
          >
            {endpointUrl}
          </Badge>
        )}
      </Group>
      {deliveries.length === 0 ? (
        <Text c="dimmed" size="sm">
          No deliveries
          {filter.status || filter.channel || filter.endpointId ? ' match these filters' : ' yet'}.
          Notifications appear here as soon as Lockstep sends them.
        </Text>
      ) : (
        <Table verticalSpacing={6} highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Event</Table.Th>
              <Table.Th>To</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Attempts</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {deliveries.map((d) => (
              <Fragment key={d.id}>
                <Table.Tr
                  style={{ cursor: 'pointer' }}
                  onClick={() => setOpen(open === d.id ? null : d.id)}
                  aria-expanded={open === d.id}
                >
                  <Table.Td>
                    <Tooltip label={exactTime(d.createdAt)}>
                      <Text size="sm">{ago(d.createdAt)}</Text>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td maw={320}>
                    <Text size="sm" truncate="end" title={d.subject}>
                      {d.subject}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {eventLabel(d.event)}
                      {d.recipientName ? ` · for ${d.recipientName}` : ''}
                    </Text>
                  </Table.Td>
                  <Table.Td maw={280}>
                    <Text size="sm" truncate="end" title={d.target}>
                      {d.channel === 'email' ? '✉ ' : '↗ '}
                      {d.target}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={d.status} />
                    <Text size="xs" c="dimmed" maw={260} lineClamp={1} title={d.lastError ?? undefined}>
                      {statusLine(d)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{d.attempts.length}</Text>
                  </Table.Td>
                </Table.Tr>
                {open === d.id && (
                  <Table.Tr>
                    <Table.Td colSpan={5} bg="var(--mantine-color-gray-0)">
                      <Attempts attempts={d.attempts} />
                    </Table.Td>
                  </Table.Tr>
                )}
              </Fragment>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {hasMore && (
        <Button variant="subtle" size="xs" onClick={onMore}>
          Show older deliveries
        </Button>
      )}
    </>
  );
}

function statusLine(d: Delivery): string {
  if (d.status === 'pending' && d.nextAttemptAt) return `next attempt ${ago(d.nextAttemptAt)}`;
  if (d.status === 'delivered' && d.deliveredAt) return `after ${countOf(d.attempts.length, 'attempt')}`;
  return d.lastError ?? '';
}

function Attempts({ attempts }: { attempts: DeliveryAttempt[] }) {
  if (attempts.length === 0) return <Text size="xs">No attempt was made.</Text>;
  return (
    <Table fz="xs" withRowBorders={false} verticalSpacing={2}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>#</Table.Th>
          <Table.Th>At</Table.Th>
          <Table.Th>Took</Table.Th>
          <Table.Th>Answer</Table.Th>
          <Table.Th>Error</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {attempts.map((a) => (
          <Table.Tr key={a.attemptNo}>
            <Table.Td>{a.attemptNo}</Table.Td>
            <Table.Td>{exactTime(a.attemptedAt)}</Table.Td>
            <Table.Td>{a.durationMs} ms</Table.Td>
            <Table.Td c={a.ok ? 'teal' : 'red'}>
              {a.httpStatus !== null ? `HTTP ${a.httpStatus}` : (a.smtpResponse ?? (a.ok ? 'ok' : '—'))}
            </Table.Td>
            <Table.Td>{a.error ?? ''}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

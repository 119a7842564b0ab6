import { ActionIcon, Badge, Button, Group, Menu, Table, Text, Tooltip } from '@mantine/core';
import { eventLabels, type WebhookEndpoint } from '../api/notifications.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { ago, exactTime } from './time.ts';

interface Props {
  endpoints: WebhookEndpoint[];
  testingId: string | null;
  onTest(endpoint: WebhookEndpoint): void;
  onToggle(endpoint: WebhookEndpoint): void;
  onDelete(endpoint: WebhookEndpoint): void;
  onShowLog(endpoint: WebhookEndpoint): void;
}

export function eventLabel(event: string): string {
  if (event === '*') return 'Every event';
  return (eventLabels as Record<string, string>)[event] ?? event;
}

/** One row per endpoint: where it posts, what it listens to, and how its last delivery went. */
export function EndpointsTable({ endpoints, testingId, onTest, onToggle, onDelete, onShowLog }: Props) {
  return (
    <Table verticalSpacing="sm" highlightOnHover>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Endpoint</Table.Th>
          <Table.Th>Receives</Table.Th>
          <Table.Th>Last delivery</Table.Th>
          <Table.Th w={220} />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {endpoints.map((endpoint) => (
          <Table.Tr key={endpoint.id} opacity={endpoint.active ? 1 : 0.6}>
            <Table.Td maw={380}>
              <Group gap="xs" wrap="nowrap">
                <Text size="sm" fw={500} truncate="end" title={endpoint.url}>
                  {endpoint.url}
                </Text>
                {!endpoint.active && (
                  <Badge color="gray" variant="outline" size="sm">
                    paused
                  </Badge>
                )}
              </Group>
              <Text size="xs" c="dimmed">
                {[endpoint.description, endpoint.recipientName && `only for ${endpoint.recipientName}`]
                  .filter(Boolean)
                  .join(' · ') || 'No description'}
              </Text>
            </Table.Td>
            <Table.Td>
              <Group gap={4}>
                {endpoint.events.map((event) => (
                  <Badge key={event} variant="light" size="sm" tt="none">
                    {eventLabel(event)}
                  </Badge>
                ))}
              </Group>
            </Table.Td>
            <Table.Td>
              {endpoint.lastDeliveryAt && endpoint.lastDeliveryStatus ? (
                <Group gap="xs">
                  <StatusBadge status={endpoint.lastDeliveryStatus} />
                  <Tooltip label={exactTime(endpoint.lastDeliveryAt)}>
                    <Text size="xs" c="dimmed">
                      {ago(endpoint.lastDeliveryAt)}
                    </Text>
                  </Tooltip>
                </Group>
              ) : (
                <Text size="xs" c="dimmed">
                  Nothing sent yet
                </Text>
              )}
            </Table.Td>
            <Table.Td>
              <Group gap="xs" justify="flex-end" wrap="nowrap">
                <Button
                  size="xs"
                  variant="light"
                  loading={testingId === endpoint.id}
                  onClick={() => onTest(endpoint)}
                >
                  Send test
                </Button>
                <Button size="xs" variant="subtle" onClick={() => onShowLog(endpoint)}>
                  Log
                </Button>
                <Menu position="bottom-end" withinPortal>
                  <Menu.Target>
                    <ActionIcon variant="subtle" color="gray" aria-label={`More for ${endpoint.url}`}>
                      ⋯
                    </ActionIcon>
                  </Menu.Target>
                  <Menu.Dropdown>
                    <Menu.Item onClick={() => onToggle(endpoint)}>
                      {endpoint.active ? 'Pause' : 'Resume'}
                    </Menu.Item>
                    <Menu.Item color="red" onClick={() => onDelete(endpoint)}>
                      Delete…
                    </Menu.Item>
                  </Menu.Dropdown>
                </Menu>
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

import { Paper, Table, Text, Title } from '@mantine/core';
import type { Activity } from '../api/types.ts';
import { formatDate, humanize, humanizeValue } from '../format.ts';
import { activityLabel } from '../leadDefinition/vocabulary.ts';

/** What the lead did lately, newest first: what engagement rules count. */
export function RecentActivities({ activities, more }: { activities: Activity[]; more: boolean }) {
  return (
    <Paper withBorder p="md" h="100%">
      <Title order={4} mb="xs">
        Recent activities
      </Title>
      {activities.length === 0 ? (
        <Text size="sm" c="dimmed">
          No activities recorded for this lead.
        </Text>
      ) : (
        <Table aria-label="Recent activities" verticalSpacing={4} fz="sm">
          <Table.Tbody>
            {activities.map((activity) => (
              <Table.Tr key={activity.id}>
                <Table.Td c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {formatDate(activity.occurredAt)}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{activityLabel(activity.type)}</Table.Td>
                <Table.Td>{details(activity.properties)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {more && (
        <Text size="xs" c="dimmed" mt={4}>
          Showing the latest {activities.length}.
        </Text>
      )}
    </Paper>
  );
}

const internalId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `{ form: "demo_request", attended: false }` → "Form: Demo request · Attended: no"; internal ids mean
 * nothing to a reader and are left out.
 */
function details(properties: Record<string, unknown>): string {
  return Object.entries(properties)
    .filter(([, value]) => !(typeof value === 'string' && internalId.test(value)))
    .map(([key, value]) => `${humanize(key)}: ${humanizeValue(value)}`)
    .join(' · ');
}

import { Anchor, Badge, Button, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import type { QueueItem, RejectionReasonOption } from '../api/queue.ts';
import { humanize } from '../format.ts';
import { leadPath, navigate } from '../router.ts';
import { dueWords } from './dispositionWords.ts';
import { RejectButton } from './RejectButton.tsx';
import { ScoreWhy } from './ScoreWhy.tsx';
import { minutesLeft, timeLeftWords, urgencyColors, urgencyOf } from './urgency.ts';

interface QueueTableProps {
  items: readonly QueueItem[];
  now: number;
  reasons: readonly RejectionReasonOption[];
  /** The lead whose verdict is being sent. */
  busyPersonId: string | null;
  onAccept: (item: QueueItem) => void;
  onReject: (item: QueueItem, reason: string, note: string | undefined) => void;
  onLogInsight: (item: QueueItem) => void;
}

/** The MQLs waiting for a verdict, most urgent first: time left, who the lead is, why they scored, and the verdict. */
export function QueueTable({
  items,
  now,
  reasons,
  busyPersonId,
  onAccept,
  onReject,
  onLogInsight,
}: QueueTableProps) {
  const sorted = [...items].sort((a, b) => urgencyRank(a, now) - urgencyRank(b, now));
  return (
    <Table aria-label="My queue" verticalSpacing="sm" highlightOnHover>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={180}>Time to answer</Table.Th>
          <Table.Th>Lead</Table.Th>
          <Table.Th w={300}>Why an MQL</Table.Th>
          <Table.Th w={190}>Routed by</Table.Th>
          <Table.Th w={260}>Verdict</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {sorted.map((item) => {
          const left = minutesLeft(item, now);
          const urgency = urgencyOf(left);
          const name = item.name ?? item.email ?? 'Unnamed lead';
          return (
            <Table.Tr key={item.assignmentId} data-person-id={item.personId} data-urgency={urgency}>
              <Table.Td style={{ borderLeft: `4px solid var(--mantine-color-${urgencyColors[urgency]}-6)` }}>
                <Stack gap={2}>
                  <Badge
                    color={urgencyColors[urgency]}
                    variant={urgency === 'overdue' ? 'filled' : 'light'}
                    tt="none"
                    size="lg"
                    data-testid="time-left"
                  >
                    {timeLeftWords(left)}
                  </Badge>
                  {item.acceptDueAt && (
                    <Text size="xs" c="dimmed">
                      due {dueWords(item.acceptDueAt)}
                    </Text>
                  )}
                </Stack>
              </Table.Td>
              <Table.Td>
                <Anchor
                  fw={600}
                  href={leadPath(item.personId)}
                  onClick={(event) => {
                    event.preventDefault();
                    navigate(leadPath(item.personId));
                  }}
                >
                  {name}
                </Anchor>
                <Text size="sm">
                  {[item.title, item.accountName].filter(Boolean).join(' at ') || item.email}
                </Text>
                <Text size="xs" c="dimmed">
                  {item.source ? `source: ${humanize(item.source)}` : 'source unknown'}
                </Text>
              </Table.Td>
              <Table.Td>
                <ScoreWhy item={item} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">{item.rule}</Text>
                <Text size="xs" c={item.touched ? 'teal' : 'dimmed'}>
                  {item.touched ? '✓ contacted' : 'not contacted yet'}
                </Text>
              </Table.Td>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <Tooltip label="Sales takes it: the lead moves to Sales-accepted (SAL)">
                    <Button
                      size="xs"
                      color="teal"
                      disabled={busyPersonId !== null}
                      loading={busyPersonId === item.personId}
                      onClick={() => onAccept(item)}
                      aria-label={`Accept ${name}`}
                    >
                      Accept
                    </Button>
                  </Tooltip>
                  <RejectButton
                    leadName={name}
                    reasons={reasons}
                    disabled={busyPersonId !== null}
                    onReject={(reason, note) => onReject(item, reason, note)}
                  />
                  <Button
                    size="xs"
                    variant="subtle"
                    onClick={() => onLogInsight(item)}
                    aria-label={`Log insight on ${name}`}
                  >
                    Insight
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

/** Overdue first (most overdue on top), then least time left; leads without an SLA last. */
function urgencyRank(item: QueueItem, now: number): number {
  const left = minutesLeft(item, now);
  return left === null ? Number.MAX_SAFE_INTEGER : left;
}

import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useAssignments, useDisposition, useLeadInsights } from '../api/queue.ts';
import { useCurrentUser } from '../api/session.ts';
import { formatDate } from '../format.ts';
import { dueWords, nextStageWords, verdictWords } from './dispositionWords.ts';
import { InsightModal } from './InsightModal.tsx';
import { minutesLeft, timeLeftWords, urgencyColors, urgencyOf } from './urgency.ts';
import { useNow } from './useNow.ts';

/**
 * On the lead page: who the lead is assigned to, by which rule, when the answer is due, sales' verdict, and
 * what reps heard in the field (an accepted lead has left the queue, so insights are logged from here too).
 */
export function LeadHandoff({ personId, leadName }: { personId: string; leadName: string }) {
  const user = useCurrentUser();
  const assignments = useAssignments(personId);
  const disposition = useDisposition(personId);
  const insights = useLeadInsights(personId);
  const now = useNow();
  const [logging, setLogging] = useState(false);
  const canLog = user.data?.role === 'admin' || user.data?.role === 'sales';
  const current = assignments.data?.findLast((a) => a.endedAt === null) ?? assignments.data?.at(-1);
  const verdict = disposition.data;
  const left = verdict || !current ? null : minutesLeft(current, now);
  return (
    <Stack gap={2} mt={4} data-testid="lead-handoff">
      {current && (
        <Group gap={6}>
          <Text size="sm">
            Assigned to <b>{current.userName}</b> by {current.rule} on {formatDate(current.assignedAt)}.
          </Text>
          {verdict ? (
            <Text size="sm" fw={600} c={verdict.decision === 'accepted' ? 'teal.8' : 'red.8'}>
              {verdictWords(verdict.userName ?? 'Sales', 'it', verdict)} on {formatDate(verdict.decidedAt)}:{' '}
              {nextStageWords(verdict.stage)}.{verdict.note ? ` “${verdict.note}”` : ''}
            </Text>
          ) : current.acceptDueAt ? (
            <Text size="sm" fw={600} c={`${urgencyColors[urgencyOf(left)]}.8`}>
              Answer due {dueWords(current.acceptDueAt)} ({timeLeftWords(left)}).
            </Text>
          ) : (
            <Text size="sm" c="dimmed">
              Waiting for sales' verdict.
            </Text>
          )}
        </Group>
      )}
      {(insights.data?.length || canLog) && (
        <Group gap={6} data-testid="lead-insights">
          {insights.data?.slice(0, 3).map((insight) => (
            <Text size="sm" key={insight.id}>
              <Badge size="xs" variant="light" tt="none" mr={4}>
                {insight.kindLabel}
                {insight.competitor ? `: ${insight.competitor}` : ''}
              </Badge>
              “{insight.text}” — {insight.userName ?? 'a rep'}, {formatDate(insight.createdAt)}
            </Text>
          ))}
          {canLog && (
            <Button size="compact-xs" variant="subtle" onClick={() => setLogging(true)}>
              Log field insight
            </Button>
          )}
        </Group>
      )}
      <InsightModal
        lead={logging ? { personId, name: leadName } : null}
        onClose={() => setLogging(false)}
        onLogged={() => undefined}
      />
    </Stack>
  );
}

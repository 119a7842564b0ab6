import {
  Alert,
  Anchor,
  CloseButton,
  Group,
  Paper,
  Select,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { type QueueItem, useDispose, useQueue, useReasons, useReps } from '../api/queue.ts';
import type { User } from '../api/types.ts';
import { dispositionErrorWords, nextStageWords, verdictWords } from '../queue/dispositionWords.ts';
import { InsightModal } from '../queue/InsightModal.tsx';
import { QueueTable } from '../queue/QueueTable.tsx';
import { queueChoices } from '../queue/queueChoices.ts';
import { queueSentence } from '../queue/urgency.ts';
import { useNow } from '../queue/useNow.ts';
import { leadPath, navigate } from '../router.ts';

interface Outcome {
  id: number;
  personId: string;
  ok: boolean;
  words: string;
}

/** A sales rep: which leads must I answer today, and why are they sales-ready? Admins pick any rep. */
export function QueuePage({ user }: { user: User }) {
  if (user.role !== 'admin' && user.role !== 'sales') {
    return (
      <Alert color="gray" title="The queue belongs to sales reps">
        Reps accept or reject their MQLs here. See how the hand-off is going under Promises and Feedback.
      </Alert>
    );
  }
  return <Queue user={user} />;
}

function Queue({ user }: { user: User }) {
  const [repId, setRepId] = useState<string | null>(null);
  const queue = useQueue(repId);
  const reasons = useReasons();
  const reps = useReps();
  const others = queueChoices(user, reps.data ?? []);
  const dispose = useDispose();
  const now = useNow();
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const [insightFor, setInsightFor] = useState<{ personId: string; name: string } | null>(null);

  const whoseId = repId ?? user.id;
  const whoseName =
    whoseId === user.id ? 'you' : (reps.data?.find((r) => r.userId === whoseId)?.name ?? 'this rep');
  const record = (personId: string, ok: boolean, words: string) =>
    setOutcomes((list) => [{ id: Date.now() + Math.random(), personId, ok, words }, ...list].slice(0, 5));

  const decide = (
    item: QueueItem,
    body: { decision: 'accept' | 'reject'; reason?: string; note?: string },
  ) => {
    const name = item.name ?? item.email ?? 'the lead';
    dispose.mutate(
      { personId: item.personId, ...body },
      {
        onSuccess: (d) =>
          record(item.personId, true, `${verdictWords('You', name, d)}: ${nextStageWords(d.stage)}.`),
        onError: (error) => record(item.personId, false, `${name}: ${dispositionErrorWords(error)}`),
      },
    );
  };

  return (
    <Stack gap="md" maw={1400}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{whoseName === 'you' ? 'My queue' : `${whoseName}'s queue`}</Title>
          <Text size="sm" c="dimmed">
            MQLs routed to {whoseName === 'you' ? 'you' : whoseName}, most urgent first. Accept takes the
            lead; reject sends it back with a reason marketing can learn from.
          </Text>
        </div>
        {others.length > 0 && (
          <Select
            label="Whose queue"
            placeholder="Mine"
            data={others.map((rep) => ({
              value: rep.userId,
              label: `${rep.name} (${rep.openMqls} open${rep.outOfOffice ? ', out of office' : ''})`,
            }))}
            value={repId}
            onChange={setRepId}
            clearable
            searchable
            w={300}
            size="xs"
          />
        )}
      </Group>

      {queue.data && (
        <Text fz="xl" fw={600} data-testid="queue-sentence">
          {queueSentence(queue.data.items, now, whoseName)}
        </Text>
      )}

      {outcomes.map((outcome) => (
        <Alert
          key={outcome.id}
          color={outcome.ok ? 'teal' : 'red'}
          variant="light"
          py="xs"
          data-testid={outcome.ok ? 'disposition-done' : 'disposition-error'}
        >
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">
              {outcome.words}{' '}
              <Anchor
                size="sm"
                href={leadPath(outcome.personId)}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(leadPath(outcome.personId));
                }}
              >
                Open the lead
              </Anchor>
            </Text>
            <CloseButton
              size="sm"
              aria-label="Dismiss"
              onClick={() => setOutcomes((list) => list.filter((o) => o.id !== outcome.id))}
            />
          </Group>
        </Alert>
      ))}

      {queue.isError && (
        <Alert color="red" title="The queue could not be loaded">
          {queue.error.message}
        </Alert>
      )}
      {queue.isPending && <Skeleton height={300} />}
      {queue.data && queue.data.items.length === 0 && (
        <Alert color="gray" title="Nothing to answer right now">
          New MQLs routed to {whoseName === 'you' ? 'you' : whoseName} appear here with the time left to
          accept or reject them.
          {others.length > 0 && repId === null ? ' Pick a rep above to see their queue.' : ''}
        </Alert>
      )}
      {queue.data && queue.data.items.length > 0 && (
        <Paper withBorder p="xs">
          <QueueTable
            items={queue.data.items}
            now={now}
            reasons={reasons.data?.rejectionReasons ?? []}
            busyPersonId={dispose.isPending ? (dispose.variables?.personId ?? null) : null}
            onAccept={(item) => decide(item, { decision: 'accept' })}
            onReject={(item, reason, note) =>
              decide(item, { decision: 'reject', reason, ...(note ? { note } : {}) })
            }
            onLogInsight={(item) =>
              setInsightFor({ personId: item.personId, name: item.name ?? item.email ?? 'lead' })
            }
          />
        </Paper>
      )}
      <Text size="xs" c="dimmed">
        Due times count only the working hours of the rep's calendar (the Promises page has the policy). Red:
        late; orange: due within the hour. A call, email or meeting logged on the lead counts as contact.
      </Text>
      <InsightModal
        lead={insightFor}
        onClose={() => setInsightFor(null)}
        onLogged={(words) => insightFor && record(insightFor.personId, true, words)}
      />
    </Stack>
  );
}

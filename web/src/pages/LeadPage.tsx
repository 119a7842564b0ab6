import { Alert, Anchor, Badge, Grid, Group, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useLeadScore, useLifecycle, usePerson, useRecentActivities, useStageHistory } from '../api/lead.ts';
import type { Person } from '../api/types.ts';
import { formatDate } from '../format.ts';
import { LeadFacts } from '../lead/LeadFacts.tsx';
import { RecentActivities } from '../lead/RecentActivities.tsx';
import { ScoreExplanation } from '../lead/ScoreExplanation.tsx';
import { StageHistory } from '../lead/StageHistory.tsx';
import { stageVerdictNote } from '../lead/stageVerdict.ts';
import { LeadOpportunities } from '../opportunities/LeadOpportunities.tsx';
import { personName, stageName } from '../people/names.ts';
import { LeadHandoff } from '../queue/LeadHandoff.tsx';
import { navigate, routes } from '../router.ts';

/** One lead: who they are, why they score what they score, and how they moved through the funnel. */
export function LeadPage({ personId }: { personId: string }) {
  const person = usePerson(personId);
  const score = useLeadScore(personId);
  const history = useStageHistory(personId);
  const activities = useRecentActivities(personId);
  const lifecycle = useLifecycle();

  if (person.isError) {
    return (
      <Stack>
        <BackToPeople />
        <Alert color="red" title="This lead could not be loaded">
          {person.error.message}
        </Alert>
      </Stack>
    );
  }
  if (!person.data) return <Skeleton height={400} />;
  const lead = person.data;

  return (
    <Stack gap="md">
      <div>
        <BackToPeople />
        <Group gap="sm" align="center">
          <Title order={2}>{personName(lead, lead.email ?? 'Unnamed lead')}</Title>
          <Badge size="lg" variant="light" tt="none" data-testid="lead-stage">
            {stageName(lead.stage, lifecycle.data?.stages)}
          </Badge>
        </Group>
        <Text c="dimmed" size="sm">
          {headline(lead)}
        </Text>
        <LeadHandoff personId={personId} leadName={personName(lead, lead.email ?? 'this lead')} />
      </div>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <LeadFacts person={lead} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          {score.isError ? (
            <Alert color="red" title="The score could not be loaded">
              {score.error.message}
            </Alert>
          ) : score.data === undefined ? (
            <Skeleton height={240} />
          ) : (
            <ScoreExplanation
              score={score.data}
              stageNote={score.data && stageVerdictNote(lead, score.data, lifecycle.data)}
            />
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          {history.data ? (
            <StageHistory transitions={history.data} lifecycle={lifecycle.data} />
          ) : (
            <Skeleton height={200} />
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          {activities.data ? (
            <RecentActivities activities={activities.data.items} more={activities.data.nextCursor !== null} />
          ) : (
            <Skeleton height={200} />
          )}
        </Grid.Col>
        <Grid.Col span={12}>
          <LeadOpportunities personId={personId} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function BackToPeople() {
  return (
    <Anchor
      size="sm"
      href={routes.people}
      onClick={(event) => {
        event.preventDefault();
        navigate(routes.people);
      }}
    >
      ← People
    </Anchor>
  );
}

/** "VP Sales at Acme · owned by Sam Rivera · in this stage since Oct 3, 2026" */
function headline(lead: Person): string {
  const role = [lead.title, lead.accountName].filter(Boolean).join(' at ');
  return [
    role || lead.email,
    lead.ownerName ? `owned by ${lead.ownerName}` : 'no owner yet',
    lead.stageEnteredAt ? `in this stage since ${formatDate(lead.stageEnteredAt)}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

import { Alert, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useTeam } from '../api/team.ts';
import type { User } from '../api/types.ts';
import { AddTeammate } from '../team/AddTeammate.tsx';
import { ApiTokens } from '../team/ApiTokens.tsx';
import { TeamTable } from '../team/TeamTable.tsx';
import { teamSentence } from '../team/teamWords.ts';
import { WhoSigns } from '../team/WhoSigns.tsx';
import { YourPassword } from '../team/YourPassword.tsx';

/** Who is on the team, and who signs the lead definition for each side? Admins change it here. */
export function TeamPage({ user }: { user: User }) {
  const teammates = useTeam();
  const isAdmin = user.role === 'admin';
  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={2}>Team</Title>
        {teammates.data && (
          <Text fz="lg" fw={600} mt={4} data-testid="team-sentence">
            {teamSentence(teammates.data)}
          </Text>
        )}
        <Text size="sm" c="dimmed">
          Admins manage the team, its API tokens and integrations; marketing and sales work their records;
          viewers read.
        </Text>
      </div>

      <Paper withBorder p="md">
        <Stack gap="sm">
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <div>
              <Title order={4}>People</Title>
              <WhoSigns />
              <Text size="sm" c="dimmed">
                Approvers sign lead definitions for their team: a version needs one marketing and one sales
                approver.
              </Text>
            </div>
            {isAdmin && <AddTeammate />}
          </Group>
          {teammates.isPending && <Skeleton height={240} />}
          {teammates.isError && (
            <Alert color="red" title="The team could not be loaded">
              {teammates.error.message}
            </Alert>
          )}
          {teammates.data && <TeamTable users={teammates.data} me={user} />}
          {!isAdmin && (
            <Text size="sm" c="dimmed">
              An admin adds teammates, changes their role and team, and chooses the approvers.
            </Text>
          )}
        </Stack>
      </Paper>

      {isAdmin && (
        <Paper withBorder p="md">
          <ApiTokens />
        </Paper>
      )}

      <Paper withBorder p="md">
        <YourPassword />
      </Paper>
    </Stack>
  );
}

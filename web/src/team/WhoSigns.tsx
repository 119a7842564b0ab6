import { Anchor, Text } from '@mantine/core';
import { useTeam } from '../api/team.ts';
import type { User } from '../api/types.ts';
import { navigate, routes } from '../router.ts';
import { approversOf, nameList, whoSigns } from './teamWords.ts';

function TeamPageLink() {
  return (
    <Anchor
      href={routes.team}
      inherit
      onClick={(event) => {
        event.preventDefault();
        navigate(routes.team);
      }}
    >
      Team page
    </Anchor>
  );
}

/**
 * In place of a Sign button that would be refused: who signs for the person's team instead, or that
 * nobody can yet, and where an admin chooses them.
 */
export function OnlyApproversSign({ user }: { user: User }) {
  const teammates = useTeam();
  if (!teammates.data) return null;
  const approvers = approversOf(teammates.data, user.team);
  return (
    <Text size="xs" c="dimmed" maw={280} data-testid="only-approvers-sign">
      {approvers.length > 0 ? (
        <>
          Only {user.team} approvers can sign: {nameList(approvers)} (an admin chooses them on the{' '}
          <TeamPageLink />
          ).
        </>
      ) : (
        <>
          Nobody can sign for {user.team} yet: an admin chooses a {user.team} approver on the <TeamPageLink />
          .
        </>
      )}
    </Text>
  );
}

/** "Signs for marketing: Maya Lindqvist · for sales: Rachel Kim", once the team is known. */
export function WhoSigns() {
  const teammates = useTeam();
  if (!teammates.data) return null;
  return (
    <Text size="sm" fw={500} data-testid="who-signs">
      {whoSigns(teammates.data)}
    </Text>
  );
}

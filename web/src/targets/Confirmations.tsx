import { Alert, Badge, Button, Group, Text } from '@mantine/core';
import { type TargetView, useConfirmTarget } from '../api/targets.ts';
import type { User } from '../api/types.ts';
import { formatDate } from '../format.ts';

/** Who confirmed the target for each team, and the button for the signed-in person's team. */
export function Confirmations({ target, user }: { target: TargetView; user: User }) {
  const confirm = useConfirmTarget();
  const canConfirm = user.role !== 'viewer' && target.missingConfirmations.includes(user.team);
  return (
    <Group gap="sm" data-testid="confirmations">
      {(['marketing', 'sales'] as const).map((team) => {
        const done = target.confirmations.find((c) => c.team === team);
        return (
          <Badge
            key={team}
            size="lg"
            tt="none"
            variant={done ? 'light' : 'outline'}
            color={done ? 'teal' : 'gray'}
          >
            {team === 'marketing' ? 'Marketing' : 'Sales'}:{' '}
            {done ? `confirmed by ${done.name}, ${formatDate(done.confirmedAt)}` : 'not confirmed yet'}
          </Badge>
        );
      })}
      {canConfirm && (
        <Button size="xs" onClick={() => confirm.mutate(target.period.name)} loading={confirm.isPending}>
          Confirm for {user.team}
        </Button>
      )}
      {target.status === 'draft' && (
        <Text size="sm" c="dimmed">
          A draft is not used for pacing.
        </Text>
      )}
      {confirm.isError && (
        <Alert color="red" p="xs">
          {confirm.error.message}
        </Alert>
      )}
    </Group>
  );
}

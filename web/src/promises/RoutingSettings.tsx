import { Paper, Stack, Text } from '@mantine/core';
import { useCurrentUser } from '../api/session.ts';
import { PolicySettings } from './PolicySettings.tsx';
import { PromiseSettings } from './PromiseSettings.tsx';
import { RepSettings } from './RepSettings.tsx';
import { RuleSettings } from './RuleSettings.tsx';

/** The rules of the hand-off in one place: both teams' promises, who gets which lead, and each rep's calendar. */
export function RoutingSettings({ canEdit }: { canEdit: boolean }) {
  const user = useCurrentUser();
  return (
    <Stack gap="md">
      {!canEdit && (
        <Text size="sm" c="dimmed">
          Admins change these settings; a rep may change their own calendar and out-of-office.
        </Text>
      )}
      <Paper withBorder p="md">
        <PolicySettings canEdit={canEdit} />
      </Paper>
      <Paper withBorder p="md">
        <PromiseSettings canEdit={canEdit} />
      </Paper>
      <Paper withBorder p="md">
        <RuleSettings canEdit={canEdit} />
      </Paper>
      <Paper withBorder p="md">
        <RepSettings canEditAll={canEdit} currentUserId={user.data?.id ?? ''} />
      </Paper>
    </Stack>
  );
}

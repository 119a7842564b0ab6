import { Alert, Button, Group, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useChangeOwnPassword } from '../api/team.ts';

const empty = { currentPassword: '', newPassword: '', again: '' };

/** "Change your password": the current one first; a browser left signed in elsewhere is signed out. */
export function YourPassword() {
  const change = useChangeOwnPassword();
  const [form, setForm] = useState(empty);
  const [changed, setChanged] = useState(false);
  const mismatch = form.again !== '' && form.again !== form.newPassword;
  const serverProblem = change.error?.message.replace(/^(body\.)?\w+: /, '');
  const wrongCurrent = change.error?.message.startsWith('currentPassword:');
  const set = (patch: Partial<typeof empty>) => {
    setChanged(false);
    change.reset();
    setForm((current) => ({ ...current, ...patch }));
  };
  const submit = () =>
    change.mutate(
      { currentPassword: form.currentPassword, newPassword: form.newPassword },
      {
        onSuccess: () => {
          setForm(empty);
          setChanged(true);
        },
      },
    );

  return (
    <Stack gap="sm">
      <div>
        <Title order={4}>Your password</Title>
        <Text size="sm" c="dimmed">
          Change the password you were given for one of your own. Other browsers where you are signed in are
          signed out; this one stays.
        </Text>
      </div>
      <Group align="flex-start" gap="sm">
        <PasswordInput
          label="Current password"
          w={220}
          value={form.currentPassword}
          onChange={(event) => set({ currentPassword: event.currentTarget.value })}
          error={wrongCurrent ? serverProblem : undefined}
          autoComplete="current-password"
        />
        <PasswordInput
          label="New password"
          description="At least 10 characters"
          w={220}
          value={form.newPassword}
          onChange={(event) => set({ newPassword: event.currentTarget.value })}
          error={!wrongCurrent ? serverProblem : undefined}
          autoComplete="new-password"
        />
        <PasswordInput
          label="New password again"
          description="The same, to be sure"
          w={220}
          value={form.again}
          onChange={(event) => set({ again: event.currentTarget.value })}
          error={mismatch ? 'Not the same as the new password' : undefined}
          autoComplete="new-password"
        />
      </Group>
      <Group gap="sm">
        <Button
          onClick={submit}
          loading={change.isPending}
          disabled={!form.currentPassword || form.newPassword.length < 10 || form.again !== form.newPassword}
        >
          Change password
        </Button>
        {changed && (
          <Alert color="teal" py={6} data-testid="password-changed">
            Your password is changed.
          </Alert>
        )}
      </Group>
    </Stack>
  );
}

import { Alert, Button, Input, PasswordInput, SegmentedControl, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useCreateFirstAdmin } from '../api/session.ts';
import type { Team } from '../api/types.ts';
import { CenteredCard } from '../components/CenteredCard.tsx';

const minimumPasswordLength = 10;

/** Shown once, while no user exists: the first person becomes the workspace's admin. */
export function SetupPage() {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [team, setTeam] = useState<Team>('marketing');
  const createAdmin = useCreateFirstAdmin();
  const passwordTooShort = password.length > 0 && password.length < minimumPasswordLength;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password.length < minimumPasswordLength) return;
    createAdmin.mutate({ name: name.trim(), email: email.trim(), password, team });
  };

  return (
    <CenteredCard
      title="Create the first admin"
      intro="Nobody uses this Lockstep yet. The account you create now becomes the admin of this workspace and can see everything."
    >
      <form onSubmit={submit}>
        <Stack>
          {createAdmin.isError && (
            <Alert color="red" role="alert" title="Could not create the admin">
              {createAdmin.error.message}
            </Alert>
          )}
          <TextInput
            label="Your name"
            required
            autoFocus
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
          />
          <TextInput
            label="Work email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            description={`At least ${minimumPasswordLength} characters`}
            autoComplete="new-password"
            required
            value={password}
            error={passwordTooShort ? `Use at least ${minimumPasswordLength} characters` : undefined}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
          <Input.Wrapper label="Your team">
            <SegmentedControl
              fullWidth
              value={team}
              onChange={(value) => setTeam(value as Team)}
              data={[
                { value: 'marketing', label: 'Marketing' },
                { value: 'sales', label: 'Sales' },
              ]}
            />
          </Input.Wrapper>
          <Button type="submit" loading={createAdmin.isPending} fullWidth>
            Create admin and sign in
          </Button>
        </Stack>
      </form>
    </CenteredCard>
  );
}

import { Alert, Button, Code, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { useSignIn } from '../api/session.ts';
import { CenteredCard } from '../components/CenteredCard.tsx';

export function SignInPage({ demoAdminEmail }: { demoAdminEmail: string | null }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useSignIn();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ email: email.trim(), password });
  };

  return (
    <CenteredCard title="Sign in" intro="Marketing and sales, one revenue team, one set of numbers.">
      <form onSubmit={submit}>
        <Stack>
          {demoAdminEmail && (
            <Alert color="blue" variant="light" title="Demo workspace" role="note">
              <Text size="sm">
                Sign in as <Code>{demoAdminEmail}</Code> with the password printed in the server's terminal on
                first start.
              </Text>
            </Alert>
          )}
          {signIn.isError && (
            <Alert color="red" role="alert" title={signInErrorTitle(signIn.error)}>
              {signIn.error.message}
            </Alert>
          )}
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
          <Button type="submit" loading={signIn.isPending} fullWidth>
            Sign in
          </Button>
        </Stack>
      </form>
    </CenteredCard>
  );
}

function signInErrorTitle(error: Error): string {
  if (error instanceof ApiError && error.code === 'invalid_credentials') return 'Wrong email or password';
  if (error instanceof ApiError && error.code === 'too_many_requests') return 'Too many attempts';
  return 'Could not sign in';
}

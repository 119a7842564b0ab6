import { Button, Checkbox, Group, Modal, PasswordInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ApiError } from '../api/client.ts';
import { type AddedTeammate, type NewTeammate, useAddTeammate } from '../api/team.ts';
import type { Role, Team } from '../api/types.ts';
import { FormActions } from '../components/FormActions.tsx';
import { ShownOnce } from '../components/ShownOnce.tsx';
import { roleChoices, teamChoices } from './teamWords.ts';

const emptyForm: NewTeammate = { name: '', email: '', team: 'sales', role: 'sales', approver: false };

const fieldsWithErrors = ['name', 'email', 'password'];

/** The field a server error is about: "body.email: …" names it; a taken email is the email's problem. */
function fieldOf(error: Error | null): { field: string; message: string } | undefined {
  if (!error) return undefined;
  if (error instanceof ApiError && error.code === 'duplicate')
    return { field: 'email', message: error.message };
  const named = /^body\.(\w+): (.*)$/.exec(error.message);
  if (!named?.[1] || !named[2] || !fieldsWithErrors.includes(named[1])) return undefined;
  return { field: named[1], message: named[2] };
}

/** An admin adds a teammate; a password left empty is generated and shown once. */
export function AddTeammate() {
  const add = useAddTeammate();
  const [opened, setOpened] = useState(false);
  const [form, setForm] = useState<NewTeammate>(emptyForm);
  const [password, setPassword] = useState('');
  const [added, setAdded] = useState<AddedTeammate | null>(null);
  // Kept apart from `added`, so that the dialog keeps its words while it fades out.
  const [showingPassword, setShowingPassword] = useState(false);
  const problem = fieldOf(add.error);
  const fieldError = (field: string) => (problem?.field === field ? problem.message : undefined);
  const change = (patch: Partial<NewTeammate>) => setForm((current) => ({ ...current, ...patch }));

  const open = () => {
    setForm(emptyForm);
    setPassword('');
    setAdded(null);
    add.reset();
    setOpened(true);
  };
  const submit = () =>
    add.mutate(
      { ...form, name: form.name.trim(), email: form.email.trim(), ...(password ? { password } : {}) },
      {
        onSuccess: (result) => {
          setOpened(false);
          setAdded(result);
          setShowingPassword(result.password !== null);
        },
      },
    );

  return (
    <>
      <Group gap="sm" wrap="nowrap">
        {added && added.password === null && (
          <Text size="sm" c="teal.8" role="status">
            ✓ {added.user.name} added: they sign in as {added.user.email} with the password you chose.
          </Text>
        )}
        <Button onClick={open}>Add teammate</Button>
      </Group>

      <Modal opened={opened} onClose={() => setOpened(false)} title={<Text fw={700}>Add a teammate</Text>}>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            submit();
          }}
        >
          <Stack gap="sm">
            <TextInput
              label="Name"
              value={form.name}
              onChange={(event) => change({ name: event.currentTarget.value })}
              required
              data-autofocus
              error={fieldError('name')}
            />
            <TextInput
              label="Email"
              type="email"
              description="They sign in with it."
              value={form.email}
              onChange={(event) => change({ email: event.currentTarget.value })}
              required
              error={fieldError('email')}
            />
            <Group grow align="flex-start">
              <Select
                label="Team"
                data={teamChoices}
                value={form.team}
                allowDeselect={false}
                // A marketing or sales role follows the team; an admin or a viewer stays one.
                onChange={(value) =>
                  value &&
                  change({
                    team: value as Team,
                    role: form.role === 'admin' || form.role === 'viewer' ? form.role : (value as Team),
                  })
                }
              />
              <Select
                label="Role"
                data={roleChoices}
                value={form.role}
                allowDeselect={false}
                onChange={(value) => value && change({ role: value as Role })}
              />
            </Group>
            <Checkbox
              label={`Approver: signs lead definitions for ${form.team}`}
              checked={form.approver ?? false}
              onChange={(event) => change({ approver: event.currentTarget.checked })}
            />
            <PasswordInput
              label="Password (optional)"
              description="At least 10 characters. Leave it empty and Lockstep makes one up, shown once."
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
              error={fieldError('password')}
              autoComplete="new-password"
            />
            <FormActions
              error={problem ? null : add.error}
              submitLabel="Add teammate"
              pending={add.isPending}
              onCancel={() => setOpened(false)}
            />
          </Stack>
        </form>
      </Modal>

      <ShownOnce
        opened={showingPassword}
        secret={added?.password ?? ''}
        title={`${added?.user.name} can sign in now`}
        copyLabel="Copy password"
        testId="generated-password"
        onClose={() => setShowingPassword(false)}
      >
        <Text size="sm">
          Give {added?.user.name} this password, with their email <b>{added?.user.email}</b>, to sign in at{' '}
          <b>{window.location.origin}</b>.
        </Text>
      </ShownOnce>
    </>
  );
}

import { Badge, Button, CloseButton, Group, Select, Table, Text } from '@mantine/core';
import { Fragment, useState } from 'react';
import { type NewPassword, type TeammateChange, useChangeTeammate, useResetPassword } from '../api/team.ts';
import type { Role, Team, User } from '../api/types.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { ShownOnce } from '../components/ShownOnce.tsx';
import { roleChoices, roleLabels, teamChoices, teamLabels } from './teamWords.ts';

interface TeamTableProps {
  users: User[];
  /** The signed-in person: an admin gets the controls, and their own row says "you". */
  me: User;
}

/** Everyone on the team, the accounts turned off set apart below; an admin changes them in place. */
export function TeamTable({ users, me }: TeamTableProps) {
  const canManage = me.role === 'admin';
  const columns = canManage ? 6 : 5;
  const firstOff = users.findIndex((user) => !user.active);
  return (
    <Table aria-label="Team" verticalSpacing={6} highlightOnHover>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Name</Table.Th>
          <Table.Th>Email</Table.Th>
          <Table.Th>Team</Table.Th>
          <Table.Th>Role</Table.Th>
          <Table.Th>Signs definitions</Table.Th>
          {canManage && <Table.Th />}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {users.map((user, index) => (
          <Fragment key={user.id}>
            {index === firstOff && (
              <Table.Tr>
                <Table.Td colSpan={columns} bg="gray.1">
                  <Text size="sm" fw={600}>
                    Turned off
                  </Text>
                  <Text size="xs" c="dimmed">
                    They cannot sign in. What they did stays in the records, under their name.
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
            <TeammateRow user={user} isMe={user.id === me.id} canManage={canManage} columns={columns} />
          </Fragment>
        ))}
      </Table.Tbody>
    </Table>
  );
}

interface TeammateRowProps {
  user: User;
  isMe: boolean;
  canManage: boolean;
  columns: number;
}

/** One person; for an admin, their team and role as pickers, and approver and account switches. */
function TeammateRow({ user, isMe, canManage, columns }: TeammateRowProps) {
  const changeTeammate = useChangeTeammate();
  const resetPassword = useResetPassword();
  const [turningOff, setTurningOff] = useState(false);
  const [resetting, setResetting] = useState(false);
  const [newPassword, setNewPassword] = useState<NewPassword | null>(null);
  // Kept apart from `newPassword`, so that the dialog keeps its words while it fades out.
  const [showingPassword, setShowingPassword] = useState(false);
  const failure = changeTeammate.error ?? resetPassword.error;
  const change = (patch: TeammateChange) => changeTeammate.mutate({ id: user.id, change: patch });
  // An owner of imported records has no email: they never sign in, so they sign nothing either.
  const signsIn = user.email !== null;

  return (
    <>
      <Table.Tr data-user={user.email ?? user.id} opacity={user.active ? 1 : 0.6}>
        <Table.Td>
          <Group gap={6} wrap="nowrap">
            <Text size="sm" fw={500} style={{ whiteSpace: 'nowrap' }}>
              {user.name}
            </Text>
            {isMe && (
              <Badge size="xs" variant="outline" tt="none">
                you
              </Badge>
            )}
            {!user.active && (
              <Badge size="xs" color="gray" variant="outline" tt="none">
                turned off
              </Badge>
            )}
          </Group>
        </Table.Td>
        <Table.Td>
          {signsIn ? (
            <Text size="sm">{user.email}</Text>
          ) : (
            <Text size="xs" c="dimmed">
              No email: owns imported records, cannot sign in
            </Text>
          )}
        </Table.Td>
        <Table.Td>
          {canManage ? (
            <Select
              aria-label={`Team of ${user.name}`}
              size="xs"
              w={120}
              data={teamChoices}
              value={user.team}
              allowDeselect={false}
              onChange={(value) => value && value !== user.team && change({ team: value as Team })}
            />
          ) : (
            <Text size="sm">{teamLabels[user.team]}</Text>
          )}
        </Table.Td>
        <Table.Td>
          {canManage ? (
            <Select
              aria-label={`Role of ${user.name}`}
              size="xs"
              w={120}
              data={roleChoices}
              value={user.role}
              allowDeselect={false}
              onChange={(value) => value && value !== user.role && change({ role: value as Role })}
            />
          ) : (
            <Text size="sm">{roleLabels[user.role]}</Text>
          )}
        </Table.Td>
        <Table.Td data-column="approver">
          {user.approver && (
            <Badge color={user.team === 'marketing' ? 'grape' : 'teal'} variant="light" tt="none">
              ✓ Approver
            </Badge>
          )}
        </Table.Td>
        {canManage && (
          <Table.Td>
            <Group gap={4} justify="flex-end" wrap="nowrap">
              {/* Viewers sign nothing; a viewer marked an approver before can still be unmarked. */}
              {signsIn && (user.approver || user.role !== 'viewer') && (
                <Button
                  size="compact-xs"
                  variant="subtle"
                  loading={changeTeammate.isPending && changeTeammate.variables.change.approver !== undefined}
                  onClick={() => change({ approver: !user.approver })}
                >
                  {user.approver ? 'Remove approver' : 'Make approver'}
                </Button>
              )}
              {/* Your own password is changed below, with the current one. */}
              {signsIn && !isMe && (
                <Button size="compact-xs" variant="subtle" color="gray" onClick={() => setResetting(true)}>
                  New password
                </Button>
              )}
              {user.active ? (
                signsIn && (
                  <Button size="compact-xs" variant="subtle" color="gray" onClick={() => setTurningOff(true)}>
                    Turn off
                  </Button>
                )
              ) : (
                <Button size="compact-xs" variant="subtle" onClick={() => change({ active: true })}>
                  Turn on
                </Button>
              )}
            </Group>
          </Table.Td>
        )}
      </Table.Tr>
      {failure && (
        <Table.Tr>
          <Table.Td colSpan={columns} pt={0}>
            <Group gap="xs" wrap="nowrap" justify="space-between" bg="red.0" px="sm" py={6}>
              <Text size="sm" c="red.8" role="alert">
                Not changed: {failure.message}
              </Text>
              <CloseButton
                size="sm"
                aria-label="Dismiss"
                onClick={() => {
                  changeTeammate.reset();
                  resetPassword.reset();
                }}
              />
            </Group>
          </Table.Td>
        </Table.Tr>
      )}
      <ConfirmDialog
        opened={turningOff}
        title={`Turn off ${user.name}'s account?`}
        confirmLabel="Turn off"
        keepLabel="Keep it on"
        danger
        onConfirm={() => {
          setTurningOff(false);
          change({ active: false });
        }}
        onClose={() => setTurningOff(false)}
      >
        {isMe ? 'You are' : `${user.name} is`} signed out at once and cannot sign in until an admin turns the
        account on again. The leads, verdicts and notes recorded under this name stay as they are.
      </ConfirmDialog>
      <ConfirmDialog
        opened={resetting}
        title={`Give ${user.name} a new password?`}
        confirmLabel="Make a new password"
        pending={resetPassword.isPending}
        onConfirm={() =>
          resetPassword.mutate(user.id, {
            onSuccess: (result) => {
              setResetting(false);
              setNewPassword(result);
              setShowingPassword(true);
            },
            onError: () => setResetting(false),
          })
        }
        onClose={() => setResetting(false)}
      >
        Lockstep makes one and shows it to you once, to pass on. {user.name} is signed out everywhere and
        signs in with the new one; the old one stops working.
      </ConfirmDialog>
      <ShownOnce
        opened={showingPassword}
        secret={newPassword?.password ?? ''}
        title={`${user.name}'s new password`}
        copyLabel="Copy password"
        testId="new-password"
        onClose={() => setShowingPassword(false)}
      >
        <Text size="sm">
          Give it to {user.name} in person or another safe way. They can change it on the Team page once
          signed in.
        </Text>
      </ShownOnce>
    </>
  );
}

import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Modal,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import {
  type ApiToken,
  type CreatedApiToken,
  type NewApiToken,
  useApiTokens,
  useCreateApiToken,
  useRevokeApiToken,
} from '../api/team.ts';
import type { Role, Team } from '../api/types.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { FormActions } from '../components/FormActions.tsx';
import { ShownOnce } from '../components/ShownOnce.tsx';
import { formatDate, formatDateTime } from '../format.ts';
import { roleChoices, roleLabels, teamChoices, teamLabels } from './teamWords.ts';

/** Admins: the tokens scripts and other systems call the API with, and the way to stop one. */
export function ApiTokens() {
  const tokens = useApiTokens();
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [confirming, setConfirming] = useState(false);
  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Title order={4}>API tokens</Title>
          <Text size="sm" c="dimmed">
            Scripts and other systems call the API with a token instead of a password. A token acts with the
            role and team it was given, and a lead's history names the token that moved it.
          </Text>
        </div>
        <CreateToken />
      </Group>
      {tokens.isPending && <Skeleton height={80} />}
      {tokens.isError && <Alert color="red">{tokens.error.message}</Alert>}
      {tokens.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          No tokens yet. Create one for each script or system, so that each can be revoked on its own.
        </Text>
      )}
      {tokens.data && tokens.data.length > 0 && (
        <Table aria-label="API tokens" verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Team</Table.Th>
              <Table.Th>Created by</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tokens.data.map((token) => (
              <Table.Tr key={token.id} data-token={token.name} opacity={token.revokedAt ? 0.6 : 1}>
                <Table.Td fw={500}>{token.name}</Table.Td>
                <Table.Td>{roleLabels[token.role]}</Table.Td>
                <Table.Td>{teamLabels[token.team]}</Table.Td>
                <Table.Td>{token.createdByName ?? <Text c="dimmed">command line</Text>}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(token.createdAt)}</Table.Td>
                <Table.Td data-column="state">
                  {token.revokedAt ? (
                    <Badge color="gray" variant="outline" tt="none">
                      revoked {formatDate(token.revokedAt)}
                    </Badge>
                  ) : (
                    <Badge color="teal" variant="light" tt="none">
                      live
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td ta="right">
                  {!token.revokedAt && (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      onClick={() => {
                        setRevoking(token);
                        setConfirming(true);
                      }}
                    >
                      Revoke
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <RevokeToken token={revoking} opened={confirming} onClose={() => setConfirming(false)} />
    </Stack>
  );
}

type TokenForm = Required<NewApiToken>;

const emptyToken: TokenForm = { name: '', role: 'viewer', team: 'sales' };

/** The button, the form, and the one moment the new token is on screen. */
function CreateToken() {
  const create = useCreateApiToken();
  const [opened, setOpened] = useState(false);
  const [form, setForm] = useState<TokenForm>(emptyToken);
  const [created, setCreated] = useState<(CreatedApiToken & TokenForm) | null>(null);
  // Kept apart from `created`, so that the dialog keeps its words while it fades out.
  const [showingToken, setShowingToken] = useState(false);
  const curlExample = `curl -H "Authorization: Bearer <token>" ${window.location.origin}/api/people`;
  const open = () => {
    setForm(emptyToken);
    create.reset();
    setOpened(true);
  };

  return (
    <>
      <Button onClick={open} style={{ flexShrink: 0 }}>
        Create token
      </Button>
      <Modal
        opened={opened}
        onClose={() => setOpened(false)}
        title={<Text fw={700}>Create an API token</Text>}
      >
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const input = { ...form, name: form.name.trim() };
            create.mutate(input, {
              onSuccess: (result) => {
                setOpened(false);
                setCreated({ ...result, ...input });
                setShowingToken(true);
              },
            });
          }}
        >
          <Stack gap="sm">
            <TextInput
              label="Name"
              description="What uses it, so that its moves read well in a lead's history."
              placeholder="e.g. Website form sync"
              value={form.name}
              onChange={(event) => setForm({ ...form, name: event.currentTarget.value })}
              required
              data-autofocus
            />
            <Group grow align="flex-start">
              <Select
                label="Role"
                description="Viewers only read"
                data={roleChoices}
                value={form.role}
                allowDeselect={false}
                onChange={(value) => value && setForm({ ...form, role: value as Role })}
              />
              <Select
                label="Team"
                description="The team it acts for"
                data={teamChoices}
                value={form.team}
                allowDeselect={false}
                onChange={(value) => value && setForm({ ...form, team: value as Team })}
              />
            </Group>
            <FormActions
              error={create.error}
              submitLabel="Create token"
              pending={create.isPending}
              onCancel={() => setOpened(false)}
            />
          </Stack>
        </form>
      </Modal>
      <ShownOnce
        opened={showingToken}
        secret={created?.token ?? ''}
        title={`Copy the token “${created?.name}” now`}
        copyLabel="Copy token"
        testId="created-token"
        onClose={() => setShowingToken(false)}
        usage={
          <Stack gap={4}>
            <Text size="sm">
              The script sends it with every request, in the header{' '}
              <Code>{'Authorization: Bearer <token>'}</Code>. For example:
            </Text>
            <Code block>{curlExample}</Code>
          </Stack>
        }
      >
        <Text size="sm">
          {`It acts with the ${created?.role} role, on the ${created?.team} team; its moves show as “${created?.name}” in a lead's history.`}
        </Text>
      </ShownOnce>
    </>
  );
}

/** Revoking cannot be undone: the confirmation says what stops working. */
interface RevokeTokenProps {
  /** The token last chosen: kept while the dialog fades out. */
  token: ApiToken | null;
  opened: boolean;
  onClose: () => void;
}

function RevokeToken({ token, opened, onClose }: RevokeTokenProps) {
  const revoke = useRevokeApiToken();
  const close = () => {
    revoke.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      opened={opened}
      title={`Revoke the token “${token?.name}”?`}
      confirmLabel="Revoke"
      keepLabel="Keep it"
      danger
      pending={revoke.isPending}
      error={revoke.error}
      onConfirm={() => token && revoke.mutate(token.id, { onSuccess: close })}
      onClose={close}
    >
      Whatever uses it is refused (401) from its next request on. A revoked token cannot be turned on again:
      create a new one instead. What it did stays in the records.
    </ConfirmDialog>
  );
}

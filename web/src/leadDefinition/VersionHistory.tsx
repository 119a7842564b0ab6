import { Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { Fragment, useState } from 'react';
import type { DefinitionStatus, DefinitionVersion, User } from '../api/types.ts';
import { formatDate } from '../format.ts';
import { RulesTables } from './RulesTables.tsx';
import { mqlClause, signatureState } from './ruleWords.ts';
import { VersionActions } from './VersionActions.tsx';
import { publishedByText, versionPeriod } from './versionWords.ts';

const statusColors: Record<DefinitionStatus, string> = {
  draft: 'gray',
  signed: 'blue',
  scheduled: 'yellow',
  'in force': 'teal',
  superseded: 'gray',
};

/** Every version, newest first: what it says, who signed, who still has to, and what you can do. */
interface VersionHistoryProps {
  versions: DefinitionVersion[];
  user: User;
  /** Opens the backtest of a version that is not published yet. */
  onBacktest: (version: number) => void;
}

export function VersionHistory({ versions, user, onBacktest }: VersionHistoryProps) {
  const [opened, setOpened] = useState<number | null>(null);
  return (
    <Table aria-label="Versions" verticalSpacing={6}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Version</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>What it says</Table.Th>
          <Table.Th>Signatures</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {versions.map((version) => (
          <Fragment key={version.version}>
            <Table.Tr data-version={version.version}>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Text fw={600}>v{version.version}</Text>
                <Text size="xs" c="dimmed">
                  {formatDate(version.createdAt)}
                </Text>
              </Table.Td>
              <Table.Td data-column="status">
                <Badge
                  style={{ minWidth: 'max-content' }}
                  color={statusColors[version.status]}
                  variant={version.status === 'superseded' ? 'outline' : 'light'}
                >
                  {version.status}
                </Badge>
                <Published version={version} versions={versions} />
              </Table.Td>
              <Table.Td>
                <Text size="sm">MQL when {mqlClause(version.rules)}.</Text>
                {version.note && (
                  <Text size="xs" c="dimmed">
                    {version.note}
                  </Text>
                )}
              </Table.Td>
              <Table.Td data-column="signatures">
                <Signatures version={version} />
              </Table.Td>
              <Table.Td>
                <Stack gap={6} align="flex-start">
                  <VersionActions version={version} versions={versions} user={user} />
                  <Group gap={4} wrap="nowrap">
                    {!version.publishedAt && (
                      <Button size="compact-xs" variant="light" onClick={() => onBacktest(version.version)}>
                        Backtest
                      </Button>
                    )}
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      onClick={() => setOpened(opened === version.version ? null : version.version)}
                    >
                      {opened === version.version ? 'Hide rules' : 'Show rules'}
                    </Button>
                  </Group>
                </Stack>
              </Table.Td>
            </Table.Tr>
            {opened === version.version && (
              <Table.Tr>
                <Table.Td colSpan={5} bg="gray.0">
                  <RulesTables rules={version.rules} />
                </Table.Td>
              </Table.Tr>
            )}
          </Fragment>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** When it is, was or will be in force, and who published it. */
function Published({ version, versions }: { version: DefinitionVersion; versions: DefinitionVersion[] }) {
  const period = versionPeriod(version, versions);
  const publisher = publishedByText(version);
  return (
    <>
      {period && (
        <Text size="xs" mt={4} style={{ whiteSpace: 'nowrap' }} data-testid="version-period">
          {period}
        </Text>
      )}
      {publisher && (
        <Text size="xs" c="dimmed">
          {publisher}
        </Text>
      )}
    </>
  );
}

function Signatures({ version }: { version: DefinitionVersion }) {
  return (
    <>
      {version.signatures.map((signature) => (
        <Text size="sm" key={signature.team}>
          ✓ {signature.name} ({signature.team}), {formatDate(signature.signedAt)}
        </Text>
      ))}
      {version.missingSignatures.length > 0 && (
        <Text size="sm" c="orange.8" fw={500}>
          {signatureState(version)}
        </Text>
      )}
    </>
  );
}

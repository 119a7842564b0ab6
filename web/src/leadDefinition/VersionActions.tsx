import { Button, Group, Text, Tooltip } from '@mantine/core';
import { useSignDefinition } from '../api/leadDefinitions.ts';
import type { DefinitionVersion, User } from '../api/types.ts';
import { maySign } from '../team/teamWords.ts';
import { OnlyApproversSign } from '../team/WhoSigns.tsx';
import { PublishVersion } from './PublishVersion.tsx';

interface VersionActionsProps {
  version: DefinitionVersion;
  /** Every version, for what publishing this one would replace. */
  versions: DefinitionVersion[];
  user: User;
}

/**
 * What the signed-in person can do with an unpublished version: sign for their team (approvers only;
 * anyone else is told who signs), or publish it.
 */
export function VersionActions({ version, versions, user }: VersionActionsProps) {
  const sign = useSignDefinition();
  if (version.publishedAt) return null;

  const teamSigned = !version.missingSignatures.includes(user.team);
  const bothSigned = version.missingSignatures.length === 0;

  return (
    <Group gap="xs" wrap="nowrap">
      {user.role === 'viewer' ? (
        <Tooltip label="Viewers read the definition; a marketing or sales person signs it for their team.">
          <Button size="xs" variant="default" disabled>
            Sign for {user.team}
          </Button>
        </Tooltip>
      ) : teamSigned ? null : maySign(user) ? (
        <Button size="xs" onClick={() => sign.mutate(version.version)} loading={sign.isPending}>
          Sign for {user.team}
        </Button>
      ) : (
        <OnlyApproversSign user={user} />
      )}
      {user.role === 'admin' && bothSigned && (
        <PublishVersion version={version.version} versions={versions} />
      )}
      {user.role !== 'admin' && bothSigned && (
        <Text size="xs" c="dimmed">
          An admin publishes it
        </Text>
      )}
      {sign.error && (
        <Text size="xs" c="red.7" role="alert">
          {sign.error.message}
        </Text>
      )}
    </Group>
  );
}

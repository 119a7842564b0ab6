import { Button, Group, Text, Tooltip } from '@mantine/core';
import { usePublishDefinition, useSignDefinition } from '../api/leadDefinitions.ts';
import type { DefinitionVersion, User } from '../api/types.ts';

interface VersionActionsProps {
  version: DefinitionVersion;
  user: User;
}

/** What the signed-in person can do with an unpublished version: sign for their team, or publish it. */
export function VersionActions({ version, user }: VersionActionsProps) {
  const sign = useSignDefinition();
  const publish = usePublishDefinition();
  if (version.publishedAt) return null;

  const teamSigned = !version.missingSignatures.includes(user.team);
  const bothSigned = version.missingSignatures.length === 0;
  const failure = sign.error ?? publish.error;

  return (
    <Group gap="xs" wrap="nowrap">
      {user.role === 'viewer' ? (
        <Tooltip label="Viewers read the definition; a marketing or sales person signs it for their team.">
          <Button size="xs" variant="default" disabled>
            Sign for {user.team}
          </Button>
        </Tooltip>
      ) : teamSigned ? null : (
        <Button size="xs" onClick={() => sign.mutate(version.version)} loading={sign.isPending}>
          Sign for {user.team}
        </Button>
      )}
      {user.role === 'admin' && bothSigned && (
        <Button
          size="xs"
          color="teal"
          onClick={() => publish.mutate({ version: version.version })}
          loading={publish.isPending}
        >
          Publish
        </Button>
      )}
      {user.role !== 'admin' && bothSigned && (
        <Text size="xs" c="dimmed">
          An admin publishes it
        </Text>
      )}
      {failure && (
        <Text size="xs" c="red.7" role="alert">
          {failure.message}
        </Text>
      )}
    </Group>
  );
}

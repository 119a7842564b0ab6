import { Alert, Anchor, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useLeadDefinitions } from '../api/leadDefinitions.ts';
import type { User } from '../api/types.ts';
import { DraftEditor } from '../leadDefinition/DraftEditor.tsx';
import { navigate, routes } from '../router.ts';

/** Propose the next version of the lead definition, starting from the one in force. */
export function NewDraftPage({ user }: { user: User }) {
  const definitions = useLeadDefinitions();
  const inForce = definitions.data?.find((version) => version.status === 'in force');
  const back = () => navigate(routes.leadDefinition);

  return (
    <Stack gap="md">
      <div>
        <Anchor
          size="sm"
          href={routes.leadDefinition}
          onClick={(event) => {
            event.preventDefault();
            back();
          }}
        >
          ← Lead definition
        </Anchor>
        <Title order={2}>New draft of the lead definition</Title>
        <Text c="dimmed" size="sm">
          {inForce
            ? `Starts from version ${inForce.version}, the one in force. Change what the teams agreed to change.`
            : 'Nothing is in force yet, so this starts from an empty template with common thresholds.'}
        </Text>
      </div>
      {user.role === 'viewer' && (
        <Alert color="gray" title="Viewers cannot write drafts">
          Ask someone in marketing or sales to propose the change.
        </Alert>
      )}
      {definitions.isError && (
        <Alert color="red" title="The lead definition could not be loaded">
          {definitions.error.message}
        </Alert>
      )}
      {definitions.isPending && <Skeleton height={300} />}
      {definitions.data && user.role !== 'viewer' && (
        <DraftEditor base={inForce} onSaved={back} onCancel={back} />
      )}
    </Stack>
  );
}

import { Alert, Code, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useImportRun, useImports } from '../api/imports.ts';
import type { User } from '../api/types.ts';
import { formatCount } from '../format.ts';
import { ImportForm } from '../import/ImportForm.tsx';
import { ImportRunCard } from '../import/ImportRunCard.tsx';
import { RecentImports } from '../import/RecentImports.tsx';

/** Bring a CRM export in and see what became of every row. */
export function ImportPage({ user }: { user: User }) {
  const imports = useImports();
  const [chosen, setChosen] = useState<string | undefined>();
  const shownId = chosen ?? imports.data?.runs[0]?.id;
  const shown = useImportRun(shownId);
  const canImport = user.role !== 'viewer';
  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <Title order={2}>Import</Title>
        <Text size="sm" c="dimmed">
          Bring people, accounts or deals in from a CRM export (CSV, or any tab of an Excel workbook):
          HubSpot, Salesforce, Pipedrive, Zoho CRM, or any file with plain column names. Importing the same
          file again changes nothing; rows that cannot be used are listed with their line, and the rest still
          land.
        </Text>
      </div>
      {canImport ? (
        <Paper withBorder p="md">
          {imports.data ? (
            <>
              <ImportForm
                presets={imports.data.presets}
                maxUploadBytes={imports.data.maxUploadBytes}
                onStarted={(run) => setChosen(run.id)}
              />
              <Text size="xs" c="dimmed" mt="sm">
                Files larger than {formatCount(imports.data.maxUploadBytes / 1_048_576)} MB, the most this
                server takes (LOCKSTEP_IMPORT_MAX_MB), go through the command line:{' '}
                <Code>npx lockstep import csv export.csv</Code> (see docs/import-mapping.md).
              </Text>
            </>
          ) : (
            <Skeleton height={60} />
          )}
        </Paper>
      ) : (
        <Alert color="gray">
          Viewers can follow imports here; ask a colleague in marketing or sales to import.
        </Alert>
      )}
      {imports.isError && <Alert color="red">{imports.error.message}</Alert>}
      {shown.data && <ImportRunCard run={shown.data} presets={imports.data?.presets ?? []} />}
      <Stack gap="xs">
        <Title order={4}>Recent imports</Title>
        {imports.isPending && <Skeleton height={120} />}
        {imports.data && (
          <RecentImports
            runs={imports.data.runs}
            presets={imports.data.presets}
            selected={shownId}
            onSelect={setChosen}
          />
        )}
      </Stack>
    </Stack>
  );
}

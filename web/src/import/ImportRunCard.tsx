import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import type { ImportPreset, ImportReport, ImportRun } from '../api/imports.ts';
import { downloadCsv, toCsv } from '../csv.ts';
import { countOf, formatCount } from '../format.ts';
import { navigate, routes } from '../router.ts';
import { progressOf, runKindLabel } from './importWords.ts';

const statusColor = {
  queued: 'gray',
  running: 'blue',
  done: 'green',
  failed: 'red',
  interrupted: 'orange',
} as const;
const statusWord = {
  queued: 'Waiting',
  running: 'Importing',
  done: 'Imported',
  failed: 'Failed',
  interrupted: 'Interrupted',
} as const;

export function ImportStatusBadge({ run }: { run: ImportRun }) {
  const problems = run.report ? run.report.rejected : 0;
  return (
    <Badge color={run.status === 'done' && problems > 0 ? 'yellow' : statusColor[run.status]} variant="light">
      {run.status === 'done' && problems > 0 ? 'Imported, rows rejected' : statusWord[run.status]}
    </Badge>
  );
}

/** One import: its progress while it runs, then what it did and every problem with its line. */
export function ImportRunCard({ run, presets }: { run: ImportRun; presets: ImportPreset[] }) {
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4}>
            {run.fileName}{' '}
            <Text span c="dimmed" fz="sm">
              ({runKindLabel(run.kind, presets)})
            </Text>
          </Title>
          <ImportStatusBadge run={run} />
        </Group>
        {(run.status === 'queued' || run.status === 'running') && <Running run={run} />}
        {run.status === 'failed' && (
          <Alert color="red" title="The import stopped; nothing of an unfinished batch was kept">
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {run.error}
            </Text>
          </Alert>
        )}
        {run.status === 'interrupted' && (
          <Alert color="orange" title="The server running this import stopped before it finished">
            Nothing of an unfinished batch was kept. Import the file again: the rows already imported are
            recognised and left as they are.
          </Alert>
        )}
        {run.report && <Outcome report={run.report} />}
      </Stack>
    </Paper>
  );
}

function Running({ run }: { run: ImportRun }) {
  const { words, share } = progressOf(run);
  return (
    <Stack gap={4}>
      <Text size="sm">{words}</Text>
      <Progress
        value={(share ?? 0) * 100}
        animated={share === null || share === 1}
        striped={share === null || share === 1}
        aria-label="Import"
      />
    </Stack>
  );
}

function Outcome({ report }: { report: ImportReport }) {
  const counts = [
    { label: 'Created', value: report.created, hint: 'new records' },
    { label: 'Updated', value: report.updated, hint: 'records already here, changed' },
    { label: 'Unchanged', value: report.unchanged, hint: 'already here, nothing new' },
    { label: 'Rejected', value: report.rejected, hint: 'rows not imported: see below' },
  ];
  return (
    <Stack gap="sm">
      <Text size="sm">
        {countOf(report.rowsRead, 'row')} read.
        {report.accountsCreated > 0 && ` ${countOf(report.accountsCreated, 'new account')}.`}
        {report.transitionsCreated > 0 && ` ${countOf(report.transitionsCreated, 'stage move')} recorded.`}
        {report.superseded > 0 &&
          (report.superseded === 1
            ? ' 1 row was a duplicate of a later row and was skipped.'
            : ` ${formatCount(report.superseded)} rows were duplicates of a later row and were skipped.`)}
        {report.guessedDateFormat &&
          report.guessedDateFormat !== 'ISO' &&
          ` Dates read as ${report.guessedDateFormat}, as the file’s first rows write them.`}
        {report.guessedNumberFormat &&
          report.guessedNumberFormat !== '1,234.56' &&
          ` Amounts read as ${report.guessedNumberFormat}.`}{' '}
        <Anchor
          href={routes.funnel}
          onClick={(event) => {
            event.preventDefault();
            navigate(routes.funnel);
          }}
        >
          See the funnel →
        </Anchor>
      </Text>
      <div data-testid="import-counts">
        <SimpleGrid cols={{ base: 2, sm: 4 }} maw={720}>
          {counts.map((count) => (
            <div key={count.label}>
              <Text fz={24} fw={700} c={count.label === 'Rejected' && count.value > 0 ? 'red' : undefined}>
                {formatCount(count.value)}
              </Text>
              <Text size="sm" fw={500}>
                {count.label}
              </Text>
              <Text size="xs" c="dimmed">
                {count.hint}
              </Text>
            </div>
          ))}
        </SimpleGrid>
      </div>
      {report.variants.length > 0 && (
        <Alert color="yellow" title="Values that look like one thing spelled differently">
          {report.variants.map((group) => (
            <Text size="sm" key={group.field}>
              {group.field}: {group.values.map((v) => `"${v.value}" (${formatCount(v.count)})`).join(', ')}
            </Text>
          ))}
          <Text size="xs" c="dimmed" mt={4}>
            Merge them with "valueMaps" in a mapping of your own (docs/import-mapping.md), then import again.
          </Text>
        </Alert>
      )}
      {report.problems.length > 0 && <Problems report={report} />}
    </Stack>
  );
}

function Problems({ report }: { report: ImportReport }) {
  const total = report.rejected + report.warnings;
  const download = () =>
    downloadCsv(
      `${report.file.replace(/\.csv$/i, '')}-problems.csv`,
      toCsv([
        ['line', 'what happened', 'why'],
        ...report.problems.map((p) => [
          p.line,
          p.severity === 'error' ? 'not imported' : 'warning',
          p.reason,
        ]),
      ]),
    );
  return (
    <Stack gap={4}>
      <Group gap="sm">
        <Text fw={500} size="sm">
          {total > report.problems.length
            ? `The first ${formatCount(report.problems.length)} of ${formatCount(total)} problems`
            : `${formatCount(total)} ${total === 1 ? 'problem' : 'problems'}`}
          , by line of the file
        </Text>
        <Button size="compact-xs" variant="subtle" onClick={download}>
          Download them (CSV)
        </Button>
      </Group>
      <Table.ScrollContainer minWidth={500} mah={360}>
        <Table striped withTableBorder stickyHeader fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={80}>Line</Table.Th>
              <Table.Th w={140}>What happened</Table.Th>
              <Table.Th>Why</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.problems.map((problem) => (
              <Table.Tr key={`${problem.file ?? ''}:${problem.line}:${problem.reason}`}>
                <Table.Td>{problem.line}</Table.Td>
                <Table.Td>
                  {problem.severity === 'error' ? (
                    <Text span c="red" size="sm">
                      Not imported
                    </Text>
                  ) : (
                    'Warning'
                  )}
                </Table.Td>
                <Table.Td>{problem.reason}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

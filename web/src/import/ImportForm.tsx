import { Alert, Button, Code, FileInput, Group, List, Progress, Select, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import {
  type ImportPreset,
  type ImportRun,
  SAVED_PREFIX,
  useImportPreview,
  useUploadImport,
} from '../api/imports.ts';
import { formatCount } from '../format.ts';
import { DeleteSavedMapping } from './DeleteSavedMapping.tsx';
import { MappingEditor } from './MappingEditor.tsx';
import { draftFrom, draftProblems, likelyEntity, type MappingDraft, mappingOf } from './mappingDraft.ts';

const DETECT = 'detect';
const OWN = 'own';

/** Pick a CSV export (or an XLSX workbook) and its kind (or map its columns), and send it; the run it starts goes to `onStarted`. */
export function ImportForm({
  presets,
  maxUploadBytes,
  onStarted,
}: {
  presets: ImportPreset[];
  /** The largest file the server takes; a larger one goes through the command line. */
  maxUploadBytes: number;
  onStarted: (run: ImportRun) => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [choice, setChoice] = useState<string>(DETECT);
  const [draft, setDraft] = useState<MappingDraft | null>(null);
  const [uploaded, setUploaded] = useState(0);
  // A workbook's tabs, kept while another tab is read; the tab chosen (none: the one the server reads first).
  const [tabs, setTabs] = useState<string[]>([]);
  const [sheet, setSheet] = useState<string | undefined>(undefined);
  const preview = useImportPreview(file, maxUploadBytes, sheet);
  const send = useUploadImport();

  // A new file starts from what Lockstep makes of it: its preset, else a mapping to check.
  useEffect(() => {
    if (!preview.data) return;
    setTabs(preview.data.sheets?.tabs ?? []);
    setDraft(draftFrom(preview.data, likelyEntity(preview.data)));
    // Plain columns fit the generic preset, but only a person can say what they mean.
    const crm = preview.data.preset && preview.data.preset.name !== 'generic';
    setChoice(crm ? DETECT : OWN);
  }, [preview.data]);

  const problems = choice === OWN && draft ? draftProblems(draft) : [];
  const tooLarge = file !== null && file.size > maxUploadBytes;
  const ready = file !== null && !tooLarge && preview.isSuccess && problems.length === 0;
  const submit = () => {
    if (!file) return;
    setUploaded(0);
    send.mutate(
      {
        file,
        preset: choice === DETECT || choice === OWN ? undefined : choice,
        mapping: choice === OWN && draft ? mappingOf(draft) : undefined,
        saveAs: choice === OWN ? draft?.saveAs : undefined,
        // The tab whose columns were shown, named only when there was a choice.
        sheet: tabs.length > 1 ? preview.data?.sheets?.read : undefined,
        onUploaded: setUploaded,
      },
      { onSuccess: onStarted },
    );
  };
  const recognised = preview.data?.preset?.name === 'generic' ? null : preview.data?.preset;
  // The saved mapping the file would be imported with, chosen or recognised: it can be deleted here.
  const savedInUse = [choice, choice === DETECT ? recognised?.name : undefined].find((name) =>
    name?.startsWith(SAVED_PREFIX),
  );
  return (
    <Stack gap="sm">
      <Group align="flex-end" gap="sm">
        <FileInput
          label="CSV or Excel file"
          placeholder="Choose an export…"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          w={320}
          value={file}
          onChange={(next) => {
            setFile(next);
            setTabs([]);
            setSheet(undefined);
            setDraft(null);
            setChoice(DETECT);
            send.reset();
          }}
          clearable
        />
        {tabs.length > 1 && (
          <Select
            label="Tab"
            w={200}
            data={tabs}
            value={preview.data?.sheets?.read ?? sheet ?? tabs[0]}
            allowDeselect={false}
            onChange={(value) => setSheet(value ?? undefined)}
          />
        )}
        <Select
          label="Exported from"
          w={300}
          data={[
            {
              value: DETECT,
              label: recognised ? `Recognised: ${recognised.label}` : 'Recognise it from its columns',
            },
            ...presets.map((preset) => ({ value: preset.name, label: preset.label })),
            { value: OWN, label: 'Other: map the columns myself' },
          ]}
          value={choice}
          allowDeselect={false}
          onChange={(value) => setChoice(value ?? DETECT)}
        />
        <Button onClick={submit} disabled={!ready} loading={send.isPending}>
          Import
        </Button>
        {savedInUse && <DeleteSavedMapping preset={savedInUse} onDeleted={() => setChoice(DETECT)} />}
      </Group>
      {tooLarge && (
        <Alert color="yellow" title="Too large to send from the browser" maw={800}>
          {file.name} is {formatCount(file.size / 1_048_576)} MB; this server takes files up to{' '}
          {formatCount(maxUploadBytes / 1_048_576)} MB. Import it with{' '}
          <Code>npx lockstep import csv {file.name}</Code>, which has no limit (see docs/import-mapping.md).
        </Alert>
      )}
      {preview.isPending && file && <Text size="sm">Reading the columns of {file.name}…</Text>}
      {preview.isError && (
        <Alert color="red" title="This file cannot be read">
          {preview.error.message}
        </Alert>
      )}
      {preview.data && preview.data.notes.length > 0 && (
        <Alert color="yellow" title="Read from this file" maw={800}>
          <List size="sm">
            {preview.data.notes.map((note) => (
              <List.Item key={note}>{note}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {preview.data && choice === DETECT && (
        <Text size="sm">
          {recognised
            ? `${formatCount(preview.data.headers.length)} columns; ${formatCount(recognised.matched.length)} of them are those of a ${recognised.label} export: ${recognised.matched.slice(0, 6).join(', ')}${recognised.matched.length > 6 ? ', …' : '.'}`
            : 'No preset fits these columns.'}
        </Text>
      )}
      {preview.data && choice === OWN && draft && (
        <>
          <Text size="sm">
            {recognised
              ? 'Check how each column is imported:'
              : 'No preset fits these columns. Check how each one is imported; Lockstep guessed from their names:'}
          </Text>
          <MappingEditor preview={preview.data} draft={draft} onChange={setDraft} />
        </>
      )}
      {problems.length > 0 && (
        <Alert color="yellow" title="Before importing">
          <List size="sm">
            {problems.map((problem) => (
              <List.Item key={problem}>{problem}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {send.isPending && file && (
        <Stack gap={4} maw={600}>
          <Text size="sm">
            Sending {file.name} ({(file.size / 1_048_576).toFixed(1)} MB): {Math.round(uploaded * 100)}%
          </Text>
          <Progress value={uploaded * 100} aria-label="Upload" />
        </Stack>
      )}
      {send.isError && (
        <Alert color="red" title="This file was not imported" maw={800}>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {send.error.message}
          </Text>
        </Alert>
      )}
    </Stack>
  );
}

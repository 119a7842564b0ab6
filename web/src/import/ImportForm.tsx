import { Alert, Button, FileInput, Group, Progress, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { type ImportPreset, type ImportRun, useUploadImport } from '../api/imports.ts';

const DETECT = 'detect';

/** Pick a CSV export and its kind, and send it; the run it starts is handed to `onStarted`. */
export function ImportForm({
  presets,
  onStarted,
}: {
  presets: ImportPreset[];
  onStarted: (run: ImportRun) => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [preset, setPreset] = useState<string>(DETECT);
  const [uploaded, setUploaded] = useState(0);
  const send = useUploadImport();
  const submit = () => {
    if (!file) return;
    setUploaded(0);
    send.mutate(
      { file, preset: preset === DETECT ? undefined : preset, onUploaded: setUploaded },
      { onSuccess: onStarted },
    );
  };
  return (
    <Stack gap="sm">
      <Group align="flex-end" gap="sm">
        <FileInput
          label="CSV file"
          placeholder="Choose an export…"
          accept=".csv,text/csv"
          w={320}
          value={file}
          onChange={(next) => {
            setFile(next);
            send.reset();
          }}
          clearable
        />
        <Select
          label="Exported from"
          w={260}
          data={[
            { value: DETECT, label: 'Recognise it from its columns' },
            ...presets.map((preset) => ({ value: preset.name, label: preset.label })),
          ]}
          value={preset}
          allowDeselect={false}
          onChange={(value) => setPreset(value ?? DETECT)}
        />
        <Button onClick={submit} disabled={!file} loading={send.isPending}>
          Import
        </Button>
      </Group>
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

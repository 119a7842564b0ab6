import { Alert, Anchor, Group, SegmentedControl, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import type { ImportEntity, ImportPreview } from '../api/imports.ts';
import { downloadText } from '../csv.ts';
import {
  draftFrom,
  KEEP,
  type MappingDraft,
  mappingOf,
  SKIP,
  stageOptions,
  stageValuesIn,
  withUse,
} from './mappingDraft.ts';

const entities: { value: ImportEntity; label: string }[] = [
  { value: 'people', label: 'People (leads, contacts)' },
  { value: 'accounts', label: 'Accounts (companies)' },
  { value: 'opportunities', label: 'Deals' },
];

const NO_STAGE = 'no-stage';
const REFUSE = 'refuse';

const dateFormats = [
  'ISO',
  'MM/DD/YYYY',
  'MM/DD/YYYY HH:mm',
  'MM/DD/YYYY HH:mm A',
  'DD/MM/YYYY',
  'DD/MM/YYYY HH:mm',
  'DD.MM.YYYY',
  'DD.MM.YYYY HH:mm',
  'DD-MM-YYYY',
  'YYYY/MM/DD',
];

/** Which column becomes which field, for a file no preset fits; every choice starts as Lockstep's guess. */
export function MappingEditor({
  preview,
  draft,
  onChange,
}: {
  preview: ImportPreview;
  draft: MappingDraft;
  onChange: (draft: MappingDraft) => void;
}) {
  const fields = preview.fields[draft.entity];
  const useChoices = [
    { value: KEEP, label: 'Keep as an attribute' },
    { value: SKIP, label: 'Leave out' },
    ...fields.map((field) => ({ value: field.key, label: field.label })),
  ];
  const stageValues = stageValuesIn(preview, draft);
  const stages = stageOptions(preview, draft.entity);
  return (
    <Stack gap="sm">
      <Group align="flex-end" gap="md">
        <div>
          <Text size="sm" fw={500} mb={4}>
            Each row is
          </Text>
          <SegmentedControl
            data={entities}
            value={draft.entity}
            onChange={(value) => onChange(draftFrom(preview, value as ImportEntity, draft.source))}
          />
        </div>
        <TextInput
          label="Name of the system it came from"
          description="Short, put before each id: zoho:123"
          w={220}
          value={draft.source}
          onChange={(event) => onChange({ ...draft, source: event.currentTarget.value.trim().toLowerCase() })}
        />
        <Select
          label="Dates are written"
          description="ISO (2025-02-13) is always read"
          w={220}
          data={dateFormats.includes(draft.dateFormat) ? dateFormats : [draft.dateFormat, ...dateFormats]}
          value={draft.dateFormat}
          allowDeselect={false}
          onChange={(value) => value && onChange({ ...draft, dateFormat: value })}
        />
      </Group>
      <Table.ScrollContainer minWidth={640} mah={420}>
        <Table withTableBorder stickyHeader fz="sm" aria-label="Columns">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w="28%">Column in the file</Table.Th>
              <Table.Th>First values</Table.Th>
              <Table.Th w={260}>Becomes</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {preview.headers.map((header, index) => (
              <Table.Tr key={header}>
                <Table.Td fw={500}>{header}</Table.Td>
                <Table.Td c="dimmed">{firstValues(preview, index)}</Table.Td>
                <Table.Td>
                  <Select
                    size="xs"
                    aria-label={`${header} becomes`}
                    data={useChoices}
                    value={draft.uses[header] ?? SKIP}
                    allowDeselect={false}
                    searchable
                    onChange={(value) => value && onChange(withUse(draft, header, value))}
                  />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {stageValues.length > 0 && (
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Stages: what each value of the file means here
          </Text>
          <Table withTableBorder fz="sm" maw={640} aria-label="Stage values">
            <Table.Tbody>
              {stageValues.slice(0, 30).map((value) => (
                <Table.Tr key={value}>
                  <Table.Td>{value}</Table.Td>
                  <Table.Td w={260}>
                    <Select
                      size="xs"
                      aria-label={`Stage for ${value}`}
                      placeholder="Choose a stage (else the row is refused)"
                      data={[
                        { value: NO_STAGE, label: 'No stage' },
                        ...stages.map((stage) => ({ value: stage.key, label: stage.label })),
                      ]}
                      value={draft.stageValues[value] === null ? '' : (draft.stageValues[value] ?? null)}
                      onChange={(key) =>
                        onChange({
                          ...draft,
                          stageValues: { ...draft.stageValues, [value]: key === '' ? null : key },
                        })
                      }
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
              <Table.Tr>
                <Table.Td c="dimmed">Any other value, further down the file</Table.Td>
                <Table.Td w={260}>
                  <Select
                    size="xs"
                    aria-label="Stage for any other value"
                    data={[
                      { value: REFUSE, label: 'Refuse the row (it is listed)' },
                      ...stages.map((stage) => ({ value: stage.key, label: stage.label })),
                    ]}
                    value={draft.otherStage ?? REFUSE}
                    allowDeselect={false}
                    onChange={(key) =>
                      onChange({ ...draft, otherStage: key === REFUSE || !key ? undefined : key })
                    }
                  />
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Stack>
      )}
      <TextInput
        label="Save this mapping as (optional)"
        description="Offered next time, and recognised in the next export with these columns"
        placeholder="e.g. Trade fair list"
        maw={420}
        value={draft.saveAs ?? ''}
        onChange={(event) => onChange({ ...draft, saveAs: event.currentTarget.value })}
      />
      <Text size="xs" c="dimmed">
        Attributes are kept on each record and can be used in the lead definition's fit rules.{' '}
        <Anchor size="xs" onClick={() => downloadMapping(draft)}>
          Download this mapping
        </Anchor>{' '}
        to import the next export with <code>npx lockstep import csv --mapping</code>.
      </Text>
      {preview.rows.length === 0 && <Alert color="yellow">The file has a header row but no rows.</Alert>}
    </Stack>
  );
}

function firstValues(preview: ImportPreview, index: number): string {
  const values = preview.rows
    .map((row) => row[index] ?? '')
    .filter((value) => value.trim() !== '')
    .slice(0, 3);
  return values.length === 0
    ? '(empty)'
    : values.map((v) => (v.length > 40 ? `${v.slice(0, 39)}…` : v)).join(' · ');
}

function downloadMapping(draft: MappingDraft): void {
  downloadText(
    `${draft.source || 'my'}-mapping.json`,
    JSON.stringify(mappingOf(draft), null, 2),
    'application/json',
  );
}

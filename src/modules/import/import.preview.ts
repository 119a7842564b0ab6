// What the Import page shows before anything is imported: the file's columns and first rows (of a
// CSV file's start or a sheet of an XLSX workbook, with its tabs), the preset they fit (if any), and a mapping
// to start from for each kind of record.

import { AppError } from '../../shared/errors.ts';
import type { LifecycleConfig } from '../lifecycle/lifecycle.config.ts';
import type { PipelineConfig } from '../opportunities/opportunities.pipeline.ts';
import { CsvParser } from './import.csv-parser.ts';
import type { ImportMapping } from './import.mapping.ts';
import { detectPreset, presetLabel } from './import.presets.ts';
import { stageWords } from './import.stage-words.ts';
import { type Entity, entityFields, fieldLabels, suggestMapping } from './import.suggest.ts';
import type { FileHead } from './import.uploads.ts';

/** Rows returned: enough to see a column's values (stage spellings), few enough to send at once. */
export const ROWS_KEPT = 200;

function csvRows(text: string, truncated: boolean): string[][] {
  const parser = new CsvParser(() => {});
  return [...parser.push(text), ...(truncated ? [] : parser.end())].map((record) => record.values);
}

export function previewFile(
  head: FileHead,
  /** The text is the start of a longer file: its last line may be cut. */
  truncated: boolean,
  context: {
    lifecycle: LifecycleConfig;
    pipeline: PipelineConfig;
    /** Mappings saved on the Import page, guessed like presets. */
    saved?: { name: string; mapping: ImportMapping }[];
  },
) {
  const [header, ...rest] = 'rows' in head ? head.rows : csvRows(head.text, truncated);
  const notes = 'notes' in head ? head.notes : [];
  const sheets = 'sheets' in head ? head.sheets : null;
  if (!header || header.every((value) => value.trim() === '')) {
    throw new AppError(
      'validation_failed',
      sheets
        ? `The tab "${sheets.read}" is empty: choose the tab that holds the export, its header row first.`
        : 'The file is empty: a CSV file needs a header row.',
    );
  }
  const headers = header;
  const rows = rest.slice(0, ROWS_KEPT);
  const guess = detectPreset(headers, context.saved);
  const options = (entity: Entity) =>
    entityFields[entity].map((key) => ({ key: key as string, label: fieldLabels[key] }));
  return {
    headers,
    rows,
    preset: guess ? { name: guess.name, label: presetLabel(guess.name), matched: guess.matched } : null,
    suggestions: {
      people: suggestMapping('people', headers, rows),
      accounts: suggestMapping('accounts', headers, rows),
      opportunities: suggestMapping('opportunities', headers, rows),
    },
    fields: {
      people: options('people'),
      accounts: options('accounts'),
      opportunities: options('opportunities'),
    },
    stageWords: Object.fromEntries(stageWords(context.lifecycle.stages.map((stage) => stage.key))),
    notes,
    sheets,
    stages: {
      people: context.lifecycle.stages.map(({ key, label }) => ({ key, label })),
      opportunities: context.pipeline.stages.map(({ key, label }) => ({ key, label })),
    },
  };
}

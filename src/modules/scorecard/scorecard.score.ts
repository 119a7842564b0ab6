// `scorecard score`: a CSV of leads in, `id,probability,points,reasons` out, one record at a time so
// that memory stays flat however large the file.

import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { csvField } from '../../shared/csv.ts';
import { AppError } from '../../shared/errors.ts';
import type { ReadOptions } from '../import/import.csv-reader.ts';
import { columnIndex, csvRecords } from './scorecard.csv.ts';
import type { ScorecardModel } from './scorecard.model.ts';
import { compileScorer, describeReasons } from './scorecard.scorer.ts';

export interface ScoreOptions extends ReadOptions {
  model: ScorecardModel;
  file: string;
  idColumn: string;
  output: Writable;
  /** Told what the reading noticed (other tabs of a workbook, rows above its table). */
  onWarning?: (warning: string) => void;
  /** How many rules the reasons column names. */
  reasons?: number;
}

export async function scoreCsvFile(options: ScoreOptions): Promise<{ rows: number }> {
  const { model, file, output } = options;
  let score: ReturnType<typeof compileScorer> | undefined;
  let idAt = 0;
  let rows = 0;
  let buffer: string[] = ['id,probability,points,reasons'];
  const flush = async () => {
    if (buffer.length === 0) return;
    const ok = output.write(`${buffer.join('\n')}\n`);
    buffer = [];
    if (!ok) await once(output, 'drain');
  };
  for await (const record of csvRecords(file, { sheet: options.sheet }, options.onWarning)) {
    if (score === undefined) {
      const headers = record;
      idAt = columnIndex(headers, options.idColumn, file, '--id');
      score = compileScorer(model, (column) => columnIndex(headers, column, file, 'used by the model'));
      continue;
    }
    const lead = score(record);
    rows++;
    buffer.push(
      [
        csvField(record[idAt] ?? ''),
        lead.probability.toFixed(6),
        String(lead.points),
        csvField(describeReasons(lead.matched, options.reasons ?? 3)),
      ].join(','),
    );
    if (buffer.length >= 2_000) await flush();
  }
  if (score === undefined)
    throw new AppError('validation_failed', `${file} is empty: no header line.`, { file });
  await flush();
  return { rows };
}

// Cell references: the stable, opaque handle on "the records behind this number".
import { AppError } from '../../shared/errors.ts';
import { type CellSpec, cellSpec } from './reports.schema.ts';

export function encodeCell(spec: CellSpec): string {
  return Buffer.from(JSON.stringify(spec)).toString('base64url');
}

export function decodeCell(cell: string): CellSpec {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cell, 'base64url').toString('utf8'));
  } catch {
    json = undefined;
  }
  const parsed = cellSpec.safeParse(json);
  if (!parsed.success) {
    throw new AppError('validation_failed', '`cell` is not a cell reference returned by a report.', {
      field: 'cell',
    });
  }
  return parsed.data;
}

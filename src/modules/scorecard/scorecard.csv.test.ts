import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvTable } from './scorecard.csv.ts';
import { tempDir } from './scorecard.test-support.ts';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('reading a table for a fit', () => {
  const file = path.join(dir, 'leads.csv');
  fs.writeFileSync(file, 'id,source,notes,outcome\n1,web,long text,won\n2,ads\n3,web,more,lost\n');

  it('keeps every column when nothing is chosen, short rows read as empty cells', async () => {
    const table = await readCsvTable(file);
    expect(table.headers).toEqual(['id', 'source', 'notes', 'outcome']);
    expect(table.rows).toEqual([
      ['1', 'web', 'long text', 'won'],
      ['2', 'ads', '', ''],
      ['3', 'web', 'more', 'lost'],
    ]);
  });

  it('keeps only the columns the header callback chooses, in its order', async () => {
    const seen: string[][] = [];
    const table = await readCsvTable(
      file,
      {},
      {
        onHeaders: (headers) => {
          seen.push(headers);
          return [3, 1];
        },
      },
    );
    expect(seen).toEqual([['id', 'source', 'notes', 'outcome']]);
    expect(table.headers).toEqual(['outcome', 'source']);
    expect(table.rows).toEqual([
      ['won', 'web'],
      ['', 'ads'],
      ['lost', 'web'],
    ]);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
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

  it('keeps no more of the file than the values it keeps', async () => {
    // Each row: a distinct 20-character value kept, and 200 characters of notes left out, quoted as
    // exports quote text with commas. The parser's values are slices of the text it read; a kept
    // slice would keep that text alive.
    const big = path.join(dir, 'wide.csv');
    const rows = 50_000;
    const notes = 'n'.repeat(200);
    const write = fs.openSync(big, 'w');
    fs.writeSync(write, 'domain,notes\n');
    for (let i = 0; i < rows; i++)
      fs.writeSync(write, `company${String(i).padStart(5, '0')}.example,"Notes, ${notes}"\n`);
    fs.closeSync(write);
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    const table = await readCsvTable(big, {}, { onHeaders: () => [0] });
    gc();
    const perRow = (process.memoryUsage().heapUsed - before) / rows;
    expect(table.rows[12_345]).toEqual(['company12345.example']);
    // About 140 bytes a row (the row, a copy of its value); keeping the text read put it at 310.
    expect(perRow).toBeLessThan(220);
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { workbookFromCsv } from '../import/import.test-support.ts';
import { readCsvTable } from './scorecard.csv.ts';
import { type FitProgress, type FitScorecardOptions, fitScorecard } from './scorecard.fit.ts';
import { scorecardModelSchema } from './scorecard.model.ts';
import { scoreCsvFile } from './scorecard.score.ts';
import { compileScorer } from './scorecard.scorer.ts';
import { formatFitSummary } from './scorecard.summary.ts';
import { tempDir, writeSyntheticLeads } from './scorecard.test-support.ts';

const dir = tempDir();
const leads = path.join(dir, 'leads.csv');
writeSyntheticLeads(leads);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const now = new Date('2025-01-01T00:00:00Z');
const base: FitScorecardOptions = {
  file: leads,
  outcomeColumn: 'outcome',
  idColumn: 'lead_id',
  exclude: ['stage'],
  now,
};

async function fitError(options: Partial<FitScorecardOptions>): Promise<string> {
  const error = await fitScorecard({ ...base, ...options }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).message;
}

describe('fitting a scorecard', async () => {
  const result = await fitScorecard({ ...base, seed: 5 });
  const { model } = result;

  it('uses the leads with an outcome and says what it did with every column', () => {
    expect(model.data).toMatchObject({
      rowsRead: 3_000,
      rowsWithoutOutcome: 50,
      rowsUsed: 2_950,
      idColumn: 'lead_id',
    });
    expect(model.training).toMatchObject({ seed: 5, trainRows: 2_065, holdoutRows: 885, folds: 5 });
    expect(model.features.map((f) => f.name)).toEqual([
      'origin',
      'employees',
      'created_at (month)',
      'created_at (weekday)',
    ]);
    expect(model.dropped).toEqual([
      { column: 'lead_id', reason: 'the lead id (--id)' },
      { column: 'stage', reason: 'excluded with --exclude' },
      { column: 'country', reason: 'constant: every row is "br"' },
    ]);
    expect(scorecardModelSchema.parse(JSON.parse(JSON.stringify(model)))).toEqual(model);
  });

  it('learns the known effects as points, with "(other)" and "(missing)" rules', () => {
    const points = (value: string) =>
      model.rules.find(
        (rule) => rule.feature === 'origin' && rule.kind === 'category' && rule.value === value,
      )?.points;
    expect(points('referral')).toBeGreaterThan(15);
    expect(points('social')).toBeLessThan(-10);
    expect(points('referral')!).toBeGreaterThan(points('paid')!);
    expect(points('paid')!).toBeGreaterThan(points('social')!);
    const originRules = model.rules.filter((rule) => rule.feature === 'origin');
    expect(originRules.map((rule) => rule.kind)).toEqual([
      'category',
      'category',
      'category',
      'category',
      'other',
      'missing',
    ]);
    expect(originRules.find((rule) => rule.kind === 'missing')?.rows).toBeGreaterThan(50);
    // Larger companies win more often: the top employee range outscores the bottom one.
    const ranges = model.rules.filter((rule) => rule.kind === 'range');
    expect(ranges.length).toBeGreaterThanOrEqual(4);
    expect(ranges.at(-1)!.points).toBeGreaterThan(ranges[0]!.points);
    expect(model.evaluation.auc).toBeGreaterThan(0.65);
    expect(model.training.lambdaGrid.map((g) => g.lambda)).toContain(model.training.lambda);
    // Every rule's points are its centred coefficient on the 20-points-double-the-odds scale.
    for (const rule of model.rules)
      expect(rule.points).toBe(Math.round((rule.coefficient * 20) / Math.LN2) + 0);
  });

  it('gives the same model for the same seed and another split for another seed', async () => {
    const again = await fitScorecard({ ...base, seed: 5 });
    expect(JSON.stringify(again.model)).toBe(JSON.stringify(model));
    const other = await fitScorecard({ ...base, seed: 6 });
    expect(other.holdout.rows).not.toEqual(result.holdout.rows);
  });

  it('scores a lead exactly as the fit did, from the model file and the CSV', async () => {
    const reloaded = scorecardModelSchema.parse(JSON.parse(JSON.stringify(model)));
    const table = await readCsvTable(leads);
    const score = compileScorer(reloaded, (column) => table.headers.indexOf(column));
    result.holdout.rows.forEach((row, k) => {
      expect(Math.abs(score(table.rows[row]!).probability - result.holdout.probability[k]!)).toBeLessThan(
        1e-12,
      );
    });

    const output = new PassThrough();
    const chunks: Buffer[] = [];
    output.on('data', (chunk: Buffer) => chunks.push(chunk));
    const { rows } = await scoreCsvFile({ model: reloaded, file: leads, idColumn: 'lead_id', output });
    expect(rows).toBe(3_000);
    const scored = parse(Buffer.concat(chunks), { columns: true }) as Record<string, string>[];
    expect(Object.keys(scored[0]!)).toEqual(['id', 'probability', 'points', 'reasons']);
    const byId = new Map(scored.map((r) => [r.id!, r]));
    result.holdout.rows.forEach((row, k) => {
      const scoredLead = byId.get(table.rows[row]![0]!)!;
      expect(Math.abs(Number(scoredLead.probability) - result.holdout.probability[k]!)).toBeLessThanOrEqual(
        5e-7,
      );
    });
    // Points are the base plus the matching rules' points, and the reasons name the largest of them.
    const first = score(table.rows[0]!);
    expect(Number(byId.get('L00000')!.points)).toBe(first.points);
    expect(first.points).toBe(
      model.scale.baseScore + first.matched.reduce((sum, rule) => sum + rule.points, 0),
    );
    expect(byId.get('L00000')!.reasons).toMatch(/^[a-z_ ()]+(=| in | < | ≥ )\S+.* [+-]\d+(; |$)/);
  });

  it('reads the export as a spreadsheet writes it: semicolons in Windows-1252, or an XLSX workbook', async () => {
    const text = fs.readFileSync(leads, 'utf8');
    const semicolons = path.join(dir, 'leads-semicolons.csv');
    // "São Paulo" is one byte per letter in Windows-1252 (ã = E3), not valid UTF-8.
    fs.writeFileSync(
      semicolons,
      Buffer.from(text.replaceAll(',', ';').replaceAll(';BR;', ';São Paulo;'), 'latin1'),
    );
    const workbook = await workbookFromCsv(text, path.join(dir, 'leads.xlsx'));
    for (const file of [semicolons, workbook]) {
      const { model: read } = await fitScorecard({ ...base, file, seed: 5 });
      expect(read.data).toMatchObject({ rowsRead: 3_000, rowsUsed: 2_950 });
      expect(read.features).toEqual(model.features);
      expect(read.rules).toEqual(model.rules);
      expect(read.evaluation).toEqual(model.evaluation);
    }
    // The leads on a workbook's second tab, named.
    const tabs = await workbookFromCsv(text, path.join(dir, 'leads-tabs.xlsx'), { coverTab: 'Notes' });
    const { model: fromTab } = await fitScorecard({ ...base, file: tabs, sheet: 'Export', seed: 5 });
    expect(fromTab.data).toMatchObject({
      file: 'leads-tabs.xlsx, tab "Export"',
      rowsRead: 3_000,
      rowsUsed: 2_950,
    });
    expect(fromTab.rules).toEqual(model.rules);
    // The first tab read by default; the model says which, and that there was another.
    const pivot = await workbookFromCsv(text, path.join(dir, 'leads-pivot.xlsx'), { afterTab: 'Pivot' });
    const { model: first } = await fitScorecard({ ...base, file: pivot, seed: 5 });
    expect(first.data.file).toBe('leads-pivot.xlsx, tab "Export"');
    expect(first.notes[0]).toBe(
      'Reading leads-pivot.xlsx: the workbook has 2 tabs and only "Export" was read (the others: "Pivot"); ' +
        'to read another, name it (--sheet "Pivot" on the command line, "sheet" in the API).',
    );
    expect(fromTab.notes.join('\n')).not.toContain('Reading');
    const warnings: string[] = [];
    const scored = new PassThrough().resume();
    const rows = await scoreCsvFile({
      model: first,
      file: pivot,
      idColumn: 'lead_id',
      output: scored,
      onWarning: (warning) => warnings.push(warning),
    });
    expect(rows).toEqual({ rows: 3_000 });
    expect(warnings).toEqual([first.notes[0]!.replace('Reading leads-pivot.xlsx: ', '').replace(/\.$/, '')]);
    const { model: european } = await fitScorecard({ ...base, file: semicolons, seed: 5 });
    expect(european.dropped).toContainEqual({
      column: 'country',
      reason: 'constant: every row is "são paulo"',
    });
  });

  it('warns about a column that gives the outcome away', async () => {
    const leaky = await fitScorecard({ ...base, exclude: [] });
    expect(leaky.model.notes.join('\n')).toContain('"stage" alone separates the outcome almost perfectly');
    expect(model.notes.join('\n')).not.toContain('alone separates');
  });

  it('asks about columns named like fields sales fills in, which leak even when they predict less', async () => {
    // The synthetic export with three more columns, none of them predictive: two named like sales' fields.
    const rows = parse(fs.readFileSync(leads, 'utf8')) as string[][];
    const withMore = path.join(dir, 'with-sales-fields.csv');
    const values = ['high in relevance', 'might be', 'not sure'];
    fs.writeFileSync(
      withMore,
      rows
        .map((row, i) =>
          [
            ...row,
            ...(i === 0
              ? ['Lead Quality', 'assignedRep', 'Lead Source Detail']
              : [values[i % 3], `rep ${i % 4}`, `page ${i % 5}`]),
          ].join(','),
        )
        .join('\n'),
    );
    const { model: asked } = await fitScorecard({ ...base, file: withMore });
    expect(asked.features.map((f) => f.column)).toContain('Lead Source Detail');
    expect(asked.notes.filter((note) => note.startsWith('Check'))).toEqual([
      'Check "Lead Quality", "assignedRep": their names sound like fields sales fills in after the hand-off. ' +
        'If they are, --exclude them: they tell the model what happened to the lead, not what was known when it was handed over.',
    ]);
    // One named: the note speaks of it alone.
    const { model: one } = await fitScorecard({ ...base, file: withMore, exclude: ['stage', 'assignedRep'] });
    expect(one.notes.filter((note) => note.startsWith('Check'))).toEqual([
      'Check "Lead Quality": its name sounds like a field sales fills in after the hand-off. If it is, ' +
        '--exclude it: it tells the model what happened to the lead, not what was known when it was handed over.',
    ]);
    // "stage", left in, gives the outcome away: warned about as such, and not asked about again.
    const { model: leaky } = await fitScorecard({ ...base, file: withMore, exclude: [] });
    const notes = leaky.notes.join('\n');
    expect(notes).toContain('"stage" alone separates the outcome almost perfectly');
    expect(notes).toContain('Check "Lead Quality", "assignedRep": their names');
    expect(model.notes.join('\n')).not.toContain('Check');
  });

  it('takes the positive value from --positive and leaves out leads without an outcome', async () => {
    const byValue = await fitScorecard({ ...base, positive: 'WON' });
    expect(byValue.model.data).toMatchObject({ rowsUsed: 2_950, positiveValue: 'WON' });
    expect(byValue.model.data.positiveRate).toBeCloseTo(model.data.positiveRate, 12);
  });
});

describe('fit errors a person can act on', () => {
  it('finds a column missing on the header row, before reading the rows, and tells its steps otherwise', async () => {
    const seen: FitProgress[] = [];
    const onProgress = (progress: FitProgress) => seen.push(progress);
    await expect(fitScorecard({ ...base, outcomeColumn: 'won', onProgress })).rejects.toThrow(
      'has no column "won"',
    );
    expect(seen).toEqual([]);
    await fitScorecard({ ...base, onProgress });
    expect(seen[0]).toEqual({
      step: 'reading',
      rows: 3_000,
      bytes: fs.statSync(leads).size,
      totalBytes: fs.statSync(leads).size,
    });
    expect(seen.filter((p) => p.step === 'cross-validating').at(-1)).toEqual({
      step: 'cross-validating',
      fits: 35,
      of: 35,
    });
    expect(seen.at(-1)).toEqual({ step: 'fitting' });
  });

  it('names the columns the file has when a column is missing', async () => {
    expect(await fitError({ outcomeColumn: 'won' })).toBe(
      `${leads} has no column "won" (--outcome). Its columns are: "lead_id", "origin", "employees", "created_at", "country", "stage", "outcome".`,
    );
    expect(await fitError({ exclude: ['nope'] })).toContain('has no column "nope" (--exclude)');
  });

  it('refuses an outcome with one class only', async () => {
    expect(await fitError({ positive: 'maybe' })).toContain(
      'has one class only: all 2950 leads with an outcome are negative',
    );
  });

  it('asks for --positive when the outcome is not a yes/no column', async () => {
    expect(await fitError({ outcomeColumn: 'origin', exclude: [] })).toContain('--positive <value>');
  });

  it('names the columns when the file to score lacks one the model needs', async () => {
    const { model } = await fitScorecard({ ...base, seed: 2 });
    const other = path.join(dir, 'other.csv');
    fs.writeFileSync(other, 'lead_id,origin\nL1,referral\n');
    const score = (idColumn: string) =>
      scoreCsvFile({ model, file: other, idColumn, output: new PassThrough() }).catch((e: unknown) => e);
    expect(String(await score('id'))).toContain(
      `${other} has no column "id" (--id). Its columns are: "lead_id", "origin".`,
    );
    expect(String(await score('lead_id'))).toContain('has no column "employees" (used by the model)');
  });

  it('stops at a line that is not readable CSV, naming it', async () => {
    const broken = path.join(dir, 'broken.csv');
    fs.writeFileSync(
      broken,
      `${fs.readFileSync(leads, 'utf8')}L99999,"referral,12,2024-01-01,BR,open,lost\n`,
    );
    expect(await fitError({ file: broken })).toMatch(/^Cannot read .*broken\.csv as CSV at line 3002: .+\.$/);
  });

  it('says when the file is not there', async () => {
    expect(await fitError({ file: path.join(dir, 'nope.csv') })).toBe(
      `There is no file ${path.join(dir, 'nope.csv')}.`,
    );
  });

  it('fits without cross-validation when one outcome is too rare for it, and says so', async () => {
    const tiny = path.join(dir, 'tiny.csv');
    const rows = Array.from(
      { length: 40 },
      (_, i) => `${i % 2 ? 'a' : 'b'},${i === 3 || i === 8 ? 'yes' : 'no'}`,
    );
    fs.writeFileSync(tiny, ['segment,converted', ...rows].join('\n'));
    const { model: small } = await fitScorecard({ file: tiny, outcomeColumn: 'converted', now });
    expect(small.training).toMatchObject({ folds: 0, lambda: 1, lambdaGrid: [] });
    expect(scorecardModelSchema.parse(JSON.parse(JSON.stringify(small)))).toEqual(small);
    expect(formatFitSummary(small)).toContain('lambda = 1 (too few leads of one outcome to cross-validate)');
    // 12 leads held out, one of them positive.
    expect(small.notes).toContain(
      'The holdout has only 1 positive and 11 negative leads: its AUC, lift and calibration can be far off by chance ' +
        '(they need a few dozen of each). Fit on more rows before trusting them.',
    );
  });
});

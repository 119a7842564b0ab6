import { describe, expect, it } from 'vitest';
import type { ImportRun } from '../api/imports.ts';
import { progressOf, runKindLabel } from './importWords.ts';

describe('what kind of file a run read', () => {
  const presets = [
    { name: 'zoho-leads', label: 'Zoho CRM leads' },
    { name: 'saved:Trade fair list', label: 'Trade fair list (saved)' },
  ];

  it('names the preset or the saved mapping by its label', () => {
    expect(runKindLabel('csv:zoho-leads', presets)).toBe('Zoho CRM leads');
    expect(runKindLabel('csv:saved:Trade fair list', presets)).toBe('Trade fair list (saved)');
    expect(runKindLabel('olist', presets)).toBe('Olist data set');
  });

  it('says a saved mapping was deleted since, and a mapping sent with the file is its own', () => {
    expect(runKindLabel('csv:saved:Old list', presets)).toBe('Old list (deleted mapping)');
    expect(runKindLabel('csv:mapping', presets)).toBe('Own mapping');
    expect(runKindLabel('csv:my-mapping.json', presets)).toBe('Own mapping (my-mapping.json)');
  });
});

describe('where a running import is', () => {
  const running = (progress: ImportRun['progress']): ImportRun => ({
    id: '00000000-0000-4000-8000-000000000001',
    kind: 'csv:hubspot-contacts',
    fileName: 'contacts.csv',
    status: 'running',
    progress,
    report: null,
    error: null,
    requestedBy: null,
    startedAt: '2026-11-28T03:00:00.000Z',
    finishedAt: null,
  });
  const at = (phase: 'reading' | 'merging' | 'indexing', rowsMerged: number) =>
    progressOf(
      running({
        phase,
        rowsRead: 1_000_000,
        bytesRead: 500,
        totalBytes: 1000,
        rowsMerged,
        rowsToMerge: 1_000_000,
      }),
    );

  it('reads, matches, writes, then builds the indexes, the bar only ever moving forward', () => {
    const steps = [at('reading', 0), at('merging', 0), at('merging', 400_000), at('indexing', 1_000_000)];
    expect(steps.map((step) => step.share)).toEqual([0.25, 0.5, 0.7, 1]);
    expect(steps[1]?.words).toBe('Step 2 of 2: matching 1,000,000 rows with the records already here…');
    expect(steps[2]?.words).toBe('Step 2 of 2, writing: 400,000 of 1,000,000 rows');
    expect(steps[3]?.words).toBe('Step 2 of 2: all 1,000,000 rows written; building the indexes over them…');
  });
});

import { type ImportPreset, type ImportRun, SAVED_PREFIX } from '../api/imports.ts';
import { formatCount } from '../format.ts';

/** What kind of file a run read, from its kind ("csv:hubspot-contacts", "olist") and the presets' labels. */
export function runKindLabel(kind: string, presets: ImportPreset[]): string {
  if (kind === 'olist') return 'Olist data set';
  if (!kind.startsWith('csv:')) return kind;
  const mapping = kind.slice('csv:'.length);
  const preset = presets.find((candidate) => candidate.name === mapping);
  if (preset) return preset.label;
  // A saved mapping no longer among the presets was deleted after this run.
  if (mapping.startsWith(SAVED_PREFIX)) return `${mapping.slice(SAVED_PREFIX.length)} (deleted mapping)`;
  return mapping === 'mapping' ? 'Own mapping' : `Own mapping (${mapping})`;
}

/** A sentence on where a run is, and how far along as a share from 0 to 1 (null: not known yet). */
export function progressOf(run: ImportRun): { words: string; share: number | null } {
  const p = run.progress;
  if (run.status === 'queued') return { words: 'Waiting for the import before it to finish…', share: null };
  if (!p) return { words: 'Starting…', share: null };
  if (p.phase === 'reading') {
    return {
      words: `Step 1 of 2, reading and checking the rows: ${formatCount(p.rowsRead)} so far`,
      share: p.totalBytes > 0 ? p.bytesRead / p.totalBytes / 2 : null,
    };
  }
  if (p.phase === 'merging') {
    const share = p.rowsToMerge > 0 ? p.rowsMerged / p.rowsToMerge : 0;
    return {
      words:
        p.rowsMerged === 0
          ? `Step 2 of 2: matching ${formatCount(p.rowsToMerge)} rows with the records already here…`
          : `Step 2 of 2, writing: ${formatCount(p.rowsMerged)} of ${formatCount(p.rowsToMerge)} rows`,
      share: 0.5 + share / 2,
    };
  }
  if (p.phase === 'indexing') {
    return {
      words: `Step 2 of 2: all ${formatCount(p.rowsToMerge)} rows written; building the indexes over them…`,
      share: 1,
    };
  }
  return { words: 'Finishing…', share: 1 };
}

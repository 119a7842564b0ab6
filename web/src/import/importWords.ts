import type { ImportRun } from '../api/imports.ts';
import { formatCount } from '../format.ts';

const brands: Record<string, string> = {
  hubspot: 'HubSpot',
  salesforce: 'Salesforce',
  pipedrive: 'Pipedrive',
};

/** "hubspot-contacts" → "HubSpot contacts"; "generic" → "Plain columns (generic)". */
export function presetLabel(name: string): string {
  if (name === 'generic') return 'Plain columns (generic)';
  const [brand = '', ...rest] = name.split('-');
  return [brands[brand] ?? brand, ...rest].join(' ');
}

/** What kind of file a run read, from its kind ("csv:hubspot-contacts", "olist"). */
export function runKindLabel(kind: string): string {
  if (kind.startsWith('csv:')) {
    const mapping = kind.slice('csv:'.length);
    return mapping === 'mapping' ? 'Own mapping' : presetLabel(mapping);
  }
  return kind === 'olist' ? 'Olist data set' : kind;
}

/** A sentence on where a run is, and how far along as a share from 0 to 1 (null: not known yet). */
export function progressOf(run: ImportRun): { words: string; share: number | null } {
  const p = run.progress;
  if (run.status === 'queued') return { words: 'Waiting for the import before it to finish…', share: null };
  if (!p) return { words: 'Starting…', share: null };
  if (p.phase === 'reading') {
    return {
      words: `Reading and checking rows: ${formatCount(p.rowsRead)} so far`,
      share: p.totalBytes > 0 ? p.bytesRead / p.totalBytes / 2 : null,
    };
  }
  if (p.phase === 'merging') {
    const share = p.rowsToMerge > 0 ? p.rowsMerged / p.rowsToMerge : 0;
    return {
      words:
        p.rowsMerged === 0
          ? `Matching ${formatCount(p.rowsToMerge)} rows with the people and accounts already here…`
          : `Writing: ${formatCount(p.rowsMerged)} of ${formatCount(p.rowsToMerge)} rows`,
      share: 0.5 + share / 2,
    };
  }
  return { words: 'Finishing…', share: 1 };
}

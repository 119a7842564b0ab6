// The mapping a person builds on the Import page for a file no preset fits, and the mapping JSON
// it becomes (docs/import-mapping.md): the same the command line takes with --mapping.
import type { ImportEntity, ImportPreview } from '../api/imports.ts';

/** What a column becomes: a Lockstep field, an attribute kept on the record, or nothing. */
export type ColumnUse = string;
export const KEEP = 'attribute';
export const SKIP = 'ignore';

export interface MappingDraft {
  entity: ImportEntity;
  /** The short name put in front of the file's ids (`zoho:123`). */
  source: string;
  uses: Record<string, ColumnUse>;
  dateFormat: string;
  /** A stage column's values → a stage key, or null for "no stage". Values not listed are kept. */
  stageValues: Record<string, string | null>;
  /** The stage of values neither a stage nor listed (beyond the rows read); undefined refuses them. */
  otherStage?: string;
  /** A name to keep the mapping under, offered and recognised next time; empty keeps nothing. */
  saveAs?: string;
}

const loose = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** The server's suggestion for `entity`, with every stage value it can place already placed. */
export function draftFrom(preview: ImportPreview, entity: ImportEntity, source = 'csv'): MappingDraft {
  const suggestion = preview.suggestions[entity];
  const uses: Record<string, ColumnUse> = {};
  for (const header of preview.headers) uses[header] = KEEP;
  for (const [field, header] of Object.entries(suggestion.columns)) uses[header] = field;
  const draft: MappingDraft = { entity, source, uses, dateFormat: suggestion.dateFormat, stageValues: {} };
  return { ...draft, stageValues: placedStageValues(preview, draft) };
}

/** What a file's rows most likely are: deals have an amount, people a name or an email, accounts neither. */
export function likelyEntity(preview: ImportPreview): ImportEntity {
  const { people, accounts, opportunities } = preview.suggestions;
  if (opportunities.columns.amount !== undefined) return 'opportunities';
  const person = ['email', 'firstName', 'lastName', 'fullName'].some(
    (field) => people.columns[field] !== undefined,
  );
  if (!person && Object.keys(accounts.columns).length > 0) return 'accounts';
  return 'people';
}

/** Puts `header` on `use`; a field holds one column, so the column that held it before is let go. */
export function withUse(draft: MappingDraft, header: string, use: ColumnUse): MappingDraft {
  const uses = { ...draft.uses };
  if (use !== KEEP && use !== SKIP) {
    for (const [other, otherUse] of Object.entries(uses)) {
      if (otherUse === use) uses[other] = KEEP;
    }
  }
  uses[header] = use;
  return { ...draft, uses };
}

export function stageOptions(preview: ImportPreview, entity: ImportEntity) {
  return entity === 'opportunities' ? preview.stages.opportunities : preview.stages.people;
}

/** The different values of the column used as the stage, in the rows read (most common first). */
export function stageValuesIn(preview: ImportPreview, draft: MappingDraft): string[] {
  const header = Object.keys(draft.uses).find((h) => draft.uses[h] === 'stage');
  if (header === undefined) return [];
  const index = preview.headers.indexOf(header);
  const counts = new Map<string, number>();
  for (const row of preview.rows) {
    const value = (row[index] ?? '').trim();
    if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([value]) => value);
}

/** Each stage value whose spelling is a stage's key or label, or a CRM's word for it, placed on that stage. */
export function placedStageValues(
  preview: ImportPreview,
  draft: MappingDraft,
): Record<string, string | null> {
  const stages = stageOptions(preview, draft.entity);
  const placed: Record<string, string | null> = {};
  for (const value of stageValuesIn(preview, draft)) {
    const stage = stages.find((s) => loose(s.key) === loose(value) || loose(s.label) === loose(value));
    const word = draft.entity === 'people' ? preview.stageWords[loose(value)] : undefined;
    if (stage ?? word) placed[value] = stage?.key ?? word!;
  }
  return placed;
}

/** The mapping file this draft stands for. */
export function mappingOf(draft: MappingDraft) {
  const columns: Record<string, string> = {};
  const attributes: string[] = [];
  for (const [header, use] of Object.entries(draft.uses)) {
    if (use === KEEP) attributes.push(header);
    else if (use !== SKIP) columns[use] = header;
  }
  const stage = Object.fromEntries(Object.entries(draft.stageValues).filter(([, key]) => key !== undefined));
  return {
    entity: draft.entity,
    source: draft.source,
    columns,
    ...(attributes.length > 0 ? { attributes } : {}),
    ...(columns.stage && Object.keys(stage).length > 0 ? { valueMaps: { stage } } : {}),
    ...(columns.stage && draft.otherStage ? { unknownStage: draft.otherStage } : {}),
    dateFormat: draft.dateFormat,
  };
}

/** What keeps the draft from being imported, in words; the server checks everything else. */
export function draftProblems(draft: MappingDraft): string[] {
  const used = new Set(Object.values(draft.uses));
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9_-]*$/.test(draft.source)) {
    problems.push('The source needs a short lower-case name, such as "zoho" (letters, digits, - and _).');
  }
  if (draft.entity === 'people' && !used.has('email') && !used.has('externalId') && !used.has('lockstepId')) {
    problems.push(
      'Choose the Email or the "ID in your CRM" column: without one, importing again could not find the same person.',
    );
  }
  if (draft.entity === 'opportunities' && !used.has('externalId')) {
    problems.push(
      'Choose the deal\'s "ID in your CRM" column: it is how importing again finds the same deal.',
    );
  }
  if (
    draft.entity === 'accounts' &&
    !['companyExternalId', 'companyName', 'companyDomain'].some((f) => used.has(f))
  ) {
    problems.push("Choose the company's name, website or ID column.");
  }
  return problems;
}

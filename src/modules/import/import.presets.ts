// Mappings shipped with Lockstep for common CRM exports (presets/*.json, documented in docs/import-mapping.md),
// and the guess of which one a file's header row was written by.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../shared/errors.ts';
import { attributeRefs, findColumn, identifyingFields } from './import.headers.ts';
import {
  type HeaderRef,
  headerAlternatives,
  type ImportField,
  type ImportMapping,
  loadMappingFile,
} from './import.mapping.ts';
import { looseKey } from './import.values.ts';

const presetDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'presets');

/** The preset for a file of plain headers; it is guessed only when no CRM's preset fits. */
const GENERIC = 'generic';
/** A preset that maps fewer columns than this must find all of them. */
const MIN_MATCHED = 3;

const CRM_NAMES: Record<string, string> = {
  hubspot: 'HubSpot',
  salesforce: 'Salesforce',
  pipedrive: 'Pipedrive',
  zoho: 'Zoho CRM',
};

/** "hubspot-contacts" → "HubSpot contacts"; "generic" → "Plain columns (generic)"; "saved:Fairs" → "Fairs (saved)". */
export function presetLabel(name: string): string {
  if (name === GENERIC) return 'Plain columns (generic)';
  if (name === 'lockstep-people') return "Lockstep's own people export";
  if (name === 'lockstep-opportunities') return "Lockstep's own deals export";
  if (name === 'lockstep-accounts') return "Lockstep's own accounts export";
  // A mapping saved on the Import page (import.mappings.store.ts).
  if (name.startsWith('saved:')) return `${name.slice('saved:'.length)} (saved)`;
  const [crm = '', ...kind] = name.split('-');
  return [CRM_NAMES[crm] ?? crm, ...kind].join(' ');
}

/** The shipped presets, read once: they are files of the release and never change while it runs. */
let shipped: Map<string, ImportMapping> | undefined;

function shippedPresets(): Map<string, ImportMapping> {
  shipped ??= new Map(
    fs
      .readdirSync(presetDir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.slice(0, -'.json'.length))
      .sort()
      .map((name) => [name, loadMappingFile(path.join(presetDir, `${name}.json`))]),
  );
  return shipped;
}

/** "hubspot-contacts" → "a HubSpot contacts export". */
export function exportKind(preset: string): string {
  return preset === 'generic' ? 'a CSV with plain headers' : `a ${presetLabel(preset)} export`;
}

export function presetNames(): string[] {
  return [...shippedPresets().keys()];
}

export function loadPreset(name: string): ImportMapping {
  const mapping = shippedPresets().get(name);
  if (!mapping) {
    const names = presetNames();
    throw new AppError('validation_failed', `There is no preset "${name}". Presets: ${names.join(', ')}.`, {
      preset: name,
      presets: names,
    });
  }
  return mapping;
}

export interface PresetGuess {
  name: string;
  entity: ImportMapping['entity'];
  /** The file's headers the preset maps, in the file's order. */
  matched: string[];
}

interface Candidate extends PresetGuess {
  /** The part of the preset's headers that the file has (1: all of them). */
  share: number;
  score: number;
}

/**
 * The shipped preset whose mapped headers the file's header row matches best, or undefined when none fits.
 *
 * A preset fits when the file has a column that identifies its records (as an import requires) and at
 * least three of its mapped headers (all of them if it maps fewer). Exports of one CRM share headers
 * (`Record ID`, `Id`, `Name`), so a preset is scored by the headers it finds times the share of its own
 * headers found: a HubSpot companies export also has a contacts export's `Lead Status` and `Create Date`,
 * but only a few of the contacts preset's two dozen columns. Two more rules keep guesses honest: a file
 * with a person's e-mail column is not an accounts export, and a CRM's preset must find at least one
 * header the generic preset does not map (plain `email, first name, company` is no Salesforce export),
 * and without the CRM's own record-id column, at least three of them (see soundsLikeTheCrm).
 * The generic preset is the guess only when no CRM's preset fits.
 */
export function detectPreset(
  headers: string[],
  /**
   * Mappings saved on the Import page: each fits a file that has every column it maps, and is then
   * preferred to the shipped presets (someone made it for files like this one).
   */
  saved: { name: string; mapping: ImportMapping }[] = [],
): PresetGuess | undefined {
  const fitting = saved
    .map(({ name, mapping }) => ({ name, entity: mapping.entity, ...matchedHeaders(mapping, headers) }))
    .filter((fit) => fit.headers.length === fit.mapped)
    .sort((a, b) => b.mapped - a.mapped);
  if (fitting[0]) return { name: fitting[0].name, entity: fitting[0].entity, matched: fitting[0].headers };
  const presets = presetNames().map((name) => ({ name, mapping: loadPreset(name) }));
  const generic = presets.find((preset) => preset.name === GENERIC)?.mapping;
  const genericHeaders = new Set(generic ? matchedHeaders(generic, headers).headers : []);
  const hasEmail = presets.some(({ mapping }) =>
    (['email', 'personEmail'] as const).some((field) => {
      const ref = mapping.columns[field];
      return ref !== undefined && findColumn(headers, ref) !== undefined;
    }),
  );

  const candidates = presets.flatMap(({ name, mapping }): Candidate[] => {
    const { headers: matched, fields, mapped } = matchedHeaders(mapping, headers);
    // A file taken for Lockstep's own export keeps its ids as they are: only when it has every column.
    if (mapping.keepIds && matched.length < mapped) return [];
    const identified = identifyingFields(mapping.entity).some((field) => fields.has(field));
    if (!identified || matched.length < Math.min(MIN_MATCHED, mapped)) return [];
    if (mapping.entity === 'accounts' && hasEmail) return [];
    if (name !== GENERIC && !soundsLikeTheCrm(mapping, fields, matched, genericHeaders)) return [];
    const share = matched.length / mapped;
    return [{ name, entity: mapping.entity, matched, share, score: matched.length * share }];
  });
  const crm = candidates.filter((candidate) => candidate.name !== GENERIC);
  const best = (crm.length > 0 ? crm : candidates).sort(
    (a, b) => b.score - a.score || b.share - a.share || a.name.localeCompare(b.name),
  )[0];
  return best && { name: best.name, entity: best.entity, matched: best.matched };
}

/**
 * A CRM's export carries the column of its records' ids, or at least three headers plain files do
 * not have ("Person - Name"): a trade-fair list of Name, E-mail and Status is no Salesforce export
 * because Salesforce also has a Status.
 */
function soundsLikeTheCrm(
  mapping: ImportMapping,
  fields: Set<ImportField>,
  matched: string[],
  genericHeaders: Set<string>,
): boolean {
  if (fields.has(mapping.entity === 'accounts' ? 'companyExternalId' : 'externalId')) {
    return matched.some((header) => !genericHeaders.has(header));
  }
  return matched.filter((header) => !genericHeaders.has(header)).length >= MIN_MATCHED;
}

/**
 * The file's headers a mapping names (in the file's order), the fields they fill, and how many columns it
 * maps: a column mapped twice (a stage, and the CRM's own value kept as an attribute) counts once, or a
 * preset that keeps its raw values could never fit a file completely.
 */
function matchedHeaders(
  mapping: ImportMapping,
  headers: readonly string[],
): { headers: string[]; fields: Set<ImportField>; mapped: number } {
  const refs: [ImportField | undefined, HeaderRef][] = [
    ...(Object.entries(mapping.columns) as [ImportField, HeaderRef][]),
    ...Object.values(mapping.stageDates).map((ref): [undefined, HeaderRef] => [undefined, ref]),
    ...attributeRefs(mapping).map(([, ref]): [undefined, HeaderRef] => [undefined, ref]),
    // Columns the export has and the import leaves: they tell the export apart too ("Lockstep ID").
    ...mapping.ignoreColumns.map((header): [undefined, HeaderRef] => [undefined, header]),
  ];
  const found = new Set<number>();
  const fields = new Set<ImportField>();
  for (const [field, ref] of refs) {
    const column = findColumn(headers, ref);
    if (!column) continue;
    found.add(column.index);
    if (field) fields.add(field);
  }
  return {
    headers: [...found].sort((a, b) => a - b).map((index) => headers[index]!),
    fields,
    mapped: new Set(refs.map(([, ref]) => headerAlternatives(ref).map(looseKey).join('|'))).size,
  };
}

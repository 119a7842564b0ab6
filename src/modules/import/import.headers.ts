// Finding the mapping's columns in a file's header row, forgiving case, spacing and punctuation.
import { AppError } from '../../shared/errors.ts';
import {
  type HeaderRef,
  headerAlternatives,
  type ImportField,
  type ImportMapping,
} from './import.mapping.ts';
import { looseKey } from './import.values.ts';

export interface Column {
  /** Position in each record. */
  index: number;
  /** The header as the file writes it, for messages. */
  header: string;
}

export interface ResolvedColumns {
  fields: Partial<Record<ImportField, Column>>;
  stageDates: { stage: string; column: Column }[];
  attributes: { key: string; column: Column }[];
  headerCount: number;
}

export function findColumn(headers: readonly string[], ref: HeaderRef): Column | undefined {
  for (const wanted of headerAlternatives(ref)) {
    const key = looseKey(wanted);
    const index = headers.findIndex((header) => looseKey(header) === key);
    if (index !== -1) return { index, header: headers[index]! };
  }
  return undefined;
}

/** The fields of which a file must have at least one: without them a re-import could not find a record again. */
export function identifyingFields(entity: ImportMapping['entity']): ImportField[] {
  if (entity === 'people') return ['externalId', 'email'];
  if (entity === 'opportunities') return ['externalId'];
  return ['companyExternalId', 'companyDomain', 'companyName'];
}

/** `attributes` as key → header, from either of its forms (a list of headers is keyed by the header). */
export function attributeRefs(mapping: ImportMapping): [string, HeaderRef][] {
  return Array.isArray(mapping.attributes)
    ? mapping.attributes.map((header) => [header, header])
    : Object.entries(mapping.attributes);
}

function describeRef(ref: HeaderRef): string {
  return headerAlternatives(ref)
    .map((name) => `"${name}"`)
    .join(' or ');
}

/**
 * Resolves every column the mapping names. A column the file lacks is an error that lists the
 * headers the file has, unless the mapping says missing columns are fine (presets do); even then
 * the columns that identify a record must be there.
 */
export function resolveColumns(
  mapping: ImportMapping,
  headers: readonly string[],
  file: string,
): ResolvedColumns {
  const missing: string[] = [];
  const resolve = (label: string, ref: HeaderRef): Column | undefined => {
    const column = findColumn(headers, ref);
    if (!column) missing.push(`${label} → ${describeRef(ref)}`);
    return column;
  };
  const fields: Partial<Record<ImportField, Column>> = {};
  for (const [field, ref] of Object.entries(mapping.columns) as [ImportField, HeaderRef][]) {
    const column = resolve(`columns.${field}`, ref);
    if (column) fields[field] = column;
  }
  const stageDates = Object.entries(mapping.stageDates).flatMap(([stage, ref]) => {
    const column = resolve(`stageDates.${stage}`, ref);
    return column ? [{ stage, column }] : [];
  });
  const attributes = attributeRefs(mapping).flatMap(([key, ref]) => {
    const column = resolve(`attributes.${key}`, ref);
    return column ? [{ key, column }] : [];
  });
  if (mapping.otherColumnsAsAttributes) {
    const used = new Set([
      ...Object.values(fields).map((column) => column.index),
      ...stageDates.map(({ column }) => column.index),
      ...attributes.map(({ column }) => column.index),
    ]);
    const ignored = new Set(mapping.ignoreColumns.map(looseKey));
    headers.forEach((header, index) => {
      if (used.has(index) || header.trim() === '' || ignored.has(looseKey(header))) return;
      attributes.push({ key: header.trim().replace(/ \(attribute\)$/, ''), column: { index, header } });
    });
  }

  const identifying = identifyingFields(mapping.entity);
  const identified = identifying.some((field) => fields[field] !== undefined);
  if (missing.length > 0 && (!mapping.ignoreMissingColumns || !identified)) {
    const shown = mapping.ignoreMissingColumns
      ? identifying.flatMap((field) => {
          const ref = mapping.columns[field];
          return ref ? [`columns.${field} → ${describeRef(ref)}`] : [];
        })
      : missing;
    throw new AppError(
      'validation_failed',
      `${file}: ${mapping.ignoreMissingColumns ? 'none of the columns that identify a record were found' : 'some mapped columns are not in the file'}:\n` +
        `  ${shown.join('\n  ')}\n` +
        `The file's headers are: ${headers.map((h) => `"${h}"`).join(', ')}`,
      { missing: shown, headers: [...headers] },
    );
  }
  return { fields, stageDates, attributes, headerCount: headers.length };
}

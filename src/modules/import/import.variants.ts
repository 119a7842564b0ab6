// Values that name the same thing with different spacing, case or punctuation ("GTX Pro", "GTXPro",
// "gtx pro"): found while a file streams past, reported with counts and lines, merged by a value map.
import { looseKey } from './import.values.ts';

export interface ValueVariant {
  value: string;
  count: number;
  /** The first few lines with this spelling. */
  lines: number[];
}

export interface VariantGroup {
  field: string;
  /** The spellings, most used first; merge them with `valueMaps.<field>`. */
  values: ValueVariant[];
}

const LINES_KEPT = 5;
/** Distinct values remembered per field: enough for products or owners, bounded for free text. */
const VALUES_KEPT = 20_000;

export interface VariantTracker {
  record(field: string, value: string | null, line: number): void;
  groups(): VariantGroup[];
}

export function variantTracker(fields: readonly string[]): VariantTracker {
  const byField = new Map<string, Map<string, Map<string, ValueVariant>>>(
    fields.map((field) => [field, new Map()]),
  );
  const sizes = new Map<string, number>();
  return {
    record(field, value, line) {
      const groups = byField.get(field);
      if (!groups || value === null) return;
      const key = looseKey(value);
      let spellings = groups.get(key);
      if (!spellings) {
        const size = sizes.get(field) ?? 0;
        if (size >= VALUES_KEPT) return;
        sizes.set(field, size + 1);
        spellings = new Map();
        groups.set(key, spellings);
      }
      const seen = spellings.get(value);
      if (seen) {
        seen.count++;
        if (seen.lines.length < LINES_KEPT) seen.lines.push(line);
      } else {
        spellings.set(value, { value, count: 1, lines: [line] });
      }
    },
    groups() {
      const result: VariantGroup[] = [];
      for (const [field, groups] of byField) {
        for (const spellings of groups.values()) {
          if (spellings.size < 2) continue;
          const values = [...spellings.values()].sort(
            (a, b) => b.count - a.count || a.lines[0]! - b.lines[0]!,
          );
          result.push({ field, values });
        }
      }
      return result;
    },
  };
}

/** The value map that merges every group into its most used spelling, to paste into a mapping. */
export function suggestedValueMaps(groups: VariantGroup[]): Record<string, Record<string, string>> {
  const maps: Record<string, Record<string, string>> = {};
  for (const group of groups) {
    const [main] = group.values;
    if (!main) continue;
    // Value maps match ignoring case and spacing, so one entry merges every spelling of the group.
    maps[group.field] = { ...maps[group.field], [main.value]: main.value };
  }
  return maps;
}

/** `product: "GTX Pro" (12 rows: lines 2, 5, …), "GTXPro" (3 rows: lines 7, 9, 11)` */
export function formatVariantGroup(group: VariantGroup): string {
  const spelled = group.values.map(
    (v) =>
      `"${v.value}" (${v.count} row${v.count === 1 ? '' : 's'}: line${v.lines.length === 1 ? '' : 's'} ${v.lines.join(', ')}${v.count > v.lines.length ? ', …' : ''})`,
  );
  return `${group.field}: ${spelled.join(', ')}`;
}

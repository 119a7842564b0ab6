// Mappings saved from the Import page: offered again by name, and recognised in the next export.
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.ts';
import { AppError } from '../../shared/errors.ts';
import { type ImportMapping, parseMapping } from './import.mapping.ts';
import { loadPreset } from './import.presets.ts';

/** Saved mappings go by `saved:<name>` beside the shipped presets' names. */
export const SAVED_PREFIX = 'saved:';

export interface SavedMapping {
  /** `saved:<name>`. */
  key: string;
  name: string;
  mapping: ImportMapping;
}

export async function savedMappings(database: Database): Promise<SavedMapping[]> {
  const rows = await database.rows<{ name: string; mapping: unknown }>(
    sql`SELECT name, mapping FROM import_mappings ORDER BY name`,
  );
  return rows.map((row) => ({
    key: `${SAVED_PREFIX}${row.name}`,
    name: row.name,
    mapping: parseMapping(row.mapping, `saved as "${row.name}"`),
  }));
}

/** The mapping a preset name stands for: a shipped preset, or `saved:<name>` among `saved`. */
export function namedMapping(name: string, saved: SavedMapping[]): ImportMapping {
  if (!name.startsWith(SAVED_PREFIX)) return loadPreset(name);
  const found = saved.find((s) => s.key === name);
  if (found) return found.mapping;
  const names = saved.map((s) => s.name).join(', ') || 'none yet';
  throw new AppError(
    'validation_failed',
    `There is no saved mapping "${name.slice(SAVED_PREFIX.length)}" (saved: ${names}).`,
  );
}

/** Saved mappings as detectPreset takes them, named `saved:<name>`. */
export function savedAsPresets(saved: SavedMapping[]) {
  return saved.map((s) => ({ name: s.key, mapping: s.mapping }));
}

/** Deletes the mapping saved as `name` (its runs keep their kind); 404 naming the saved ones when there is none. */
export async function deleteSavedMapping(database: Database, name: string): Promise<void> {
  const deleted = await database.rows<{ name: string }>(
    sql`DELETE FROM import_mappings WHERE name = ${name} RETURNING name`,
  );
  if (deleted.length > 0) return;
  const names = (
    await database.rows<{ name: string }>(sql`SELECT name FROM import_mappings ORDER BY name`)
  ).map((row) => row.name);
  throw new AppError(
    'not_found',
    `There is no saved mapping "${name}" (saved: ${names.join(', ') || 'none'}).`,
    { name, saved: names },
  );
}

/** Saves (or replaces) the mapping under `name`. */
export async function saveMapping(
  database: Database,
  name: string,
  mapping: ImportMapping,
  userId: string | null,
): Promise<void> {
  await database.rows(
    sql`INSERT INTO import_mappings (name, mapping, created_by) VALUES (${name}, ${JSON.stringify(mapping)}::jsonb, ${userId})
        ON CONFLICT (name) DO UPDATE SET mapping = EXCLUDED.mapping, updated_at = now()`,
  );
}

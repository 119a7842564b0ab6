// Columns of exports: what a table's `attributes` (jsonb) hold, and timestamps as ISO text.
import { type SQL, sql } from 'drizzle-orm';
import { type Db, queryRows } from './client.ts';

/** More custom fields than this are left out of a file (a mistake upstream, not fields people use). */
export const MAX_ATTRIBUTE_COLUMNS = 500;

/** The custom fields (attributes) of the rows `from … WHERE where` keeps (`alias` holds them), by name. */
export async function attributeKeys(db: Db, alias: string, from: SQL, where: SQL): Promise<string[]> {
  const rows = await queryRows<{ key: string }>(
    db,
    sql`SELECT DISTINCT k.key ${from}
        CROSS JOIN LATERAL jsonb_object_keys(${sql.identifier(alias)}.attributes) k(key)
        WHERE ${where} ORDER BY k.key LIMIT ${MAX_ATTRIBUTE_COLUMNS}`,
  );
  return rows.map((row) => row.key);
}

/**
 * A timestamp as the ISO 8601 text `Date.toISOString()` writes (UTC, milliseconds), made by the
 * database: an export then skips parsing a million dates only to print them again.
 */
export const isoTime = (column: SQL): SQL =>
  sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

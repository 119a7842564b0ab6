// Custom fields: what a table's `attributes` (jsonb) hold, as the columns of an export.
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

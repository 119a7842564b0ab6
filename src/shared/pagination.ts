import { AppError } from './errors.ts';

/** Cursors are opaque to clients: the sort key of the last row, base64url-encoded JSON. */
export function encodeCursor(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<K extends string>(
  cursor: string | undefined,
  keys: readonly K[],
): Record<K, string> | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (keys.every((key) => typeof parsed[key] === 'string')) return parsed as Record<K, string>;
  } catch {
    // fall through to the error below
  }
  throw new AppError('validation_failed', 'The cursor is not one this API returned; start again without it.');
}

export function nextCursorOf<T>(
  rows: T[],
  limit: number,
  key: (row: T) => Record<string, string>,
): string | null {
  const last = rows[rows.length - 1];
  return rows.length === limit && last ? encodeCursor(key(last)) : null;
}

/**
 * A page of a list ordered by a timestamp and the id, newest first. Each row brings `cursorKey`, its
 * timestamp as PostgreSQL's own text (`column::text`): a JavaScript Date keeps milliseconds and the
 * column microseconds, so a cursor made from a Date skipped every row of the same millisecond after
 * it. The key is taken off the items.
 */
export function timestampPage<T extends { id: string; cursorKey: string }, K extends string>(
  rows: T[],
  limit: number,
  keyName: K,
): { items: Omit<T, 'cursorKey'>[]; nextCursor: string | null } {
  const nextCursor = nextCursorOf(rows, limit, (row) => ({ [keyName]: row.cursorKey, id: row.id }));
  return { items: rows.map(({ cursorKey: _, ...item }) => item), nextCursor };
}

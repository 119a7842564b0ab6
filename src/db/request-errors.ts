// Database errors that the values of a request caused, in words its caller can act on: an id that
// names nothing, a key another record already holds, text the database cannot store. The checks
// live in the database's constraints, so every path (single, batch, import) answers the same way.
import { AppError } from '../shared/errors.ts';

interface DatabaseError {
  code?: string;
  detail?: string;
  table?: string;
}

const FOREIGN_KEY_VIOLATION = '23503';
const UNIQUE_VIOLATION = '23505';
/** Invalid byte sequence, a \u0000 in JSON, a NUL in text: what a NUL character in a request makes. */
const UNSTORABLE_TEXT = new Set(['22021', '22P05', '54000']);

/** `account_id` → `accountId`. */
const fieldOf = (column: string) => column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** `people` → `person`, `accounts` → `account`. */
const recordOf = (table: string | undefined) =>
  table === 'people' ? 'person' : (table?.replace(/s$/, '') ?? 'record');

/**
 * The 4xx a database error stands for, when a request's values caused it; undefined for any other
 * error (a bug, which stays a 500).
 */
export function requestErrorOf(error: unknown): AppError | undefined {
  const cause = ((error as { cause?: unknown }).cause ?? error) as DatabaseError;
  if (typeof cause !== 'object' || cause === null || typeof cause.code !== 'string') return undefined;
  const key = cause.detail?.match(/^Key \(([^)]+)\)=\((.*)\) (is not present|already exists)/);
  if (cause.code === FOREIGN_KEY_VIOLATION && key?.[3] === 'is not present') {
    const field = fieldOf(key[1]!);
    return new AppError(
      'validation_failed',
      `${field}: there is no ${field.replace(/Id$/, '')} with that id.`,
      {
        field,
      },
    );
  }
  if (cause.code === UNIQUE_VIOLATION && key) {
    const fields = key[1]!.split(', ').map(fieldOf);
    return new AppError(
      'duplicate',
      `Another ${recordOf(cause.table)} already has ${fields.join(' and ')} ${fields.length === 1 ? JSON.stringify(key[2]) : `(${key[2]})`}.`,
      { fields },
    );
  }
  if (UNSTORABLE_TEXT.has(cause.code)) {
    return new AppError(
      'validation_failed',
      'A text in the request holds a NUL character (\\u0000), which cannot be stored: remove it and send the request again.',
    );
  }
  return undefined;
}

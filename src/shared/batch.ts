import { z } from 'zod';
import { toAppError } from '../http/error-handler.ts';

export const batchBody = (what: string) =>
  z.strictObject({
    items: z.array(z.unknown()).min(1).max(1000).describe(`Up to 1,000 ${what}`),
  });

export const batchResult = z.object({
  created: z.number(),
  updated: z.number(),
  rejected: z.number(),
  results: z.array(
    z.object({
      index: z.number(),
      status: z.enum(['created', 'updated', 'rejected']),
      id: z.string().optional(),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
});
export type BatchResult = z.infer<typeof batchResult>;

/**
 * Validates and writes each item on its own, so one bad item is reported with its index and
 * reason while the others still land. Each `write` is its own transaction: nothing half-written.
 */
export async function runBatch<T>(
  items: unknown[],
  schema: z.ZodType<T>,
  write: (item: T) => Promise<{ id: string; created: boolean }>,
): Promise<BatchResult> {
  const results: BatchResult['results'] = [];
  for (const [index, item] of items.entries()) {
    const parsed = schema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const message = `${issue?.path.join('.') || 'item'}: ${issue?.message ?? 'invalid'}`;
      results.push({ index, status: 'rejected', error: { code: 'validation_failed', message } });
      continue;
    }
    try {
      const { id, created } = await write(parsed.data);
      results.push({ index, status: created ? 'created' : 'updated', id });
    } catch (error) {
      const appError = toAppError(error as Error);
      if (appError.status >= 500) throw error;
      results.push({ index, status: 'rejected', error: { code: appError.code, message: appError.message } });
    }
  }
  const count = (status: string) => results.filter((r) => r.status === status).length;
  return { created: count('created'), updated: count('updated'), rejected: count('rejected'), results };
}

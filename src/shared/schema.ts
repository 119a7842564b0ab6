import { z } from 'zod';

/** A UTC timestamp: an ISO 8601 string on the wire, a Date in the code. */
export const timestamp = z.codec(z.iso.datetime({ offset: true }), z.date(), {
  decode: (text) => new Date(text),
  encode: (date) => date.toISOString(),
});

/** Keyset pagination: `limit` rows after the opaque `cursor` of the previous page. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
};

/** How deep an attribute's value may nest (lists in objects in lists…): CRMs send flat values. */
export const MAX_ATTRIBUTE_DEPTH = 32;

/** How deep `value` nests, counted without recursion (a request may nest thousands of levels). */
function depthOf(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_ATTRIBUTE_DEPTH) break;
    if (item !== null && typeof item === 'object')
      for (const inner of Object.values(item)) pending.push([inner, depth + 1]);
  }
  return deepest;
}

/** Custom fields: text, numbers, booleans, and lists or objects of them, nested a few levels at most. */
export const attributesSchema = z
  .record(z.string().max(100), z.unknown())
  .refine((attributes) => depthOf(attributes) <= MAX_ATTRIBUTE_DEPTH, {
    message: `nests deeper than ${MAX_ATTRIBUTE_DEPTH} levels; send flat values (text, numbers, lists)`,
  });

/** Lower-snake names for activity types, custom fields and the like. */
export const keyName = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower-case letters, digits and _ only');

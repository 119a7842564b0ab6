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

export const attributesSchema = z.record(z.string().max(100), z.unknown());

/** Lower-snake names for activity types, custom fields and the like. */
export const keyName = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'lower-case letters, digits and _ only');

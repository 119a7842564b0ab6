// The mapping file: which CSV column feeds which Lockstep field. Documented in docs/import-mapping.md.
import fs from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { isDateFormat } from './import.dates.ts';

/** Fields a people file can fill. Company fields create or match the person's account. */
export const personFields = [
  'lockstepId',
  'externalId',
  'email',
  'firstName',
  'lastName',
  'fullName',
  'title',
  'phone',
  'country',
  'source',
  'landingPage',
  'companyName',
  'companyDomain',
  'companyExternalId',
  'industry',
  'employees',
  'stage',
  'createdAt',
] as const;
export type PersonField = (typeof personFields)[number];

/** Fields only an opportunities file has; it also maps externalId, stage and the company fields. */
export const dealOnlyFields = [
  'name',
  'amount',
  'currency',
  'product',
  'owner',
  'openedAt',
  'closedAt',
  'lostReason',
  'personExternalId',
  'personEmail',
  'isClosed',
  'isWon',
] as const;
export type DealOnlyField = (typeof dealOnlyFields)[number];
export type ImportField = PersonField | DealOnlyField;

/** Fields an opportunities file can fill. */
export const opportunityFields = [
  'lockstepId',
  'externalId',
  'stage',
  'companyName',
  'companyDomain',
  'companyExternalId',
  'industry',
  'employees',
  ...dealOnlyFields,
] as const satisfies readonly ImportField[];

/** How amounts are written: the thousands separator and the decimal mark of "1,234.56". */
export const numberFormats = ['1,234.56', '1.234,56', '1 234,56', "1'234.56", '1234.56', '1234,56'] as const;
export type NumberFormat = (typeof numberFormats)[number];
/** Read from the amounts in the file's first rows when the import starts (guessNumberFormat). */
export const AUTO_NUMBER_FORMAT = 'auto';

/** Fields an accounts file can fill. */
export const accountFields = [
  'lockstepId',
  'companyExternalId',
  'companyName',
  'companyDomain',
  'industry',
  'employees',
  'country',
] as const satisfies readonly PersonField[];

/** One header name, or alternatives tried in order (exports of different ages name a column differently). */
const headerRef = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
export type HeaderRef = z.infer<typeof headerRef>;

const allFields = [...personFields, ...dealOnlyFields] as const;
const fieldKey = z.enum(allFields, {
  error: () => `is not a field; fields are: ${allFields.join(', ')}`,
});

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const importMappingSchema = z
  .strictObject({
    description: z.string().optional(),
    entity: z.enum(['people', 'accounts', 'opportunities'], {
      error: () => 'must be "people", "accounts" or "opportunities"',
    }),
    source: z
      .string()
      .regex(
        /^[a-z][a-z0-9_-]*$/,
        'must be a short lower-case name such as "hubspot" (letters, digits, - and _)',
      ),
    columns: z.partialRecord(fieldKey, headerRef),
    stageDates: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a stage key'), headerRef).default({}),
    attributes: z.union([z.array(z.string().min(1)), z.record(z.string().min(1), headerRef)]).default([]),
    valueMaps: z.partialRecord(fieldKey, z.record(z.string(), z.string().nullable())).default({}),
    dateFormat: z
      .string()
      .refine(
        isDateFormat,
        'must be "ISO" or a pattern of YYYY, MM, M, DD, D, HH, H, mm, ss, SSS, A (e.g. "DD-MM-YYYY")',
      )
      .default('ISO'),
    timeZone: z
      .string()
      .refine(isTimeZone, 'must be an IANA time zone such as "UTC" or "Europe/Paris"')
      .default('UTC'),
    numberFormat: z
      .enum([...numberFormats, AUTO_NUMBER_FORMAT], {
        error: () => `must be "auto" or one of ${numberFormats.map((f) => `"${f}"`).join(', ')}`,
      })
      .default('1,234.56'),
    /** The currency of amounts when no currency column (or symbol in the amount) says otherwise. */
    defaultCurrency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code such as "USD"')
      .default('USD'),
    /**
     * The stage of a row whose stage value is neither a stage nor in valueMaps.stage (a CRM's custom
     * stages); without it such a row is refused, naming the value.
     */
    unknownStage: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/, 'must be a stage key')
      .optional(),
    /** Fields whose values are checked for variants of one value (spacing, case, punctuation). */
    checkVariants: z.array(fieldKey).optional(),
    /** Presets name columns that only some exports have; a hand-written mapping usually wants to hear about a typo. */
    ignoreMissingColumns: z.boolean().default(false),
    /**
     * The file's ids are already Lockstep's (a Lockstep export): stored as they are, not as
     * `<source>:<id>`, so that a re-import finds the same records.
     */
    keepIds: z.boolean().default(false),
    /**
     * Every column the mapping does not use, and `ignoreColumns` does not name, is kept as an attribute
     * named by its header (less a trailing " (attribute)", which an export adds to a custom field
     * named like one of its own columns).
     */
    otherColumnsAsAttributes: z.boolean().default(false),
    ignoreColumns: z.array(z.string().min(1)).default([]),
  })
  .superRefine((mapping, ctx) => {
    const has = (field: ImportField) => mapping.columns[field] !== undefined;
    if (mapping.entity === 'people' && !has('externalId') && !has('email') && !has('lockstepId')) {
      ctx.addIssue({
        code: 'custom',
        path: ['columns'],
        message:
          'must map externalId, email or lockstepId: without one a re-import could not find the same person',
      });
    }
    if (mapping.entity === 'opportunities') {
      if (!has('externalId') && !has('lockstepId')) {
        ctx.addIssue({
          code: 'custom',
          path: ['columns'],
          message:
            "an opportunities file must map externalId (the CRM's deal id) or lockstepId: it is how a re-import finds the same deal",
        });
      }
      for (const field of Object.keys(mapping.columns)) {
        if (!(opportunityFields as readonly string[]).includes(field)) {
          ctx.addIssue({
            code: 'custom',
            path: ['columns', field],
            message: `is not an opportunity field; an opportunities file can map ${opportunityFields.join(', ')}`,
          });
        }
      }
    } else {
      for (const field of Object.keys(mapping.columns)) {
        if ((dealOnlyFields as readonly string[]).includes(field)) {
          ctx.addIssue({
            code: 'custom',
            path: ['columns', field],
            message: 'is an opportunity field; use "entity": "opportunities"',
          });
        }
      }
    }
    if (mapping.entity === 'accounts') {
      if (!has('companyExternalId') && !has('companyDomain') && !has('companyName')) {
        ctx.addIssue({
          code: 'custom',
          path: ['columns'],
          message: 'an accounts file must map companyExternalId, companyDomain or companyName',
        });
      }
      for (const field of Object.keys(mapping.columns)) {
        if (!(accountFields as readonly string[]).includes(field)) {
          ctx.addIssue({
            code: 'custom',
            path: ['columns', field],
            message: `is not an account field; an accounts file can map ${accountFields.join(', ')}`,
          });
        }
      }
    }
  });

export type ImportMapping = z.output<typeof importMappingSchema>;
export type ImportMappingInput = z.input<typeof importMappingSchema>;

function describeIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.map(String).join('.') || '(top level)';
  if (issue.code === 'unrecognized_keys') {
    return `${key}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  if (issue.code === 'invalid_union') return `${key}: must be a header name or a list of header names`;
  return `${key}: ${issue.message}`;
}

/** Validates a mapping; the error names every wrong key and why. `where` names the file in messages. */
export function parseMapping(input: unknown, where: string): ImportMapping {
  const parsed = importMappingSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(describeIssue);
  throw new AppError('validation_failed', `The mapping ${where} is not valid:\n  ${problems.join('\n  ')}`, {
    problems,
  });
}

export function loadMappingFile(file: string): ImportMapping {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new AppError('validation_failed', `The mapping file ${file} cannot be read (does it exist?).`, {
      file,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError(
      'validation_failed',
      `The mapping file ${file} is not valid JSON: ${(error as Error).message}`,
      {
        file,
      },
    );
  }
  return parseMapping(json, file);
}

export function headerAlternatives(ref: HeaderRef): string[] {
  return typeof ref === 'string' ? [ref] : ref;
}

import { z } from 'zod';
import { timestamp } from '../../shared/schema.ts';
import { isValidTimeZone } from '../sla/working-hours.ts';

const hhmm = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM, 24-hour clock')
  .describe('Local time HH:MM (24-hour)');

export const repSettingsInput = z
  .strictObject({
    salesTeam: z.string().trim().min(1).max(100).optional().describe('Team for round-robin, e.g. "SMB"'),
    timeZone: z
      .string()
      .refine(isValidTimeZone, 'an IANA time zone such as Europe/Berlin')
      .optional()
      .describe('IANA time zone of the rep; working hours are local to it'),
    workingDays: z
      .array(z.number().int().min(1).max(7))
      .min(1)
      .max(7)
      .optional()
      .describe('ISO weekdays worked: 1 = Monday … 7 = Sunday'),
    workStart: hhmm.optional().describe('Start of the working day, local HH:MM'),
    workEnd: hhmm.optional().describe('End of the working day, local HH:MM (after workStart)'),
    outOfOfficeFrom: timestamp.nullable().optional().describe('Out of office from (null clears)'),
    outOfOfficeUntil: timestamp.nullable().optional().describe('Out of office until (null clears)'),
    capacity: z.number().int().min(0).max(10_000).optional().describe('Most open unworked MQLs'),
    weight: z
      .number()
      .int()
      .min(0)
      .max(100)
      .optional()
      .describe('Round-robin weight (0 = never by round-robin)'),
    managerId: z.uuid().nullable().optional().describe('Who is alerted when this rep breaches an SLA'),
    active: z.boolean().optional().describe('Inactive reps get no new leads'),
  })
  .describe('Only the fields given change');
export type RepSettingsInput = z.infer<typeof repSettingsInput>;

export const repSchema = z.object({
  userId: z.uuid(),
  name: z.string(),
  email: z.string().nullable(),
  role: z.string(),
  salesTeam: z.string(),
  timeZone: z.string(),
  workingDays: z.array(z.number().int()),
  workStart: z.string().describe('HH:MM local'),
  workEnd: z.string().describe('HH:MM local'),
  outOfOfficeFrom: timestamp.nullable(),
  outOfOfficeUntil: timestamp.nullable(),
  outOfOffice: z.boolean().describe('Out of office right now'),
  capacity: z.number().int(),
  weight: z.number().int(),
  managerId: z.string().nullable(),
  managerName: z.string().nullable(),
  active: z.boolean(),
  openMqls: z.number().int().describe('Open unworked MQLs assigned to the rep (what capacity counts)'),
  atCapacity: z.boolean(),
});
export type Rep = z.infer<typeof repSchema>;

export const conditionOperators = [
  'equals',
  'not_equals',
  'in',
  'not_in',
  'contains',
  'gte',
  'lte',
  'exists',
] as const;

export const routableFields = [
  'person.source',
  'person.country',
  'person.title',
  'person.landing_page',
  'person.email_domain',
  'person.campaign_id',
  'account.name',
  'account.domain',
  'account.industry',
  'account.employees',
  'account.country',
  'lead.grade',
] as const;

const fieldName = z
  .string()
  .refine(
    (field) =>
      (routableFields as readonly string[]).includes(field) ||
      /^(person|account)\.attributes\.[A-Za-z0-9_]{1,64}$/.test(field),
    { message: `one of ${routableFields.join(', ')}, or person.attributes.<key> / account.attributes.<key>` },
  );

export const routingCondition = z.strictObject({
  field: fieldName.describe(
    'A person or account field, or person.attributes.<key> / account.attributes.<key>',
  ),
  op: z
    .enum(conditionOperators)
    .describe('in/not_in take a list; gte/lte compare numbers; exists takes no value'),
  value: z
    .union([z.string().max(500), z.number(), z.array(z.union([z.string().max(500), z.number()])).max(500)])
    .optional(),
});
export type RoutingCondition = z.infer<typeof routingCondition>;

export const routingRuleInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    position: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Order of evaluation; default: after the last rule'),
    conditions: z.array(routingCondition).max(20).describe('All must hold; an empty list matches every lead'),
    assignToUserId: z.uuid().optional().describe('A rep to give matching leads to'),
    assignToTeam: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('Or a team: weighted round-robin in it'),
    active: z.boolean().optional(),
  })
  .refine((rule) => Boolean(rule.assignToUserId) !== Boolean(rule.assignToTeam), {
    message: 'give exactly one of assignToUserId or assignToTeam',
    path: ['assignToUserId'],
  });
export type RoutingRuleInput = z.infer<typeof routingRuleInput>;

export const routingRuleSchema = z.object({
  id: z.uuid(),
  position: z.number().int(),
  name: z.string(),
  conditions: z.array(routingCondition),
  assignToUserId: z.string().nullable(),
  assignToTeam: z.string().nullable(),
  active: z.boolean(),
  createdAt: timestamp,
});
export type RoutingRule = z.infer<typeof routingRuleSchema>;

export const assignmentSchema = z.object({
  id: z.uuid(),
  personId: z.uuid(),
  userId: z.uuid(),
  userName: z.string(),
  salesTeam: z.string().nullable(),
  rule: z
    .string()
    .describe('The rule that chose the rep: "account owner", "rule: <name>", "round-robin: <team>"'),
  assignedAt: timestamp,
  acceptDueAt: timestamp.nullable().describe('Accept/reject due by (working hours of the rep)'),
  firstTouchDueAt: timestamp.nullable().describe('First call/email/meeting due by'),
  endedAt: timestamp.nullable(),
  endedReason: z.string().nullable(),
});
export type Assignment = z.infer<typeof assignmentSchema>;

export const userIdParams = z.object({ userId: z.uuid() });
export const ruleIdParams = z.object({ id: z.uuid() });
export const assignBody = z.strictObject({
  userId: z.uuid().optional().describe('Give the lead to this rep; omit to run the routing rules again'),
  reason: z.string().trim().max(500).optional(),
});

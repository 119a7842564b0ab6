import { z } from 'zod';
import { timestamp } from '../../shared/schema.ts';
import { roles } from './access.ts';

export const teamSchema = z.enum(['marketing', 'sales']);
export const roleSchema = z.enum(roles);

export const userSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  team: teamSchema,
  role: roleSchema,
  approver: z.boolean().describe('May sign a lead definition for their team.'),
  active: z.boolean().describe('False once an admin has turned the account off.'),
});

const passwordSchema = z.string().min(10, 'must be at least 10 characters').max(1024);

export const signInBody = z.strictObject({
  email: z.email(),
  password: z.string().min(1).max(1024),
});

export const setupBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email(),
  password: passwordSchema,
  team: teamSchema.default('sales'),
});

export const createUserBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email(),
  team: teamSchema,
  role: roleSchema,
  approver: z.boolean().default(false),
  password: passwordSchema.optional().describe('Left out: one is generated and shown once.'),
});

export const updateUserBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    team: teamSchema,
    role: roleSchema,
    approver: z.boolean(),
    active: z.boolean(),
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'say what to change: name, team, role, approver or active');

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword: passwordSchema,
});

export const resetPassword = z.object({
  user: userSchema,
  password: z.string().describe('The new password, shown once.'),
});

export const userIdParams = z.strictObject({ id: z.uuid() });

export const createdUser = z.object({
  user: userSchema,
  password: z.string().nullable().describe('The generated password, shown once; null when one was given.'),
});

export const usersList = z.object({ items: z.array(userSchema) });

export const setupStatus = z.object({
  needsSetup: z.boolean(),
  demoAdminEmail: z.string().nullable(),
});

export const createTokenBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  role: roleSchema,
  team: teamSchema.default('sales'),
});

export const createdToken = z.object({
  id: z.uuid(),
  token: z.string().describe('Shown once; store it now.'),
});

export const tokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  role: roleSchema,
  team: teamSchema,
  createdByName: z.string().nullable().describe('Null for a token made with `lockstep token create`.'),
  createdAt: timestamp,
  revokedAt: timestamp.nullable(),
});

export const tokensList = z.object({ items: z.array(tokenSchema) });
export const tokenIdParams = z.strictObject({ id: z.uuid() });

export const userResponse = z.object({ user: userSchema });

import { z } from 'zod';
import { roles } from './access.ts';

export const teamSchema = z.enum(['marketing', 'sales']);
export const roleSchema = z.enum(roles);

export const userSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  team: teamSchema,
  role: roleSchema,
});

export const signInBody = z.strictObject({
  email: z.email(),
  password: z.string().min(1).max(1024),
});

export const setupBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email(),
  password: z.string().min(10, 'must be at least 10 characters').max(1024),
  team: teamSchema.default('sales'),
});

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

export const userResponse = z.object({ user: userSchema });

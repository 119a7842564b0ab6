import fs from 'node:fs';
import { z } from 'zod';

export const teams = ['marketing', 'sales'] as const;
export type Team = (typeof teams)[number];

const stageKey = z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _ only');

export const lifecycleSchema = z
  .object({
    stages: z
      .array(
        z.object({
          key: stageKey,
          label: z.string().min(1),
          owner: z.enum(['marketing', 'sales', 'both']),
          /** Position on the main path (lead → … → won); side states have none. */
          funnelRank: z.number().int().min(0).optional(),
          next: z.array(stageKey),
        }),
      )
      .min(2),
    /** Stages a new person may start in (no previous stage). */
    entry: z.array(stageKey).min(1),
  })
  .superRefine((config, ctx) => {
    const keys = new Set(config.stages.map((stage) => stage.key));
    if (keys.size !== config.stages.length)
      ctx.addIssue({ code: 'custom', message: 'stage keys must be unique' });
    for (const stage of config.stages) {
      for (const next of stage.next) {
        if (!keys.has(next)) {
          ctx.addIssue({
            code: 'custom',
            message: `stage "${stage.key}" lists unknown next stage "${next}"`,
          });
        }
      }
    }
    for (const entry of config.entry) {
      if (!keys.has(entry))
        ctx.addIssue({ code: 'custom', message: `entry stage "${entry}" is not a stage` });
    }
    const ranks = config.stages.flatMap((stage) =>
      stage.funnelRank === undefined ? [] : [stage.funnelRank],
    );
    if (new Set(ranks).size !== ranks.length) {
      ctx.addIssue({ code: 'custom', message: 'funnelRank values must be unique' });
    }
  });

export type LifecycleConfig = z.infer<typeof lifecycleSchema>;
export type StageConfig = LifecycleConfig['stages'][number];

/** The lifecycle of PRODUCT.md: new lead → MQL → SAL → SQL → opportunity → won | lost, plus side states. */
export const defaultLifecycle: LifecycleConfig = {
  entry: ['new', 'mql', 'sal', 'sql', 'opportunity', 'won', 'lost', 'nurture', 'disqualified'],
  stages: [
    {
      key: 'new',
      label: 'New lead',
      owner: 'marketing',
      funnelRank: 0,
      next: ['mql', 'nurture', 'disqualified'],
    },
    { key: 'mql', label: 'MQL', owner: 'marketing', funnelRank: 1, next: ['sal', 'nurture', 'disqualified'] },
    { key: 'sal', label: 'SAL', owner: 'sales', funnelRank: 2, next: ['sql', 'nurture', 'disqualified'] },
    {
      key: 'sql',
      label: 'SQL',
      owner: 'sales',
      funnelRank: 3,
      next: ['opportunity', 'nurture', 'disqualified', 'lost'],
    },
    { key: 'opportunity', label: 'Opportunity', owner: 'sales', funnelRank: 4, next: ['won', 'lost'] },
    { key: 'won', label: 'Won', owner: 'sales', funnelRank: 5, next: [] },
    { key: 'lost', label: 'Lost', owner: 'sales', next: ['nurture'] },
    { key: 'nurture', label: 'Nurture', owner: 'marketing', next: ['recycled', 'disqualified'] },
    { key: 'recycled', label: 'Recycled', owner: 'marketing', next: ['mql', 'nurture', 'disqualified'] },
    { key: 'disqualified', label: 'Disqualified', owner: 'both', next: ['recycled'] },
  ],
};

/** LOCKSTEP_LIFECYCLE may name a JSON file with another lifecycle of the same shape. */
export function loadLifecycle(file = process.env.LOCKSTEP_LIFECYCLE): LifecycleConfig {
  if (!file) return defaultLifecycle;
  const parsed = lifecycleSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(
      `The lifecycle in ${file} is not valid:\n${parsed.error.issues.map((i) => `  ${i.message}`).join('\n')}`,
    );
  }
  return parsed.data;
}

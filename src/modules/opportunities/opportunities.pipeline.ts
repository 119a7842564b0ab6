// The deal pipeline, held in configuration like the lead lifecycle (lifecycle.config.ts).
import fs from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';

const stageKey = z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _ only');

export const pipelineSchema = z
  .object({
    stages: z
      .array(
        z.object({
          key: stageKey,
          label: z.string().min(1),
          /** open: the deal is in play; won / lost: the deal is closed (closed_at is set on entering). */
          outcome: z.enum(['open', 'won', 'lost']),
          next: z.array(stageKey),
        }),
      )
      .min(2),
    /** Stages a new deal may start in; the first is the default. */
    entry: z.array(stageKey).min(1),
  })
  .superRefine((config, ctx) => {
    const keys = new Set(config.stages.map((stage) => stage.key));
    if (keys.size !== config.stages.length)
      ctx.addIssue({ code: 'custom', message: 'stage keys must be unique' });
    for (const stage of config.stages) {
      for (const next of stage.next) {
        if (!keys.has(next))
          ctx.addIssue({
            code: 'custom',
            message: `stage "${stage.key}" lists unknown next stage "${next}"`,
          });
      }
    }
    for (const entry of config.entry) {
      if (!keys.has(entry))
        ctx.addIssue({ code: 'custom', message: `entry stage "${entry}" is not a stage` });
    }
    const won = config.stages.filter((stage) => stage.outcome === 'won').length;
    if (won !== 1)
      ctx.addIssue({ code: 'custom', message: `exactly one stage must have outcome "won" (found ${won})` });
    if (!config.stages.some((stage) => stage.outcome === 'lost'))
      ctx.addIssue({ code: 'custom', message: 'at least one stage must have outcome "lost"' });
    if (!config.stages.some((stage) => stage.outcome === 'open'))
      ctx.addIssue({ code: 'custom', message: 'at least one stage must have outcome "open"' });
  });

export type PipelineConfig = z.infer<typeof pipelineSchema>;
export type PipelineStage = PipelineConfig['stages'][number];

/** prospecting → qualified → proposal → negotiation → won | lost; any open deal can be lost, a lost one reopened. */
export const defaultPipeline: PipelineConfig = {
  entry: ['prospecting', 'qualified', 'proposal', 'negotiation', 'won', 'lost'],
  stages: [
    { key: 'prospecting', label: 'Prospecting', outcome: 'open', next: ['qualified', 'lost'] },
    { key: 'qualified', label: 'Qualified', outcome: 'open', next: ['proposal', 'prospecting', 'lost'] },
    {
      key: 'proposal',
      label: 'Proposal',
      outcome: 'open',
      next: ['negotiation', 'qualified', 'won', 'lost'],
    },
    { key: 'negotiation', label: 'Negotiation', outcome: 'open', next: ['won', 'proposal', 'lost'] },
    { key: 'won', label: 'Won', outcome: 'won', next: [] },
    { key: 'lost', label: 'Lost', outcome: 'lost', next: ['prospecting'] },
  ],
};

/** LOCKSTEP_OPPORTUNITY_STAGES may name a JSON file with another pipeline of the same shape. */
export function loadPipeline(file = process.env.LOCKSTEP_OPPORTUNITY_STAGES): PipelineConfig {
  if (!file) return defaultPipeline;
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `LOCKSTEP_OPPORTUNITY_STAGES: ${file} cannot be read as JSON: ${(error as Error).message}`,
    );
  }
  const parsed = pipelineSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `The deal pipeline in ${file} (LOCKSTEP_OPPORTUNITY_STAGES) is not valid:\n${parsed.error.issues
        .map((i) => `  ${i.path.join('.') || '(top level)'}: ${i.message}`)
        .join('\n')}`,
    );
  }
  return parsed.data;
}

export function dealStage(config: PipelineConfig, key: string): PipelineStage {
  const stage = config.stages.find((candidate) => candidate.key === key);
  if (!stage) {
    throw new AppError('unknown_stage', `There is no deal stage "${key}".`, {
      stage: key,
      allowed: config.stages.map((s) => s.key),
    });
  }
  return stage;
}

/** Throws stage_transition_not_allowed naming the allowed moves when `from → to` is not in the pipeline. */
export function assertDealMoveAllowed(config: PipelineConfig, from: string | null, to: string): void {
  dealStage(config, to);
  const allowed = from === null ? config.entry : dealStage(config, from).next;
  if (!allowed.includes(to)) {
    const fromLabel = from === null ? 'a new deal' : `"${from}"`;
    throw new AppError(
      'stage_transition_not_allowed',
      `A deal cannot move from ${fromLabel} to "${to}". Allowed: ${allowed.join(', ') || 'none (final stage)'}.`,
      { from, to, allowed },
    );
  }
}

export const wonStage = (config: PipelineConfig): string =>
  config.stages.find((stage) => stage.outcome === 'won')!.key;

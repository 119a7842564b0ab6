import { describe, expect, it } from 'vitest';
import type { AppError } from '../../shared/errors.ts';
import { defaultLifecycle, lifecycleSchema } from './lifecycle.config.ts';
import {
  allowedNext,
  assertTransitionAllowed,
  backfillPath,
  funnelStages,
  stagesLeadingTo,
  startingStage,
} from './lifecycle.rules.ts';
import { lifecycleWithoutNew } from './lifecycle.test-support.ts';

const config = defaultLifecycle;
const at = (day: number) => new Date(Date.UTC(2026, 0, day));

function refusal(from: string | null, to: string): AppError {
  try {
    assertTransitionAllowed(config, from, to);
  } catch (error) {
    return error as AppError;
  }
  throw new Error(`expected ${from} → ${to} to be refused`);
}

describe('the default lifecycle', () => {
  it('is valid and has the main path of PRODUCT.md in order', () => {
    expect(lifecycleSchema.safeParse(config).success).toBe(true);
    expect(funnelStages(config).map((s) => s.key)).toEqual([
      'new',
      'mql',
      'sal',
      'sql',
      'opportunity',
      'won',
    ]);
  });

  it('lists, for every stage, exactly the stages from which a move there is allowed', () => {
    for (const to of config.stages.map((stage) => stage.key)) {
      const { from, fromNone } = stagesLeadingTo(config, to);
      for (const stage of config.stages)
        expect(from.includes(stage.key)).toBe(allowedNext(config, stage.key).includes(to));
      expect(fromNone).toBe(allowedNext(config, null).includes(to));
    }
    expect(stagesLeadingTo(config, 'mql').from).toContain('new');
  });

  it('allows the hand-off and the way back to nurture', () => {
    for (const [from, to] of [
      ['new', 'mql'],
      ['mql', 'sal'],
      ['mql', 'nurture'],
      ['nurture', 'recycled'],
      ['recycled', 'mql'],
      ['opportunity', 'won'],
    ] as const) {
      expect(() => assertTransitionAllowed(config, from, to)).not.toThrow();
    }
  });

  it('refuses a skipped stage with a 409 that names the allowed moves', () => {
    const error = refusal('new', 'won');
    expect(error.code).toBe('stage_transition_not_allowed');
    expect(error.status).toBe(409);
    expect(error.details).toEqual({ from: 'new', to: 'won', allowed: ['mql', 'nurture', 'disqualified'] });
    expect(error.message).toContain('Allowed: mql, nurture, disqualified');
  });

  it('refuses any move out of won, and says it is final', () => {
    expect(allowedNext(config, 'won')).toEqual([]);
    expect(refusal('won', 'lost').message).toContain('none (final stage)');
  });

  it('refuses an unknown stage with a 400 listing the stages', () => {
    const error = refusal('new', 'hot');
    expect(error.code).toBe('unknown_stage');
    expect(error.status).toBe(400);
    expect(error.details?.allowed).toContain('mql');
  });

  it('rejects a configuration that points at a stage that does not exist', () => {
    const broken = {
      ...config,
      stages: config.stages.map((s) => (s.key === 'new' ? { ...s, next: ['mqll'] } : s)),
    };
    const result = lifecycleSchema.safeParse(broken);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('stage "new" lists unknown next stage "mqll"');
  });
});

describe('startingStage', () => {
  it('is "new" in the default lifecycle', () => {
    expect(startingStage(config)).toBe('new');
  });

  it('is the entry stage furthest back on the main path in a lifecycle without "new"', () => {
    expect(startingStage(lifecycleWithoutNew)).toBe('lead');
  });

  it('is the first entry stage when no entry stage is on the main path', () => {
    expect(startingStage({ ...lifecycleWithoutNew, entry: ['nurture'] })).toBe('nurture');
  });
});

describe('backfillPath', () => {
  const known = (createdAt: Date | null, now = at(30)) => ({ createdAt, now });

  it('walks a closed deal from its MQL date through every stage to won', () => {
    const { steps, backwards } = backfillPath(config, 'won', { mql: at(1), won: at(20) }, known(null));
    expect(steps).toEqual([
      { from: null, to: 'mql', at: at(1) },
      { from: 'mql', to: 'sal', at: at(20) },
      { from: 'sal', to: 'sql', at: at(20) },
      { from: 'sql', to: 'opportunity', at: at(20) },
      { from: 'opportunity', to: 'won', at: at(20) },
    ]);
    expect(backwards).toEqual([]);
  });

  it('uses each known date and the next known one for stages without a date', () => {
    const { steps } = backfillPath(config, 'sql', { new: at(1), mql: at(3), sql: at(9) }, known(null));
    expect(steps.map((s) => [s.to, s.at.getUTCDate()])).toEqual([
      ['new', 1],
      ['mql', 3],
      ['sal', 9],
      ['sql', 9],
    ]);
  });

  it('dates the stages after the last known date at that date, not at an earlier creation', () => {
    const { steps, backwards } = backfillPath(config, 'sql', { mql: at(6) }, known(at(5)));
    expect(steps.map((s) => [s.to, s.at.getUTCDate()])).toEqual([
      ['mql', 6],
      ['sal', 6],
      ['sql', 6],
    ]);
    expect(backwards).toEqual([]);
  });

  it('never dates a step before the one before it, and says which dates went backwards', () => {
    const { steps, backwards } = backfillPath(
      config,
      'won',
      { mql: at(6), sql: at(4), won: at(2) },
      known(at(1)),
    );
    expect(steps.map((s) => [s.to, s.at.getUTCDate()])).toEqual([
      ['mql', 6],
      ['sal', 6],
      ['sql', 6],
      ['opportunity', 6],
      ['won', 6],
    ]);
    expect(backwards).toEqual([
      { stage: 'sql', after: 'mql' },
      { stage: 'won', after: 'mql' },
    ]);
  });

  it('never dates a step before the record was created', () => {
    const { steps, backwards } = backfillPath(config, 'sal', { mql: at(3), sal: at(9) }, known(at(5)));
    expect(steps.map((s) => [s.to, s.at.getUTCDate()])).toEqual([
      ['mql', 5],
      ['sal', 9],
    ]);
    expect(backwards).toEqual([{ stage: 'mql', after: null }]);
  });

  it('records an undated record at its current stage at its creation, else now', () => {
    expect(backfillPath(config, 'sal', {}, known(at(5))).steps).toEqual([
      { from: null, to: 'sal', at: at(5) },
    ]);
    expect(backfillPath(config, 'sal', {}, known(null, at(7))).steps).toEqual([
      { from: null, to: 'sal', at: at(7) },
    ]);
  });

  it('records a side state directly', () => {
    expect(backfillPath(config, 'nurture', { nurture: at(2) }, known(null, at(5))).steps).toEqual([
      { from: null, to: 'nurture', at: at(2) },
    ]);
  });
});

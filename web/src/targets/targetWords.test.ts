import { describe, expect, it } from 'vitest';
import type { TargetView } from '../api/targets.ts';
import { periodLabel, shortDay, targetSentence } from './targetWords.ts';

describe('target words', () => {
  it('names periods the way people say them', () => {
    expect(periodLabel('2026-Q4')).toBe('Q4 2026');
    expect(periodLabel('2026-11')).toBe('November 2026');
    expect(shortDay('2026-08-15')).toBe('Aug 15');
  });
});

describe('target sentence', () => {
  const base = {
    period: { name: '2026-Q4', kind: 'quarter', start: '2026-10-01', end: '2026-12-31' },
    amount: 800_000,
    currency: 'USD',
    forecast: {
      wonToDate: 456_500,
      weightedPipeline: 500_000,
      newBusinessRunRate: 82_896,
      total: 1_039_396,
      elapsed: 0.62,
    },
  } as unknown as TargetView;

  it('says how far behind a confirmed target is, and where the period will land', () => {
    const target = {
      ...base,
      status: 'confirmed',
      missingConfirmations: [],
      pacing: {
        revenue: { won: 456_500, expectedByNow: 492_388, status: 'behind', shortfall: 35_888 },
        stages: [],
      },
    } as unknown as TargetView;
    expect(targetSentence(target)).toBe(
      'Q4 2026 is $35,888 behind pace so far ($456,500 won of $800,000; $492,388 expected by now), ' +
        'but the forecast of $1,039,396 is 130% of the target.',
    );
    const short = { ...target, forecast: { ...target.forecast, total: 700_000 } } as TargetView;
    expect(targetSentence(short)).toBe(
      'Q4 2026 is $35,888 behind pace so far ($456,500 won of $800,000; $492,388 expected by now), ' +
        'and the forecast of $700,000 is 88% of the target.',
    );
  });

  it('says who still has to confirm a draft', () => {
    const draft = {
      ...base,
      status: 'draft',
      missingConfirmations: ['sales'],
      pacing: null,
    } as unknown as TargetView;
    expect(targetSentence(draft)).toBe(
      'The Q4 2026 target of $800,000 is a draft: it counts once sales confirms it.',
    );
  });
});

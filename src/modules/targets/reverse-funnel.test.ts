import { describe, expect, it } from 'vitest';
import {
  applyScenario,
  elapsedShare,
  forecast,
  pace,
  type ReverseFunnelInput,
  reverseFunnel,
  stepKey,
  stepKeys,
} from './reverse-funnel.ts';

const stages = ['new', 'mql', 'sal', 'sql', 'opportunity', 'won'].map((key) => ({
  key,
  label: key.toUpperCase(),
}));

// Q4 2026, $1,000,000. Measured: lead→MQL 10%, MQL→SAL 50%, SAL→SQL 80%, SQL→opp 50%, opp→won 25%;
// deals average $25,000; a lead takes 3 days to become an MQL, 5 to SAL, 2 to SQL, 10 to opportunity, 30 to won.
const input: ReverseFunnelInput = {
  amount: 1_000_000,
  periodStart: '2026-10-01',
  periodEnd: '2026-12-31',
  stages,
  rates: [null, 0.1, 0.5, 0.8, 0.5, 0.25],
  dealSize: 25_000,
  stageDays: [3, 5, 2, 10, 30, null],
};

describe('reverse funnel', () => {
  it('turns revenue into the people needed at each stage, checked by hand', () => {
    // won = 1,000,000 / 25,000 = 40; opportunities = 40 / 0.25 = 160; SQLs = 160 / 0.5 = 320;
    // SALs = 320 / 0.8 = 400; MQLs = 400 / 0.5 = 800; leads = 800 / 0.1 = 8,000.
    const plan = reverseFunnel(input);
    expect(plan.wonDealsNeeded).toBe(40);
    expect(plan.stages.map((s) => s.needed)).toEqual([8000, 800, 400, 320, 160, 40]);
    expect(plan.stages.map((s) => s.rateIn)).toEqual([null, 0.1, 0.5, 0.8, 0.5, 0.25]);
  });

  it('says when each stage must be reached: the period shifted back by the time from that stage to won', () => {
    // Days to won: leads 3+5+2+10+30 = 50, MQL 47, SAL 42, SQL 40, opportunity 30, won 0.
    // Opportunities: 2026-10-01 − 30 days = 09-01, 2026-12-31 − 30 = 12-01; SQL − 40: 08-22 … 11-21;
    // SAL − 42: 08-20 … 11-19; MQL − 47: 08-15 … 11-14; leads − 50: 08-12 … 11-11.
    const plan = reverseFunnel(input);
    expect(plan.stages.map((s) => s.daysToWon)).toEqual([50, 47, 42, 40, 30, 0]);
    expect(plan.stages.map((s) => [s.arriveFrom, s.arriveBy])).toEqual([
      ['2026-08-12', '2026-11-11'],
      ['2026-08-15', '2026-11-14'],
      ['2026-08-20', '2026-11-19'],
      ['2026-08-22', '2026-11-21'],
      ['2026-09-01', '2026-12-01'],
      ['2026-10-01', '2026-12-31'],
    ]);
  });

  it('carries exact counts and rounds each stage up only when shown', () => {
    // $1,000,000 / $30,000 = 33.3 → 34 won; 133.3 → 134 opportunities; 266.7 → 267 SQLs;
    // 333.3 → 334 SALs; 666.7 → 667 MQLs; 6,666.7 → 6,667 leads.
    const plan = reverseFunnel({ ...input, dealSize: 30_000 });
    expect(plan.stages.map((s) => s.needed)).toEqual([6667, 667, 334, 267, 134, 34]);
  });

  it('lays a scenario over the measured rates and deal size', () => {
    expect(stepKeys(stages)).toEqual([
      'newToMql',
      'mqlToSal',
      'salToSql',
      'sqlToOpportunity',
      'opportunityToWon',
    ]);
    expect(stepKey('closed_won', 'sql')).toBe('closedWonToSql');
    // MQL→SAL 80% instead of 50%: 400 SALs need 400 / 0.8 = 500 MQLs and 500 / 0.1 = 5,000 leads.
    const better = reverseFunnel(applyScenario(input, { rates: { mqlToSal: 0.8 } }));
    expect(better.stages.map((s) => s.needed)).toEqual([5000, 500, 400, 320, 160, 40]);
    // Deals twice as large: half of everything.
    const bigger = reverseFunnel(applyScenario(input, { dealSize: 50_000 }));
    expect(bigger.stages.map((s) => s.needed)).toEqual([4000, 400, 200, 160, 80, 20]);
  });

  it('cannot plan through an unknown rate or without a deal size', () => {
    expect(reverseFunnel({ ...input, dealSize: null }).stages.every((s) => s.needed === null)).toBe(true);
    const gap = reverseFunnel({ ...input, rates: [null, 0.1, null, 0.8, 0.5, 0.25] });
    expect(gap.stages.map((s) => s.needed)).toEqual([null, null, 400, 320, 160, 40]);
  });
});

describe('pacing', () => {
  it('compares arrivals with the needed count pro rata to the share of each window passed', () => {
    const now = new Date('2026-11-15T00:00:00Z');
    // Won: Oct 1 … Dec 31 is 92 days, 45 passed: 40 × 45/92 = 19.6 → 20 expected.
    expect(elapsedShare('2026-10-01', '2026-12-31', now)).toBeCloseTo(45 / 92, 10);
    const paced = pace(reverseFunnel(input), [8100, 790, 400, 300, 100, 20], now);
    expect(paced.map((p) => [p.key, p.expectedByNow, p.status, p.shortfall])).toEqual([
      ['new', 8000, 'on track', 0], // window over: all 8,000 were due
      ['mql', 800, 'behind', 10], // window Aug 15 … Nov 14 over: 790 of 800
      ['sal', 378, 'on track', 0], // 400 × 87/92 = 378.3
      ['sql', 296, 'on track', 0], // 320 × 85/92 = 295.7
      ['opportunity', 130, 'behind', 30], // 160 × 75/92 = 130.4; 100 arrived
      ['won', 20, 'on track', 0],
    ]);
  });

  it('has nothing due before a window opens', () => {
    const paced = pace(reverseFunnel(input), [0, 0, 0, 0, 0, 0], new Date('2026-08-01T00:00:00Z'));
    expect(paced.every((p) => p.status === 'not started' && p.expectedByNow === 0)).toBe(true);
  });
});

describe('forecast', () => {
  it('adds won so far, the weighted pipeline and the run-rate of deals opened and won in the period', () => {
    // Half the period gone: $200k of new business won so far → another $200k in the second half.
    const result = forecast({
      wonToDate: 500_000,
      wonFromNewDealsToDate: 200_000,
      weightedPipeline: 300_000,
      elapsed: 0.5,
    });
    expect(result).toEqual({
      wonToDate: 500_000,
      weightedPipeline: 300_000,
      newBusinessRunRate: 200_000,
      total: 1_000_000,
    });
    // A quarter gone: 3 more quarters at the same pace.
    expect(
      forecast({ wonToDate: 0, wonFromNewDealsToDate: 10, weightedPipeline: 0, elapsed: 0.25 }).total,
    ).toBe(30);
  });
});

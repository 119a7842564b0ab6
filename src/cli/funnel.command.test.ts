import { describe, expect, it } from 'vitest';
import { funnelTable } from './funnel.command.ts';

const stages = ['New lead', 'MQL', 'Won'].map((label) => ({ key: label.toLowerCase(), label }));

describe('the funnel table in a terminal', () => {
  it('gives the won rate of MQLs per group, and a dash where a group has no MQLs', () => {
    const table = funnelTable({
      stages,
      total: { group: null, counts: [30, 20, 5], conversion: [null, 0.667, 0.25] },
      rows: [
        { group: 'web', counts: [25, 20, 5], conversion: [null, 0.8, 0.25] },
        { group: null, counts: [5, 0, 0], conversion: [null, 0, null] },
      ],
      biggestLeak: {
        fromStage: 'mql',
        toStage: 'won',
        fromLabel: 'MQL',
        toLabel: 'Won',
        conversion: 0.25,
        lost: 15,
      },
    });
    expect(table.split('\n')).toEqual([
      'group      New lead  MQL  Won  Won rate',
      'TOTAL            30   20    5     25.0%',
      'web              25   20    5     25.0%',
      '(not set)         5    0    0         —',
      '',
      'Biggest leak: MQL → Won, 25.0% move on (15 did not: lost or still open).',
      '',
    ]);
  });

  it('says nothing of a leak in an empty workspace, and no rate is NaN', () => {
    const empty = { group: null, counts: [0, 0, 0], conversion: [null, null, null] };
    expect(funnelTable({ stages, total: empty, rows: [], biggestLeak: null })).toBe(
      'group  New lead  MQL  Won  Won rate\nTOTAL         0    0    0         —\n',
    );
  });
});

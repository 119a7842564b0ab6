import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.ts';
import { assertDealMoveAllowed, defaultPipeline, loadPipeline, wonStage } from './opportunities.pipeline.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string) => {
  const at = path.join(dir, name);
  fs.writeFileSync(at, content);
  return at;
};

describe('the deal pipeline', () => {
  it('is the default without LOCKSTEP_OPPORTUNITY_STAGES, and refuses moves it does not list', () => {
    expect(loadPipeline(undefined)).toBe(defaultPipeline);
    expect(() => assertDealMoveAllowed(defaultPipeline, 'prospecting', 'qualified')).not.toThrow();
    try {
      assertDealMoveAllowed(defaultPipeline, 'prospecting', 'won');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).details).toEqual({
        from: 'prospecting',
        to: 'won',
        allowed: ['qualified', 'lost'],
      });
      expect((error as AppError).status).toBe(409);
    }
    expect(() => assertDealMoveAllowed(defaultPipeline, null, 'nowhere')).toThrow(/no deal stage "nowhere"/);
  });

  it('reads another pipeline from a file, such as the documented example', () => {
    const example = loadPipeline(
      path.resolve(import.meta.dirname, '../../../docs/examples/opportunity-stages.json'),
    );
    expect(example.stages.map((s) => s.key)).toEqual([
      'discovery',
      'demo',
      'proposal',
      'closed_won',
      'closed_lost',
    ]);
    expect(wonStage(example)).toBe('closed_won');
  });

  it('names every problem of a bad file', () => {
    const bad = file(
      'bad.json',
      JSON.stringify({
        entry: ['open', 'ghost'],
        stages: [
          { key: 'open', label: 'Open', outcome: 'open', next: ['won', 'later'] },
          { key: 'won', label: 'Won', outcome: 'won', next: [] },
        ],
      }),
    );
    expect(() => loadPipeline(bad)).toThrow(
      [
        `The deal pipeline in ${bad} (LOCKSTEP_OPPORTUNITY_STAGES) is not valid:`,
        '  (top level): stage "open" lists unknown next stage "later"',
        '  (top level): entry stage "ghost" is not a stage',
        '  (top level): at least one stage must have outcome "lost"',
      ].join('\n'),
    );
    expect(() => loadPipeline(file('broken.json', '{'))).toThrow(/cannot be read as JSON/);
    expect(() => loadPipeline(path.join(dir, 'missing.json'))).toThrow(/cannot be read as JSON/);
  });
});

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { upsertPerson } from '../people/people.service.ts';
import { defaultLifecycle } from './lifecycle.config.ts';
import { countStageMismatches, listTransitions, moveLead } from './lifecycle.service.ts';

const stageKeys = defaultLifecycle.stages.map((s) => s.key);

describe("a lead's stage is derived from its history", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => t?.close());

  it('equals the last allowed move for any sequence of attempted moves', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...stageKeys), { maxLength: 12 }), async (attempts) => {
        const { person } = await upsertPerson(t.deps, { email: `prop${n++}@lifecycle.dev` }, null);
        let expected = 'new';
        let accepted = 1;
        for (const to of attempts) {
          const allowed = defaultLifecycle.stages.find((s) => s.key === expected)!.next.includes(to);
          const result = await moveLead(t.deps, { personId: person.id, to, actor: null }).then(
            () => true,
            (error: { code?: string }) => {
              expect(error.code).toBe('stage_transition_not_allowed');
              return false;
            },
          );
          expect(result).toBe(allowed);
          if (allowed) {
            expected = to;
            accepted++;
          }
        }
        const history = await listTransitions(t.deps, person.id);
        expect(history).toHaveLength(accepted);
        expect(history.at(-1)?.toStage).toBe(expected);
        history.forEach((step, i) => {
          expect(step.fromStage).toBe(i === 0 ? null : history[i - 1]!.toStage);
        });
      }),
      { numRuns: 40 },
    );
    expect(await countStageMismatches(t.deps)).toBe(0);
  });
});

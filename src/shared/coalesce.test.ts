import { describe, expect, it } from 'vitest';
import { coalesced } from './coalesce.ts';

/** A run that records its items and stays in flight until `release` is called. */
function gatedRun(fails: (items: number[]) => boolean = () => false) {
  const runs: number[][] = [];
  let release: () => void = () => {};
  const run = async (items: number[]) => {
    runs.push(items);
    await new Promise<void>((resolve) => {
      release = resolve;
    });
    if (fails(items)) throw new Error(`cannot run ${items.join(',')}`);
    return items.length;
  };
  // Lets pending promise callbacks run, so that the next run has started before we release it.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { runs, run, release: () => release(), settle };
}

describe('coalesced', () => {
  it('runs the calls made during a run together in the next one, and settles each call after its run', async () => {
    const gate = gatedRun();
    const call = coalesced(gate.run);
    const settled: string[] = [];
    const first = call([1]).then((ran) => settled.push(`first in a run of ${ran}`));
    const second = call([2]).then((ran) => settled.push(`second in a run of ${ran}`));
    const third = call([3, 4]).then((ran) => settled.push(`third in a run of ${ran}`));
    await gate.settle();
    expect(gate.runs).toEqual([[1]]);
    gate.release();
    await gate.settle();
    expect(settled).toEqual(['first in a run of 1']);
    expect(gate.runs).toEqual([[1], [2, 3, 4]]);
    gate.release();
    await Promise.all([first, second, third]);
    expect(settled).toEqual(['first in a run of 1', 'second in a run of 3', 'third in a run of 3']);
    // Idle again: the next call runs at once, alone.
    const fourth = call([5]);
    await gate.settle();
    expect(gate.runs.at(-1)).toEqual([5]);
    gate.release();
    await fourth;
  });

  it('fails only the call whose items cannot run when a run of several calls fails', async () => {
    const gate = gatedRun((items) => items.includes(13));
    const call = coalesced(gate.run);
    const first = call([1]);
    const good = call([2]);
    const bad = call([13]);
    await gate.settle();
    gate.release(); // [1]
    await first;
    await gate.settle();
    gate.release(); // [2, 13] together: fails
    await gate.settle();
    gate.release(); // [2] alone
    await gate.settle();
    gate.release(); // [13] alone
    await expect(good).resolves.toBe(1);
    await expect(bad).rejects.toThrow('cannot run 13');
    expect(gate.runs).toEqual([[1], [2, 13], [2], [13]]);
  });
});

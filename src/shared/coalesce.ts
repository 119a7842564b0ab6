/**
 * Coalesces concurrent calls: a call made while a run is in flight waits for it, then runs
 * together with every other call that arrived meanwhile, in one run. Under load, work that must be
 * serialised (one lock for the whole workspace) is taken once per wave instead of once per call.
 * Each call gets the result of the run that held its items, once that run has ended. When a run of
 * several calls fails, each call's items are run again on their own, so that one bad item fails
 * only its own call.
 */
export function coalesced<T, R>(run: (items: T[]) => Promise<R>): (items: T[]) => Promise<R> {
  interface Call {
    items: T[];
    resolve: (result: R) => void;
    reject: (error: unknown) => void;
  }
  let waiting: Call[] = [];
  let running = false;

  async function drain() {
    running = true;
    while (waiting.length > 0) {
      const calls = waiting;
      waiting = [];
      try {
        const result = await run(calls.flatMap((call) => call.items));
        for (const call of calls) call.resolve(result);
      } catch (error) {
        if (calls.length === 1) calls[0]!.reject(error);
        else for (const call of calls) await run(call.items).then(call.resolve, call.reject);
      }
    }
    running = false;
  }

  return (items) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ items, resolve, reject });
      if (!running) void drain();
    });
}

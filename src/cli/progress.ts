// How long CLI work (an import, a scorecard fit) shows where it is: a bar on a terminal; elsewhere (a
// log, CI) a line when a step starts and at most one every five seconds after, so that logs stay short.
import cliProgress from 'cli-progress';

export interface ProgressDisplay<P> {
  update: (progress: P) => void;
  stop: () => void;
}

export interface ProgressWords<P> {
  /** The step the work is at; a new step always gets its line. */
  step: (progress: P) => string;
  /** How far along the step is, for the bar. */
  value: (progress: P) => { value: number; total: number };
  /** The bar's fields besides `step` (cli-progress's payload). */
  payload: (progress: P) => Record<string, string>;
  /** The line for a log; null for none (the work's end, which its report follows). */
  line: (progress: P) => string | null;
}

const LINE_EVERY_MS = 5_000;

/**
 * cli-progress's time, except an estimate it cannot make yet (no rate measured, or "INF" while
 * nothing moves), which its own format clips to "NFs".
 */
export const formatTime: typeof cliProgress.Format.TimeFormat = (time, options, roundTo) =>
  typeof time === 'number' && Number.isFinite(time)
    ? cliProgress.Format.TimeFormat(time, options, roundTo)
    : '…';

export function progressDisplay<P>(
  stream: NodeJS.WriteStream,
  { bar: withBar, format }: { bar: boolean; format: string },
  words: ProgressWords<P>,
): ProgressDisplay<P> {
  if (withBar) {
    const bar = new cliProgress.SingleBar(
      { format, hideCursor: true, stream, formatTime },
      cliProgress.Presets.shades_classic,
    );
    const width = 16;
    let started = false;
    return {
      update(progress) {
        const { value, total } = words.value(progress);
        const payload = { step: words.step(progress).padEnd(width), ...words.payload(progress) };
        if (!started) bar.start(Math.max(total, 1), value, payload);
        started = true;
        bar.setTotal(Math.max(total, 1));
        bar.update(value, payload);
      },
      stop: () => bar.stop(),
    };
  }
  let lastAt = 0;
  let lastStep = '';
  return {
    update(progress) {
      const step = words.step(progress);
      const now = Date.now();
      if (now - lastAt < LINE_EVERY_MS && step === lastStep) return;
      lastAt = now;
      lastStep = step;
      const line = words.line(progress);
      if (line !== null) stream.write(`${line}\n`);
    },
    stop: () => {},
  };
}

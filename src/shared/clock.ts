import { AppError } from './errors.ts';

/** Every module reads time through a Clock so that tests can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(start: Date): Clock & { advance(ms: number): void; set(at: Date): void } {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += ms;
    },
    set: (at) => {
      current = at.getTime();
    },
  };
}

/** How far ahead of this server's clock a caller's timestamp may be: clocks drift. */
const FUTURE_SLACK_MS = 3_600_000;

/**
 * Refuses a time that has not come yet (an activity in 2031 would count in full until then): what a
 * request records must have happened. `field` names it in the 400.
 */
export function assertHappened(clock: Clock, at: Date | undefined, field: string): void {
  if (at === undefined || at.getTime() <= clock.now().getTime() + FUTURE_SLACK_MS) return;
  throw new AppError(
    'validation_failed',
    `${field}: ${at.toISOString()} is in the future; record what has happened (up to an hour ahead of this server's clock, ${clock.now().toISOString()}).`,
    { field },
  );
}

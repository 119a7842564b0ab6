import type { FunnelLeak } from '../api/types.ts';
import { formatCount, formatRate, plural } from '../format.ts';

/**
 * The weakest step of the funnel over the chosen period. (The home page's headline above it is the
 * bottleneck: a step converting worse than its own normal, which can be another step.)
 */
export function leakSentence(leak: FunnelLeak | null): string {
  if (!leak) {
    return 'No stage loses people yet: everyone so far moved on, or the funnel is too young to tell.';
  }
  return (
    `Weakest step over this period: ${leak.fromLabel} → ${leak.toLabel}, where ` +
    `only ${formatRate(leak.conversion)} of ${plural(leak.fromLabel)} move on ` +
    `(${formatCount(leak.lost)} did not, or not yet).`
  );
}

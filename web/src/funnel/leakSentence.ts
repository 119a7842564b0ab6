import type { FunnelLeak } from '../api/types.ts';
import { formatCount, formatRate, plural } from '../format.ts';

/** The one-sentence answer to "where does the funnel leak most?". */
export function leakSentence(leak: FunnelLeak | null): string {
  if (!leak) {
    return 'No stage loses people yet: everyone so far moved on, or the funnel is too young to tell.';
  }
  return (
    `The funnel leaks most between ${leak.fromLabel} and ${leak.toLabel}: ` +
    `only ${formatRate(leak.conversion)} of ${plural(leak.fromLabel)} move on ` +
    `(${formatCount(leak.lost)} lost there).`
  );
}

// While a large change (a bulk import) is counted in the background, reports show the numbers as
// they were, or, before the very first count, nothing yet: this says which, and that the page updates
// by itself (the report hooks poll with `recountingRefetch`).
import { Alert } from '@mantine/core';
import { isRebuilding } from '../api/client.ts';
import { formatCount } from '../format.ts';

interface Recounting {
  countedAt: string;
  pending: number;
}

const timeFormat = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit' });

/** refetchInterval for report queries: every 10 s while the numbers are being counted. */
export function recountingRefetch(query: {
  state: { data?: { recounting?: Recounting } | undefined; error: Error | null };
}): number | false {
  return query.state.data?.recounting || isRebuilding(query.state.error) ? 10_000 : false;
}

export function RecountingNotice({ recounting }: { recounting: Recounting | undefined }) {
  if (!recounting) return null;
  return (
    <Alert color="blue" title="Recounting after a large change" data-testid="recounting">
      These numbers were counted at {timeFormat.format(new Date(recounting.countedAt))} and do not include{' '}
      {formatCount(recounting.pending)} newer stage moves and changes yet. They update by themselves when the
      count finishes, in a minute or two.
    </Alert>
  );
}

export function FirstCountNotice() {
  return (
    <Alert color="blue" title="Counting the reports" data-testid="first-count">
      Lockstep is counting every lead for the reports for the first time, in the background. This takes a
      minute or two for a million leads; this page updates by itself.
    </Alert>
  );
}

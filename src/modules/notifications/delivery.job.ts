// The durable side of delivery: a pg-boss job per retry (and one per notification, in case the
// process dies during the first attempt). Idempotent: it only attempts deliveries it can claim.
import type { AppDeps } from '../../http/types.ts';
import type { JobDefinition } from '../../jobs/queue.ts';
import { DELIVER_NOTIFICATION, deliverDue } from './delivery.ts';

export function deliverNotificationJob(
  deps: () => AppDeps | undefined,
): JobDefinition<{ notificationId: string }> {
  return {
    name: DELIVER_NOTIFICATION,
    async handle({ notificationId }) {
      const ready = deps();
      // Only while the app is starting: failing makes pg-boss run the job again shortly.
      if (!ready) throw new Error('Lockstep is still starting; the delivery will be retried.');
      await deliverDue(ready, notificationId);
    },
  };
}

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  feedbackReportQuery,
  feedbackReportSchema,
} from '../../../src/modules/feedback/feedback.schema.ts';
import { apiGet } from '../api/client.ts';

export type FeedbackReport = z.input<typeof feedbackReportSchema>;
export type FeedbackBy = NonNullable<z.input<typeof feedbackReportQuery>['by']>;
export type FeedbackPeriod = NonNullable<z.input<typeof feedbackReportQuery>['period']>;
export type RejectionGroup = FeedbackReport['rejectionsByGroup'][number];
export type AcceptancePoint = FeedbackReport['acceptanceOverTime'][number];
export type DigestInsight = FeedbackReport['insightsDigest']['latest'][number];

export function useFeedbackReport(query: { by: FeedbackBy; period: FeedbackPeriod; from: string }) {
  return useQuery({
    // Under 'handoff': a verdict or an insight logged elsewhere in the app refreshes it.
    queryKey: ['handoff', 'feedback-report', query],
    queryFn: () => apiGet<FeedbackReport>('/api/feedback/report', query),
    placeholderData: keepPreviousData,
  });
}

import type { ScoreHit } from '../api/types.ts';

/** One rule that gave a lead points, and which half of the definition it belongs to. */
export interface ScoreBar extends ScoreHit {
  kind: 'fit' | 'engagement';
}

/** Shared by the chart and its legend (the chart itself loads later, with ECharts). */
export const barColors = { fit: '#228be6', engagement: '#7950f2', against: '#fa5252' };

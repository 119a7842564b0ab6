// How the CLI's tables write numbers.

/** A rate as a percentage with one decimal; a dash where there is none (nothing to divide by). */
export const percent = (rate: number | null | undefined): string =>
  rate === null || rate === undefined || !Number.isFinite(rate) ? '—' : `${(rate * 100).toFixed(1)}%`;

// Is this period's conversion really lower than normal, or is it noise? A two-proportion z-test when
// every cell of the 2×2 table is expected to hold at least 5, Fisher's exact test when it is not.

export interface ProportionTest {
  method: 'z-test' | 'fisher';
  /** Two-sided p-value. */
  p: number;
}

/** Φ(x), the standard normal CDF, through erf (Abramowitz & Stegun 7.1.26, error < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

function logFactorial(n: number): number {
  let sum = 0;
  for (let i = 2; i <= n; i++) sum += Math.log(i);
  return sum;
}

/** Two-sided Fisher's exact test on [[a, b], [c, d]]: the probability of tables as or less likely. */
export function fisherExact(a: number, b: number, c: number, d: number): number {
  const row1 = a + b;
  const row2 = c + d;
  const col1 = a + c;
  const n = row1 + row2;
  const logConst =
    logFactorial(row1) + logFactorial(row2) + logFactorial(col1) + logFactorial(n - col1) - logFactorial(n);
  const probability = (x: number) =>
    Math.exp(
      logConst -
        logFactorial(x) -
        logFactorial(row1 - x) -
        logFactorial(col1 - x) -
        logFactorial(row2 - col1 + x),
    );
  const observed = probability(a);
  let p = 0;
  for (let x = Math.max(0, col1 - row2); x <= Math.min(row1, col1); x++) {
    const px = probability(x);
    if (px <= observed * (1 + 1e-7)) p += px;
  }
  return Math.min(1, p);
}

/** Does x1/n1 differ from x2/n2? */
export function compareProportions(x1: number, n1: number, x2: number, n2: number): ProportionTest {
  if (n1 === 0 || n2 === 0) return { method: 'fisher', p: 1 };
  const pooled = (x1 + x2) / (n1 + n2);
  const expected = [n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled)];
  if (expected.some((e) => e < 5)) return { method: 'fisher', p: fisherExact(x1, n1 - x1, x2, n2 - x2) };
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return { method: 'z-test', p: 1 };
  const z = (x1 / n1 - x2 / n2) / se;
  return { method: 'z-test', p: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))) };
}

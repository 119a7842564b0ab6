// L2-regularised logistic regression on a sparse design, fitted by Newton's method with the Newton
// step solved by preconditioned conjugate gradients: no dense Hessian, so thousands of one-hot
// columns cost what their non-zeros cost. The intercept is not penalised. Rows with the same entries
// are fitted once, weighted by how many they stand for (the binomial likelihood of a group is the
// sum of its rows'): a million leads over a few one-hot features are a few thousand distinct rows.

/** Rows in compressed sparse row form: row i's entries are index/value[rowStart[i] .. rowStart[i+1]). */
export interface SparseDesign {
  rows: number;
  columns: number;
  rowStart: Int32Array;
  index: Int32Array;
  value: Float64Array;
}

export interface LogisticFit {
  intercept: number;
  coefficients: Float64Array;
  iterations: number;
  converged: boolean;
}

export interface LogisticOptions {
  /** Only these rows take part (cross-validation folds); all rows when absent. */
  subset?: Int32Array;
  maxIterations?: number;
  /** Where to start, e.g. the fit for a neighbouring lambda (warm start); the base rate otherwise. */
  start?: { intercept: number; coefficients: Float64Array };
}

export const sigmoid = (eta: number) => 1 / (1 + Math.exp(-eta));

/** −log-likelihood of `trials` rows alike, `successes` of them positive, computed without overflow. */
const groupLoss = (eta: number, trials: number, successes: number) =>
  trials * (eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta))) - successes * eta;

export function linearPredictor(
  design: SparseDesign,
  row: number,
  intercept: number,
  beta: Float64Array,
): number {
  let eta = intercept;
  for (let k = design.rowStart[row]!; k < design.rowStart[row + 1]!; k++) {
    eta += design.value[k]! * beta[design.index[k]!]!;
  }
  return eta;
}

/** The design's distinct rows, and which of them each row is. */
interface Distinct {
  design: SparseDesign;
  of: Int32Array;
}

/** Found once per design: cross-validation fits the same design dozens of times. */
const distinctRows = new WeakMap<SparseDesign, Distinct>();

function distinctOf(design: SparseDesign): Distinct {
  const known = distinctRows.get(design);
  if (known) return known;
  const ids = new Map<string, number>();
  const of = new Int32Array(design.rows);
  const rowStart = [0];
  const index: number[] = [];
  const value: number[] = [];
  for (let i = 0; i < design.rows; i++) {
    let key = '';
    for (let k = design.rowStart[i]!; k < design.rowStart[i + 1]!; k++) {
      key += `${design.index[k]}:${design.value[k]},`;
    }
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
      for (let k = design.rowStart[i]!; k < design.rowStart[i + 1]!; k++) {
        index.push(design.index[k]!);
        value.push(design.value[k]!);
      }
      rowStart.push(index.length);
    }
    of[i] = id;
  }
  const distinct = {
    design: {
      rows: ids.size,
      columns: design.columns,
      rowStart: Int32Array.from(rowStart),
      index: Int32Array.from(index),
      value: Float64Array.from(value),
    },
    of,
  };
  distinctRows.set(design, distinct);
  return distinct;
}

export function fitLogistic(
  fullDesign: SparseDesign,
  outcome: ArrayLike<number>,
  lambda: number,
  options: LogisticOptions = {},
): LogisticFit {
  // The rows taking part, grouped: trials[g] of them are distinct row g, successes[g] positive.
  const { design, of } = distinctOf(fullDesign);
  const trials = new Float64Array(design.rows);
  const successes = new Float64Array(design.rows);
  const count = (i: number) => {
    trials[of[i]!]! += 1;
    successes[of[i]!]! += outcome[i]!;
  };
  if (options.subset) for (const i of options.subset) count(i);
  else for (let i = 0; i < fullDesign.rows; i++) count(i);
  const rows = Int32Array.from(trials.keys()).filter((g) => trials[g]! > 0);
  const total = options.subset?.length ?? fullDesign.rows;
  const p = design.columns;
  // theta[0] is the intercept, theta[1 + j] the coefficient of column j.
  let theta = new Float64Array(p + 1);
  const positives = successes.reduce((sum, k) => sum + k, 0);
  const rate = Math.min(Math.max(positives / Math.max(total, 1), 1e-6), 1 - 1e-6);
  theta[0] = Math.log(rate / (1 - rate));
  if (options.start) {
    theta[0] = options.start.intercept;
    theta.set(options.start.coefficients, 1);
  }

  const eta = new Float64Array(rows.length);
  const computeEta = (t: Float64Array) => {
    const beta = t.subarray(1);
    for (let r = 0; r < rows.length; r++) eta[r] = linearPredictor(design, rows[r]!, t[0]!, beta);
  };
  const objective = (t: Float64Array) => {
    computeEta(t);
    let loss = 0;
    for (let r = 0; r < rows.length; r++) loss += groupLoss(eta[r]!, trials[rows[r]!]!, successes[rows[r]!]!);
    for (let j = 1; j <= p; j++) loss += 0.5 * lambda * t[j]! * t[j]!;
    return loss;
  };

  let loss = objective(theta);
  // Sums over rows grow with their number; so does the gradient's rounding floor.
  const gradientTolerance = 1e-10 * Math.max(total, 1);
  const maxIterations = options.maxIterations ?? 100;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    // eta holds the current theta's linear predictors here.
    const weight = new Float64Array(rows.length);
    const gradient = new Float64Array(p + 1);
    const diagonal = new Float64Array(p + 1);
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r]!;
      const prob = sigmoid(eta[r]!);
      const residual = trials[i]! * prob - successes[i]!;
      const w = trials[i]! * Math.max(prob * (1 - prob), 1e-12);
      weight[r] = w;
      gradient[0]! += residual;
      diagonal[0]! += w;
      for (let k = design.rowStart[i]!; k < design.rowStart[i + 1]!; k++) {
        const j = 1 + design.index[k]!;
        const x = design.value[k]!;
        gradient[j]! += residual * x;
        diagonal[j]! += w * x * x;
      }
    }
    for (let j = 1; j <= p; j++) {
      gradient[j]! += lambda * theta[j]!;
      diagonal[j]! += lambda;
    }
    const done = (converged: boolean) => ({
      intercept: theta[0]!,
      coefficients: theta.slice(1),
      iterations: iteration,
      converged,
    });
    const gradientNorm = Math.sqrt(dot(gradient, gradient));
    if (maxAbs(gradient) <= gradientTolerance) return done(true);
    // Inexact Newton: a rough step far from the optimum, an ever more exact one close to it.
    const step = conjugateGradient(
      (v, out) => hessianTimes(design, rows, weight, lambda, v, out),
      gradient,
      diagonal,
      Math.min(0.1, Math.sqrt(gradientNorm)) * gradientNorm,
    );
    const slope = dot(gradient, step);
    let t = 1;
    let next = theta;
    let nextLoss = loss;
    for (let halving = 0; halving < 40; halving++) {
      next = theta.map((value, j) => value - t * step[j]!);
      nextLoss = objective(next);
      if (nextLoss <= loss - 1e-4 * t * slope) break;
      t /= 2;
    }
    // At the limit of floating point a step no longer lowers the loss: this is the optimum.
    if (!(nextLoss < loss)) return done(maxAbs(gradient) <= 1e3 * gradientTolerance);
    theta = next;
    loss = nextLoss;
  }
  return { intercept: theta[0]!, coefficients: theta.slice(1), iterations: maxIterations, converged: false };
}

function hessianTimes(
  design: SparseDesign,
  rows: Int32Array,
  weight: Float64Array,
  lambda: number,
  v: Float64Array,
  out: Float64Array,
): void {
  out.fill(0);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    let u = v[0]!;
    for (let k = design.rowStart[i]!; k < design.rowStart[i + 1]!; k++) {
      u += design.value[k]! * v[1 + design.index[k]!]!;
    }
    const wu = weight[r]! * u;
    out[0]! += wu;
    for (let k = design.rowStart[i]!; k < design.rowStart[i + 1]!; k++) {
      out[1 + design.index[k]!]! += wu * design.value[k]!;
    }
  }
  for (let j = 1; j < v.length; j++) out[j]! += lambda * v[j]!;
}

const dot = (a: Float64Array, b: Float64Array) => {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += a[j]! * b[j]!;
  return sum;
};

const maxAbs = (a: Float64Array) => {
  let max = 0;
  for (const v of a) max = Math.max(max, Math.abs(v));
  return max;
};

/** Solves A x = b, A symmetric positive definite, Jacobi-preconditioned, until |A x − b| ≤ tolerance. */
function conjugateGradient(
  multiply: (v: Float64Array, out: Float64Array) => void,
  b: Float64Array,
  diagonal: Float64Array,
  tolerance: number,
): Float64Array {
  const n = b.length;
  const x = new Float64Array(n);
  const r = Float64Array.from(b);
  const z = r.map((value, j) => value / diagonal[j]!);
  const direction = Float64Array.from(z);
  const product = new Float64Array(n);
  let rz = dot(r, z);
  for (let iteration = 0; iteration < Math.min(n + 10, 2000); iteration++) {
    if (dot(r, r) <= tolerance * tolerance) break;
    multiply(direction, product);
    const curvature = dot(direction, product);
    if (!(curvature > 0)) break;
    const alpha = rz / curvature;
    for (let j = 0; j < n; j++) {
      x[j]! += alpha * direction[j]!;
      r[j]! -= alpha * product[j]!;
      z[j] = r[j]! / diagonal[j]!;
    }
    const rzNext = dot(r, z);
    const beta = rzNext / rz;
    rz = rzNext;
    for (let j = 0; j < n; j++) direction[j] = z[j]! + beta * direction[j]!;
  }
  return x;
}

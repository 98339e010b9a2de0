/**
 * Binary logistic regression by Newton's method (iteratively reweighted least squares) with an
 * L2 penalty on the weights (not the bias): for a handful of features and thousands of samples it
 * converges in a few iterations, deterministically.
 */

export interface LogisticModel {
  bias: number;
  weights: number[];
}

export interface LogisticFitOptions {
  /** L2 penalty on the weights (default 0.01). */
  l2?: number;
  /** Newton iterations at most (default 50); stops earlier when the step is below 1e-9. */
  iterations?: number;
}

export const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** P(y = 1 | x) of a fitted model. */
export function logisticPredict(m: LogisticModel, x: readonly number[]): number {
  if (x.length !== m.weights.length) throw new Error(`logisticPredict: ${x.length} features for ${m.weights.length} weights`);
  let z = m.bias;
  for (let i = 0; i < x.length; i++) z += m.weights[i] * x[i];
  return sigmoid(z);
}

/** Fits P(y = 1 | x) = sigmoid(bias + w . x) to samples `xs` with labels `ys` (true = 1). */
export function fitLogistic(xs: readonly (readonly number[])[], ys: readonly boolean[], opts: LogisticFitOptions = {}): LogisticModel {
  if (xs.length !== ys.length) throw new Error(`fitLogistic: ${xs.length} samples, ${ys.length} labels`);
  if (xs.length === 0) throw new Error('fitLogistic: no samples');
  const d = xs[0].length;
  for (const x of xs) {
    if (x.length !== d) throw new Error(`fitLogistic: samples of ${d} and ${x.length} features`);
    if (!x.every(Number.isFinite)) throw new Error(`fitLogistic: a sample has a non-finite feature: ${JSON.stringify(x)}`);
  }
  const l2 = opts.l2 ?? 0.01;
  const n = d + 1;
  const w = new Float64Array(n);
  for (let it = 0; it < (opts.iterations ?? 50); it++) {
    const g = new Float64Array(n);
    const H = Array.from({ length: n }, () => new Float64Array(n));
    for (let k = 0; k < xs.length; k++) {
      const x = xs[k];
      let z = w[0];
      for (let i = 0; i < d; i++) z += w[i + 1] * x[i];
      const p = sigmoid(z);
      const r = p - (ys[k] ? 1 : 0);
      const s = Math.max(p * (1 - p), 1e-12);
      for (let i = 0; i < n; i++) {
        const xi = i === 0 ? 1 : x[i - 1];
        g[i] += r * xi;
        for (let j = 0; j <= i; j++) H[i][j] += s * xi * (j === 0 ? 1 : x[j - 1]);
      }
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) H[j][i] = H[i][j];
    for (let i = 1; i < n; i++) { g[i] += l2 * w[i]; H[i][i] += l2; }
    H[0][0] += 1e-9;
    const step = solve(H, g);
    let size = 0;
    for (let i = 0; i < n; i++) { w[i] -= step[i]; size = Math.max(size, Math.abs(step[i])); }
    if (size < 1e-9) break;
  }
  return { bias: w[0], weights: Array.from(w.subarray(1)) };
}

/** Solves A x = b by Gaussian elimination with partial pivoting (A is copied). */
function solve(A: readonly Float64Array[], b: Float64Array): Float64Array {
  const n = b.length;
  const M = A.map((row, i) => { const r = new Float64Array(n + 1); r.set(row); r[n] = b[i]; return r; });
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[piv][c])) piv = r;
    [M[c], M[piv]] = [M[piv], M[c]];
    const v = M[c][c];
    if (Math.abs(v) < 1e-300) throw new Error('fitLogistic: singular system (a feature is constant or a copy of another)');
    for (let r = c + 1; r < n; r++) {
      const f = M[r][c] / v;
      if (f !== 0) for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = M[r][n];
    for (let k = r + 1; k < n; k++) s -= M[r][k] * x[k];
    x[r] = s / M[r][r];
  }
  return x;
}

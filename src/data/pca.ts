import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { InputError } from '../util/errors.ts';

/**
 * Principal components of n samples of D byte-valued features (pixels), value = scale * byte.
 * Covariances are population covariances (divided by n), so whitened projections have unit
 * variance over the very samples the basis was computed from.
 */
export interface PcaBasis {
  readonly D: number;
  /** number of components kept */
  readonly k: number;
  /** feature means, length D (in scaled units) */
  readonly mean: Float64Array;
  /** k x D row-major; row r is the r-th principal direction (unit norm, largest-|.| entry positive) */
  readonly components: Float64Array;
  /** k eigenvalues of the covariance, decreasing */
  readonly eigenvalues: Float64Array;
}

/** Feature sums and the upper triangle of X^T X over raw bytes. */
interface ByteMoments {
  readonly sums: Float64Array;
  readonly cross: Float64Array;
}

/**
 * Sums of products of bytes are integers below 2^53 for n up to ~1e8 rows of D = 784, so
 * accumulating them in float64 is exact and independent of loop order: the result is bit-identical
 * however it is blocked. Rows are visited through their non-zero entries (MNIST is ~80% zeros), which
 * makes the ~2e10 dense multiply-adds ~1e9 sparse ones, each updating the upper triangle only.
 */
function byteMoments(data: Uint8Array, n: number, D: number): ByteMoments {
  const sums = new Float64Array(D);
  const cross = new Float64Array(D * D);
  const idx = new Int32Array(D);
  const val = new Float64Array(D);
  for (let row = 0; row < n; row++) {
    const o = row * D;
    let m = 0;
    for (let i = 0; i < D; i++) {
      const v = data[o + i];
      if (v !== 0) {
        idx[m] = i;
        val[m] = v;
        m++;
      }
    }
    for (let a = 0; a < m; a++) {
      const va = val[a];
      const base = idx[a] * D;
      sums[idx[a]] += va;
      for (let b = a; b < m; b++) cross[base + idx[b]] += va * val[b];
    }
  }
  return { sums, cross };
}

/**
 * Mean and full (symmetric) population covariance of scale * data, from exact integer moments:
 * n * S_ij - s_i s_j is computed exactly, then divided once, so there is no cancellation error.
 */
export function byteCovariance(data: Uint8Array, n: number, D: number, scale: number): { mean: Float64Array; cov: Float64Array } {
  if (data.length !== n * D) throw new InputError('pca.data', `${data.length} bytes`, `n x D = ${n} x ${D} bytes`);
  const { sums, cross } = byteMoments(data, n, D);
  const mean = new Float64Array(D);
  for (let i = 0; i < D; i++) mean[i] = (sums[i] / n) * scale;
  const cov = new Float64Array(D * D);
  const f = (scale * scale) / (n * n);
  for (let i = 0; i < D; i++) {
    for (let j = i; j < D; j++) {
      const c = (n * cross[i * D + j] - sums[i] * sums[j]) * f;
      cov[i * D + j] = c;
      cov[j * D + i] = c;
    }
  }
  return { mean, cov };
}

/**
 * Top-k eigenpairs of a symmetric D x D matrix (Householder tridiagonalisation + QL, ml-matrix),
 * in decreasing order. Each eigenvector's sign is fixed so that its largest-|.| entry (first one on
 * ties) is positive: the basis is then a deterministic function of the data.
 */
export function topEigenpairs(sym: Float64Array, D: number, k: number): { components: Float64Array; eigenvalues: Float64Array } {
  const rows: number[][] = [];
  for (let i = 0; i < D; i++) rows.push(Array.from(sym.subarray(i * D, i * D + D)));
  const evd = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const V = evd.eigenvectorMatrix;
  // tql2 sorts eigenvalues increasingly; order explicitly anyway, so no library detail is assumed.
  const order = values.map((_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
  const components = new Float64Array(k * D);
  const eigenvalues = new Float64Array(k);
  for (let r = 0; r < k; r++) {
    const col = order[r];
    eigenvalues[r] = values[col];
    const u = components.subarray(r * D, r * D + D);
    for (let i = 0; i < D; i++) u[i] = V.get(i, col);
    fixSign(u);
  }
  return { components, eigenvalues };
}

/** Flips u in place so that its largest-magnitude entry (the first one, on ties) is positive. */
export function fixSign(u: Float64Array): void {
  let best = 0;
  for (let i = 1; i < u.length; i++) if (Math.abs(u[i]) > Math.abs(u[best])) best = i;
  const sign = u[best] < 0 ? -1 : 1;
  // + 0 turns -0 into 0, so the vector survives a JSON round trip bit for bit.
  for (let i = 0; i < u.length; i++) u[i] = sign * u[i] + 0;
}

/** Mean, top-k components and eigenvalues of scale * data (n x D bytes, row-major). */
export function computePcaBasis(data: Uint8Array, n: number, D: number, k: number, scale: number): PcaBasis {
  if (!Number.isInteger(k) || k < 1 || k > D) throw new InputError('pca.k', k, `an integer from 1 to D = ${D}`);
  const { mean, cov } = byteCovariance(data, n, D, scale);
  const { components, eigenvalues } = topEigenpairs(cov, D, k);
  return { D, k, mean, components, eigenvalues };
}

/**
 * Whitened projection onto the first d components: z_r = (scale x - mean) . u_r / sqrt(lambda_r),
 * so every z_r has mean 0 and variance 1 over the samples the basis came from. Returns n x d.
 */
export function projectWhitened(data: Uint8Array, n: number, scale: number, basis: PcaBasis, d: number): Float64Array {
  const D = basis.D;
  if (!Number.isInteger(d) || d < 1 || d > basis.k) throw new InputError('pca.d', d, `an integer from 1 to ${basis.k} (components in the basis)`);
  const offset = new Float64Array(d);
  const inv = new Float64Array(d);
  for (let r = 0; r < d; r++) {
    let s = 0;
    for (let i = 0; i < D; i++) s += basis.mean[i] * basis.components[r * D + i];
    offset[r] = s;
    inv[r] = 1 / Math.sqrt(basis.eigenvalues[r]);
  }
  const z = new Float64Array(n * d);
  const acc = new Float64Array(d);
  for (let row = 0; row < n; row++) {
    acc.fill(0);
    const o = row * D;
    for (let i = 0; i < D; i++) {
      const v = data[o + i];
      if (v === 0) continue; // zeros contribute nothing: MNIST is mostly background
      const x = v * scale;
      for (let r = 0; r < d; r++) acc[r] += x * basis.components[r * D + i];
    }
    for (let r = 0; r < d; r++) z[row * d + r] = (acc[r] - offset[r]) * inv[r];
  }
  return z;
}

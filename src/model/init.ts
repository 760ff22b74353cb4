import type { Architecture } from './architecture.ts';
import { layout } from './architecture.ts';
import { createRng, type Rng } from '../util/prng.ts';

/**
 * The authors' initialisation (SCIENCE.md, "Set-up"): every W_l orthogonal with gain 1 (QR of a
 * Gaussian matrix, columns sign-corrected by diag(R), as torch.nn.init.orthogonal_), biases zero.
 * For a non-square out x in matrix the rows (out <= in) or the columns (out > in) are orthonormal.
 */
export function initialParameters(arch: Architecture, seed: number): Float64Array {
  const rng = createRng(seed);
  const lay = layout(arch);
  const theta = new Float64Array(lay.Ntot);
  for (const layer of lay.layers) {
    theta.set(orthogonal(layer.outDim, layer.inDim, rng), layer.w);
  }
  return theta;
}

/** A rows x cols matrix (row-major) with orthonormal rows or columns, whichever are fewer. */
export function orthogonal(rows: number, cols: number, rng: Rng): Float64Array {
  // As torch: draw (rows x cols); if rows < cols work with the transpose so QR is of a tall matrix.
  const transpose = rows < cols;
  const m = transpose ? cols : rows; // tall: m >= n
  const n = transpose ? rows : cols;
  const A = new Float64Array(m * n); // row-major m x n
  for (let i = 0; i < rows * cols; i++) {
    const v = rng.normal();
    // element (r, c) of the drawn rows x cols matrix
    const r = Math.floor(i / cols);
    const c = i % cols;
    if (transpose) A[c * n + r] = v;
    else A[r * n + c] = v;
  }
  const Q = thinQ(A, m, n);
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = transpose ? Q[c * n + r] : Q[r * n + c];
  return out;
}

/**
 * Thin Q of A = QR by modified Gram-Schmidt applied twice (numerically orthogonal). Gram-Schmidt
 * yields R with a positive diagonal, which is exactly torch's sign correction Q * sign(diag R).
 */
function thinQ(A: Float64Array, m: number, n: number): Float64Array {
  const Q = Float64Array.from(A);
  for (let j = 0; j < n; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += Q[i * n + k] * Q[i * n + j];
        for (let i = 0; i < m; i++) Q[i * n + j] -= dot * Q[i * n + k];
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += Q[i * n + j] * Q[i * n + j];
    norm = Math.sqrt(norm);
    for (let i = 0; i < m; i++) Q[i * n + j] /= norm;
  }
  return Q;
}

import { tridiagonalEigenvaluesOf } from './tridiagonal.ts';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { InputError } from '../util/errors.ts';

/**
 * Spectra of dense symmetric matrices (H, H0, Hp of SCIENCE.md) and the counting of their signs
 * against a documented threshold.
 *
 * THRESHOLDS (SCIENCE.md, "Thresholds"): an eigenvalue is "negative" only if
 * it is below -tol with tol = eigenTolerance(scale, n), where `scale` is a scale that is NOT itself
 * zero when the matrix being counted is pure rounding noise. For Hp and H0 the callers pass
 * max |lambda(H)| (the spectral scale of the full Hessian, see `spectralScale`), never max |Hp|:
 * when Hp = 0 up to rounding, its 1e-16 noise would otherwise count as ~N/2 "negative eigenvalues".
 */

/**
 * Largest allowed asymmetry, relative to the largest |entry|: |m_ij - m_ji| <= SYMMETRY_RTOL * max|m|.
 * Hessians assembled from sums of products are symmetric only up to rounding (a few ulps of the
 * largest entry); 1e-8 accepts any such rounding but rejects a matrix that is genuinely asymmetric
 * (a wrong index, a transposed block). The matrix is symmetrised ((m + m^T)/2) before solving.
 */
export const SYMMETRY_RTOL = 1e-8;

/**
 * The constant C of eigenTolerance. A backward-stable symmetric eigensolver (Householder
 * tridiagonalisation + implicit QL, as ml-matrix's tred2/tql2) returns the exact eigenvalues of
 * A + E with ||E||_2 = O(n eps ||A||_2); by Weyl's inequality every computed eigenvalue is then
 * within ||E||_2 of a true one. The hidden constant of the O() is modest (a small multiple of 1
 * in practice: the errors measured in spec/analyse/spectrum.spec.ts are ~1e-15 * scale at n = 40,
 * while C n eps = 9e-13); C = 100 leaves two orders of magnitude of head-room against a noise
 * eigenvalue being counted, while staying far below any physical eigenvalue of interest
 * (for n = 1000, tol = 2.2e-11 * scale).
 */
export const EIGEN_TOLERANCE_C = 100;

/**
 * Eigenvalues, ascending, of the dense symmetric n x n matrix m (row-major): eigenvalues only, by
 * Householder tridiagonalisation and implicit QL (tridiagonal.ts), checked against ml-matrix's full
 * decomposition in spec/analyse. Throws InputError for a wrong size, a non-finite entry, or
 * asymmetry beyond SYMMETRY_RTOL.
 */
export function symmetricEigenvalues(m: Float64Array, n: number): Float64Array {
  return symmetricEigenvaluesOf([m], n)[0];
}

/** symmetricEigenvalues of several matrices of one size (H, H0, Hp): the reductions may run at once on the team's threads. */
export function symmetricEigenvaluesOf(ms: readonly Float64Array[], n: number): Float64Array[] {
  return tridiagonalEigenvaluesOf(ms.map((m) => validateSymmetric(m, n)), n);
}

/** (m + m^T) / 2, so rounding-level asymmetry never reaches the solver. */
function symmetrised(m: Float64Array, n: number): Float64Array {
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s[i * n + j] = 0.5 * (m[i * n + j] + m[j * n + i]);
  return s;
}

/** Eigenvalues (ascending) and the matching orthonormal eigenvectors (columns of an n x n row-major matrix). */
export function symmetricEigen(m: Float64Array, n: number): { eigenvalues: Float64Array; eigenvectors: Float64Array } {
  const A = toSymmetricMatrix(m, n);
  const evd = new EigenvalueDecomposition(A, { assumeSymmetric: true });
  const raw = evd.realEigenvalues;
  const V = evd.eigenvectorMatrix;
  const order = raw.map((_, i) => i).sort((i, j) => raw[i] - raw[j]);
  const eigenvalues = new Float64Array(n);
  const eigenvectors = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const src = order[k];
    eigenvalues[k] = raw[src];
    for (let i = 0; i < n; i++) eigenvectors[i * n + k] = V.get(i, src);
  }
  return { eigenvalues, eigenvectors };
}

/**
 * Checks size, finiteness and symmetry (to SYMMETRY_RTOL); returns (m + m^T) / 2, which is m itself
 * when m is exactly symmetric (as H0, Hp and H are built): no copy of an Ntot^2 matrix.
 */
function validateSymmetric(m: Float64Array, n: number): Float64Array {
  if (!(m instanceof Float64Array)) throw new InputError('matrix', m, 'a Float64Array of n * n numbers (row-major)');
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new InputError('n', n, 'an integer >= 1');
  if (m.length !== n * n) {
    throw new InputError('matrix.length', m.length, `n * n = ${n * n} for n = ${n} (a square matrix, row-major)`);
  }
  let maxAbs = 0;
  for (let k = 0; k < m.length; k++) {
    const v = m[k];
    if (!Number.isFinite(v)) {
      throw new InputError(`matrix[${Math.floor(k / n)}][${k % n}]`, v, 'a finite number');
    }
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
  }
  const symTol = SYMMETRY_RTOL * maxAbs;
  let worst = 0;
  let wi = -1;
  let wj = -1;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const diff = Math.abs(m[i * n + j] - m[j * n + i]);
      if (diff > worst) {
        worst = diff;
        wi = i;
        wj = j;
      }
    }
  }
  if (worst > symTol) {
    throw new InputError(
      `matrix symmetry at [${wi}][${wj}] vs [${wj}][${wi}]`,
      { ij: m[wi * n + wj], ji: m[wj * n + wi], difference: worst },
      `|m_ij - m_ji| <= ${SYMMETRY_RTOL} * max|m| = ${symTol.toExponential(3)} (a symmetric matrix)`,
    );
  }
  // (x + x) / 2 = x exactly unless x + x overflows
  return worst === 0 && maxAbs <= Number.MAX_VALUE / 2 ? m : symmetrised(m, n);
}

/** The validated, symmetrised matrix as ml-matrix wants it (for the decomposition with vectors). */
function toSymmetricMatrix(m: Float64Array, n: number): Matrix {
  const s = validateSymmetric(m, n);
  const A = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A.set(i, j, s[i * n + j]);
  return A;
}

/**
 * The eigenvalue threshold: scale * n * Number.EPSILON * EIGEN_TOLERANCE_C (see EIGEN_TOLERANCE_C
 * for why). `scale` must be a spectral scale that is not itself zero when the matrix is rounding
 * noise: for Hp and H0 pass max |lambda(H)| of the full Hessian (spectralScale of its eigenvalues).
 * scale = 0 is allowed and gives tol = 0 (only meaningful when every matrix involved is exactly 0,
 * e.g. H = H0 = Hp = 0 at zero loss, where all sums are empty).
 */
export function eigenTolerance(scale: number, n: number): number {
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale < 0) {
    throw new InputError('scale', scale, 'a finite number >= 0 (e.g. max |lambda(H)| of the full Hessian)');
  }
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new InputError('n', n, 'an integer >= 1 (matrix size)');
  return scale * n * Number.EPSILON * EIGEN_TOLERANCE_C;
}

/** max |lambda|: the spectral norm of a symmetric matrix, from its eigenvalues (0 for an empty list). */
export function spectralScale(eigs: ArrayLike<number>): number {
  checkEigs(eigs);
  let s = 0;
  for (let k = 0; k < eigs.length; k++) s = Math.max(s, Math.abs(eigs[k]));
  return s;
}

/** #{lambda < -tol}: the number of negative eigenvalues (N_- for Hp). */
export function countNegative(eigs: ArrayLike<number>, tol: number): number {
  checkEigs(eigs);
  checkTol(tol);
  let c = 0;
  for (let k = 0; k < eigs.length; k++) if (eigs[k] < -tol) c++;
  return c;
}

/** #{lambda > tol}: the number of positive eigenvalues; the numerical rank of a PSD matrix such as H0. */
export function countPositive(eigs: ArrayLike<number>, tol: number): number {
  checkEigs(eigs);
  checkTol(tol);
  let c = 0;
  for (let k = 0; k < eigs.length; k++) if (eigs[k] > tol) c++;
  return c;
}

export interface SpectrumSummary {
  /** ascending */
  readonly eigenvalues: Float64Array;
  readonly min: number;
  readonly max: number;
  /** #{lambda < -tolerance} */
  readonly nNegative: number;
  /** #{lambda > tolerance} (rank, for a PSD matrix) */
  readonly nPositive: number;
  /** #{|lambda| <= tolerance} */
  readonly nZero: number;
  /** the threshold used for all three counts */
  readonly tolerance: number;
}

/** Counts and extremes of a spectrum against one stated tolerance (use eigenTolerance to make it). */
export function summarize(eigs: ArrayLike<number>, tol: number): SpectrumSummary {
  checkEigs(eigs);
  checkTol(tol);
  if (eigs.length === 0) throw new InputError('eigenvalues', '[]', 'at least one eigenvalue');
  const eigenvalues = Float64Array.from(eigs as ArrayLike<number>);
  eigenvalues.sort();
  const nNegative = countNegative(eigenvalues, tol);
  const nPositive = countPositive(eigenvalues, tol);
  return {
    eigenvalues,
    min: eigenvalues[0],
    max: eigenvalues[eigenvalues.length - 1],
    nNegative,
    nPositive,
    nZero: eigenvalues.length - nNegative - nPositive,
    tolerance: tol,
  };
}

function checkTol(tol: number): void {
  if (typeof tol !== 'number' || !Number.isFinite(tol) || tol < 0) {
    throw new InputError('tol', tol, 'a finite number >= 0 (see eigenTolerance)');
  }
}

function checkEigs(eigs: ArrayLike<number>): void {
  if (eigs == null || typeof eigs !== 'object' || typeof (eigs as ArrayLike<number>).length !== 'number') {
    throw new InputError('eigenvalues', eigs, 'an array of finite numbers');
  }
  for (let k = 0; k < eigs.length; k++) {
    if (!Number.isFinite(eigs[k])) throw new InputError(`eigenvalues[${k}]`, eigs[k], 'a finite number');
  }
}

import { kernels } from '../kernels/select.ts';

/**
 * Eigenvalues only of a dense symmetric matrix: Householder reduction to tridiagonal form (no
 * eigenvectors accumulated, lower triangle updated by rank-2 steps), then the implicit QL algorithm
 * with Wilkinson shifts (Numerical Recipes tred2/tqli, EISPACK tql1). About 4/3 n^3 flops against
 * the 9 n^3 and array-of-arrays storage of a full decomposition: the claims only count eigenvalues.
 * The reduction runs on this thread's kernels (src/kernels/select.ts), on a copy; the QL here.
 * Returns the eigenvalues ascending.
 */
export function tridiagonalEigenvalues(m: Float64Array, n: number): Float64Array {
  return tridiagonalEigenvaluesOf([m], n)[0];
}

/** The eigenvalues of each matrix, ascending; the reductions may run at once on the team's threads. */
export function tridiagonalEigenvaluesOf(ms: readonly Float64Array[], n: number): Float64Array[] {
  const ds = ms.map(() => new Float64Array(n));
  const es = ms.map(() => new Float64Array(n));
  kernels().householderTridiagonal(ms, n, ds, es);
  return ds.map((d, q) => implicitQL(d, es[q], n));
}

/** Implicit QL with Wilkinson shifts on (d, e); returns the eigenvalues ascending. */
function implicitQL(d: Float64Array, e: Float64Array, n: number): Float64Array {
  // implicit QL on (d, e): e[i] couples i-1 and i; shift to e[i] coupling i and i+1
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  if (n > 0) e[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    for (;;) {
      let mIdx = l;
      for (; mIdx < n - 1; mIdx++) {
        const dd = Math.abs(d[mIdx]) + Math.abs(d[mIdx + 1]);
        if (Math.abs(e[mIdx]) <= Number.EPSILON * dd) break;
      }
      if (mIdx === l) break;
      if (++iter > 60) throw new Error(`tridiagonalEigenvalues: no convergence at eigenvalue ${l} of ${n}`);
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[mIdx] - d[l] + e[l] / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
      let s = 1;
      let c = 1;
      let pp = 0;
      let i = mIdx - 1;
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] -= pp;
          e[mIdx] = 0;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - pp;
        r = (d[i] - g) * s + 2 * c * b;
        pp = s * r;
        d[i + 1] = g + pp;
        g = c * r - b;
      }
      if (r === 0 && i >= l) continue;
      d[l] -= pp;
      e[l] = g;
      e[mIdx] = 0;
    }
  }
  return d.sort();
}

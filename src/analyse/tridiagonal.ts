import type { Arena } from '../kernels/arena.ts';
import { wasmArena } from '../kernels/backend.ts';

/**
 * Eigenvalues only of a dense symmetric matrix: Householder reduction to tridiagonal form (no
 * eigenvectors accumulated, lower triangle updated by rank-2 steps), then the implicit QL algorithm
 * with Wilkinson shifts (Numerical Recipes tred2/tqli, EISPACK tql1). About 4/3 n^3 flops against
 * the 9 n^3 and array-of-arrays storage of a full decomposition: the claims only count eigenvalues.
 * Works on a copy; returns the eigenvalues ascending.
 */
export function tridiagonalEigenvalues(m: Float64Array, n: number): Float64Array {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const arena = wasmArena();
  if (arena) householderWasm(arena, m, n, d, e);
  else householderReference(m, n, d, e);
  return implicitQL(d, e, n);
}

/** The O(n^3) reduction; on exit d holds the diagonal and e[i] couples i-1 and i. */
export function householderReference(m: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  const a = Float64Array.from(m); // row-major; the lower triangle is used
  const p = new Float64Array(n);
  // Householder: for i = n-1 .. 1, annihilate a[i][0..i-2]
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1;
    const ri = i * n;
    let scale = 0;
    for (let k = 0; k <= l; k++) scale += Math.abs(a[ri + k]);
    if (l === 0 || scale === 0) {
      e[i] = a[ri + l];
      d[i] = 0;
      continue;
    }
    let h = 0;
    for (let k = 0; k <= l; k++) {
      a[ri + k] /= scale;
      h += a[ri + k] * a[ri + k];
    }
    const f = a[ri + l];
    const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
    e[i] = scale * g;
    h -= f * g;
    a[ri + l] = f - g; // u = a[i][0..l]
    // p = A u / h (A the leading (l+1) block, symmetric, stored lower)
    let uKu = 0;
    for (let j = 0; j <= l; j++) {
      let s = 0;
      const rj = j * n;
      for (let k = 0; k <= j; k++) s += a[rj + k] * a[ri + k];
      for (let k = j + 1; k <= l; k++) s += a[k * n + j] * a[ri + k];
      p[j] = s / h;
      uKu += p[j] * a[ri + j];
    }
    const hh = uKu / (h + h);
    for (let j = 0; j <= l; j++) p[j] -= hh * a[ri + j]; // q = p - K u
    // A <- A - u q^T - q u^T (lower triangle)
    for (let j = 0; j <= l; j++) {
      const uj = a[ri + j];
      const qj = p[j];
      const rj = j * n;
      for (let k = 0; k <= j; k++) a[rj + k] -= uj * p[k] + qj * a[ri + k];
    }
    d[i] = h;
  }
  for (let i = 0; i < n; i++) d[i] = a[i * n + i];
}

/** The same reduction on the WASM kernels (bit-identical: see src/kernels/assembly/tridiagonal.ts). */
function householderWasm(arena: Arena, m: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  const mark = arena.mark();
  try {
    const a = arena.put(m);
    const dp = arena.alloc(n);
    const ep = arena.alloc(n);
    const p = arena.alloc(n);
    arena.k.householderTridiagonal(a, n, dp, ep, p);
    d.set(arena.f64(dp, n));
    e.set(arena.f64(ep, n));
  } finally {
    arena.release(mark);
  }
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

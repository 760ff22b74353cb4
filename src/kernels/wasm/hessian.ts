import type { Net, Sensitivities, Trace } from '../types.ts';
import type { Arena } from '../arena.ts';
import { jacobianRow } from '../jacobian.ts';

/**
 * The upper triangle of H0 = sum_r w_r J_r J_r^T into H0 (n x n, zero on entry), on the WASM
 * kernels: H0[i][j] += (w_r J_r[i]) J_r[j] over the rows in ascending order, the sums and roundings
 * of the reference loop (reference/hessian.ts; rows with w_r = 0 are skipped by both).
 */
export function h0UpperWasm(arena: Arena, net: Net, trace: Trace, sens: Sensitivities, wts: Float64Array, H0: Float64Array): void {
  const n = net.Ntot;
  const rows: number[] = [];
  const weights: number[] = [];
  for (let r = 0; r < wts.length; r++) {
    const w = wts[r];
    if (w === 0) continue;
    rows.push(r);
    weights.push(w);
  }
  const k = rows.length;
  const mark = arena.mark();
  try {
    const J = arena.alloc(k * n);
    const WJ = arena.alloc(k * n);
    const M = arena.zeros(n * n);
    const row = new Float64Array(n);
    for (let q = 0; q < k; q++) {
      jacobianRow(net, trace, sens, rows[q], row);
      arena.f64(J + 8 * q * n, n).set(row);
      const w = weights[q];
      const wj = arena.f64(WJ + 8 * q * n, n);
      for (let i = 0; i < n; i++) wj[i] = w * row[i];
    }
    arena.k.outerAccumulate(M, WJ, J, 0, 0, 0, 0, k, n, n, 1);
    H0.set(arena.f64(M, n * n));
  } finally {
    arena.release(mark);
  }
}

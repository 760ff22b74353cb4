import { layout } from '../model/architecture.ts';
import { jacobianRow } from '../model/backward.ts';
import type { Arena } from '../kernels/arena.ts';
import type { Evaluation, Objective } from './objective.ts';

/**
 * The upper triangle of H0 = (1/P) sum_r ell''(Delta_r) J_r J_r^T into H0 (n x n, zero on entry),
 * on the WASM kernels: H0[i][j] += (w_r J_r[i]) J_r[j] over the rows in ascending order, the
 * sums and roundings of the reference loop in hessian.ts (rows with w_r = 0 are skipped by both).
 */
export function h0UpperWasm(arena: Arena, obj: Objective, ev: Evaluation, H0: Float64Array): void {
  const n = layout(obj.arch).Ntot;
  const { trace, delta, active, sens } = ev;
  const P = obj.data.P;
  const rows: number[] = [];
  const weights: number[] = [];
  for (let r = 0; r < active.length; r++) {
    const w = obj.loss.d2Ell(delta[active[r]]) / P;
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
      jacobianRow(obj.arch, trace, sens, rows[q], row);
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

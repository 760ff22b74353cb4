import type { Net, Sensitivities, Trace } from '../types.ts';
import { jacobianRow } from '../jacobian.ts';
import { weightedHvp } from './hvp.ts';

/** The upper triangle of sum_r w_r J_r J_r^T into H0 (zero on entry): a symmetric rank-k update, row by row. */
export function h0Upper(net: Net, trace: Trace, s: Sensitivities, wts: Float64Array, H0: Float64Array): void {
  const n = net.Ntot;
  const row = new Float64Array(n);
  for (let r = 0; r < wts.length; r++) {
    const w = wts[r];
    if (w === 0) continue;
    jacobianRow(net, trace, s, r, row);
    for (let i = 0; i < n; i++) {
      const wi = w * row[i];
      if (wi === 0) continue;
      const base = i * n;
      for (let j = i; j < n; j++) H0[base + j] += wi * row[j];
    }
  }
}

/** Every column of the weighted Hessian into M: weightedHvp(e_j) for j = 0..Ntot-1. */
export function hessianColumns(net: Net, theta: Float64Array, trace: Trace, s: Sensitivities, c: Float64Array, M: Float64Array): void {
  const n = net.Ntot;
  const hvp = weightedHvp(net, theta, trace, s, c);
  const e = new Float64Array(n);
  const col = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e[j] = 1;
    hvp(e, col);
    e[j] = 0;
    for (let i = 0; i < n; i++) M[i * n + j] = col[i];
  }
}

import type { Net, Sensitivities, Trace } from '../types.ts';
import type { Arena } from '../arena.ts';
import type { KernelCall, Team } from '../team.ts';
import { KERNEL_WASM_BYTES } from '../module.ts';
import { jacobianRow } from '../jacobian.ts';

/**
 * The upper triangle of H0 = sum_r w_r J_r J_r^T into H0 (n x n, zero on entry), on the WASM
 * kernels: H0[i][j] += (w_r J_r[i]) J_r[j] over the rows in ascending order, the sums and roundings
 * of the reference loop (reference/hessian.ts; rows with w_r = 0, the patterns with Delta <= 0,
 * are skipped by both). The Jacobian rows are packed in panels of eight columns (assembly/gram.ts)
 * and the panels shared out between the team's threads, each entry computed by one thread.
 *
 * Blocked where WASM32's 4 GiB cannot hold it at once (Ntot of 10^4 and more): H0 is made a block
 * of rows at a time and the rows of J a chunk at a time, each chunk continuing the sums of the one
 * before, so the bits do not depend on the blocking (`budgetBytes` lets the specs force it).
 */
export function h0UpperWasm(arena: Arena, team: Team, net: Net, trace: Trace, sens: Sensitivities, wts: Float64Array, H0: Float64Array, budgetBytes = KERNEL_WASM_BYTES - arena.mark()): void {
  const n = net.Ntot;
  const rows: number[] = [];
  const weights: number[] = [];
  for (let r = 0; r < wts.length; r++) {
    if (wts[r] === 0) continue;
    rows.push(r);
    weights.push(wts[r]);
  }
  const k = rows.length;
  if (k === 0 || n === 0) return;
  const nPad = Math.ceil(n / 8) * 8;
  const panels = nPad / 8;
  // everything at once when it fits; else half the room for a block of H0's rows, the rest for J
  let block = n;
  let chunk = k;
  if (8 * nPad * (n + 2 * k) > budgetBytes) {
    block = Math.max(2, Math.min(n, Math.floor(budgetBytes / 2 / (8 * nPad)))) & ~1;
    chunk = Math.max(1, Math.min(k, Math.floor((budgetBytes - 8 * nPad * block) / (16 * nPad))));
  }
  const mark = arena.mark();
  try {
    const J = arena.alloc(chunk * nPad);
    const WJ = arena.alloc(chunk * nPad);
    const M = arena.alloc(block * nPad);
    const row = new Float64Array(n);
    for (let i0 = 0; i0 < n; i0 += block) {
      const i1 = Math.min(n, i0 + block);
      arena.k.zero(M, (i1 - i0) * nPad);
      const first = i0 >> 3; // the first panel with a column >= i0
      for (let r0 = 0; r0 < k; r0 += chunk) {
        const kc = Math.min(k, r0 + chunk) - r0;
        const jv = arena.f64(J, kc * nPad);
        const wv = arena.f64(WJ, kc * nPad);
        for (let q = 0; q < kc; q++) {
          jacobianRow(net, trace, sens, rows[r0 + q], row);
          const w = weights[r0 + q];
          for (let c = 0; c < nPad; c++) {
            const at = (c >> 3) * kc * 8 + q * 8 + (c & 7);
            const v = c < n ? row[c] : 0; // the last panel's pad columns
            jv[at] = v;
            wv[at] = w * v;
          }
        }
        team.run(splitByWork(first, panels, team.size, (p) => Math.min(i1, 8 * p + 8) - i0).map(([p0, p1]): KernelCall[] => (p1 > p0 ? [['gramUpper', M, WJ, J, kc, i0, i1, p0, p1, nPad]] : [])));
      }
      const mv = arena.f64(M, (i1 - i0) * nPad);
      for (let i = i0; i < i1; i++) H0.set(mv.subarray((i - i0) * nPad + i, (i - i0) * nPad + n), i * n + i);
    }
  } finally {
    arena.release(mark);
  }
}

/** [p0, p1) ranges of the panels [first, end) for each of `parts` threads, of about equal work. */
function splitByWork(first: number, end: number, parts: number, work: (p: number) => number): Array<readonly [number, number]> {
  let total = 0;
  for (let p = first; p < end; p++) total += work(p);
  const out: Array<readonly [number, number]> = [];
  let p = first;
  let done = 0;
  for (let t = 0; t < parts; t++) {
    const start = p;
    const goal = (total * (t + 1)) / parts;
    while (p < end && (t === parts - 1 || done + work(p) / 2 <= goal)) done += work(p++);
    out.push([start, p]);
  }
  return out;
}

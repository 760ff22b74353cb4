import type { Net, Sensitivities, Trace } from '../types.ts';
import type { Arena } from '../arena.ts';
import { CONTROL_BYTES, type KernelCall, type Team } from '../team.ts';

/** A batch of columns posts at most this much of calls (and holds its columns' outputs at once: a few MB at Ntot 20000). */
const BATCH_CALL_BYTES = Math.min(CONTROL_BYTES, 1 << 16);

/**
 * Every column of Hess_theta sum_k c_k f(x_{patterns[k]}) on the WASM kernels, written into M
 * (n x n row-major, column j = the product with e_j), by the R-passes of weightedHvp (reference/hvp.ts)
 * with the same sums in the same order, so each column is bit-identical to weightedHvp(e_j).
 * The columns are shared out between the team's threads in batches, each thread with its own
 * R-buffers and unit vector; a column is computed whole by one thread, so the bits do not depend
 * on the number of threads. All buffers live in linear memory for the whole loop.
 */
export function hessianColumnsWasm(arena: Arena, team: Team, net: Net, theta: Float64Array, trace: Trace, s: Sensitivities, c: Float64Array, M: Float64Array): void {
  const act = net.act;
  const kern = arena.k;
  const n = net.Ntot;
  const k = s.patterns.length;
  const L = net.L;
  const layers = net.layers;
  const mark = arena.mark();
  try {
    // shared, read-only during the columns: parameters, patterns, activations, derivatives
    const thetaPtr = arena.put(theta);
    const idx = arena.putInt32(s.patterns);
    const cPtr = arena.put(c);
    const A: number[] = []; // a_{l-1}, all P patterns (rows gathered through idx)
    const WT: number[] = []; // W_l^T
    const dS: number[] = [0];
    const d2S: number[] = [0];
    const cE: number[] = [0];
    const g: number[] = [0];
    for (let l = 1; l <= L + 1; l++) {
      const { inDim, outDim } = layers[l - 1];
      A.push(arena.alloc(trace.a[l - 1].length));
      WT.push(arena.alloc(inDim * outDim));
      g.push(arena.alloc(k * outDim));
      if (l <= L) {
        dS.push(arena.alloc(k * outDim));
        d2S.push(act.curved ? arena.alloc(k * outDim) : 0);
        cE.push(act.curved ? arena.alloc(k * outDim) : 0);
      }
    }
    const shared: Shared = { thetaPtr, idx, A, WT, dS, d2S, cE, g, k, curved: act.curved };
    // each thread's own: e_j (v, and its transposed weight block VT), the R-activities, and a
    // block of `batch` output columns, as many as one call list holds (column 0's is the longest)
    const bufs = Array.from({ length: team.size }, (): Own => {
      const VT: number[] = [];
      const Rz: number[] = [0];
      const Ra: number[] = [0];
      const Rg: number[] = [0];
      for (let l = 1; l <= L + 1; l++) {
        const { inDim, outDim } = layers[l - 1];
        VT.push(arena.zeros(inDim * outDim));
        Rz.push(arena.alloc(k * outDim));
        Ra.push(l <= L ? arena.alloc(k * outDim) : 0);
        Rg.push(arena.alloc(k * outDim));
      }
      return { v: arena.zeros(n), VT, Rz, Ra, Rg };
    });
    const perColumn = columnCalls(0, net, bufs[0], 0, shared).reduce((q, call) => q + call.length + 1, 0);
    const batch = Math.max(1, Math.min(n, Math.floor((BATCH_CALL_BYTES / 8 - 64) / perColumn)));
    const own = bufs.map((b) => ({ ...b, out: arena.alloc(batch * n) }));
    for (let l = 1; l <= L + 1; l++) {
      const { inDim, outDim, w } = layers[l - 1];
      arena.f64(A[l - 1], trace.a[l - 1].length).set(trace.a[l - 1]);
      kern.transpose(WT[l - 1], thetaPtr + 8 * w, outDim, inDim);
      // g_l = c G_l
      const G = arena.alloc(k * outDim);
      arena.f64(G, k * outDim).set(s.G[l]);
      kern.scaleRows(g[l], cPtr, G, k, outDim);
      arena.release(G);
      if (l <= L) {
        const h = outDim;
        const ds = arena.f64(dS[l], k * h);
        const d2s = act.curved ? arena.f64(d2S[l], k * h) : null;
        const ce = act.curved ? arena.f64(cE[l], k * h) : null;
        const zl = trace.z[l];
        const El = s.E[l];
        for (let r = 0; r < k; r++) {
          const zr = s.patterns[r] * h;
          for (let o = 0; o < h; o++) {
            const z = zl[zr + o];
            ds[r * h + o] = act.dSigma(z);
            if (d2s && ce) {
              d2s[r * h + o] = act.d2Sigma(z);
              ce[r * h + o] = c[r] * El[r * h + o];
            }
          }
        }
      }
    }
    const step = batch * team.size;
    for (let j0 = 0; j0 < n; j0 += step) {
      const parts = own.map((o, t) => {
        const calls: KernelCall[] = [];
        for (let q = 0; q < batch; q++) {
          const j = j0 + t * batch + q;
          if (j < n) calls.push(...columnCalls(j, net, o, o.out + 8 * q * n, shared));
        }
        return calls;
      });
      team.run(parts);
      own.forEach((o, t) => {
        const cols = arena.f64(o.out, batch * n);
        for (let q = 0; q < batch; q++) {
          const j = j0 + t * batch + q;
          if (j >= n) break;
          const col = q * n;
          for (let i = 0; i < n; i++) M[i * n + j] = cols[col + i];
        }
      });
    }
  } finally {
    arena.release(mark);
  }
}

interface Shared {
  readonly thetaPtr: number;
  readonly idx: number;
  readonly A: readonly number[];
  readonly WT: readonly number[];
  readonly dS: readonly number[];
  readonly d2S: readonly number[];
  readonly cE: readonly number[];
  readonly g: readonly number[];
  readonly k: number;
  readonly curved: boolean;
}

interface Own {
  readonly v: number;
  readonly VT: readonly number[];
  readonly Rz: readonly number[];
  readonly Ra: readonly number[];
  readonly Rg: readonly number[];
}

/** The kernel calls of column j (the product with e_j) into out, on one thread's buffers: set e_j, R-forward, R-backward, clear e_j. */
function columnCalls(j: number, net: Net, o: Own, out: number, sh: Shared): KernelCall[] {
  const { L, layers } = net;
  const n = net.Ntot;
  const { thetaPtr, idx, A, WT, dS, d2S, cE, g, k } = sh;
  const { v, VT, Rz, Ra, Rg } = o;
  // which block holds j: the R-forward starts there (earlier layers have Rz = Ra = 0)
  let lj = 1;
  while (lj <= L && j >= layers[lj].w) lj++;
  const { inDim: inJ, outDim: outJ, w: wJ } = layers[lj - 1];
  // e_j in v and, when j is a weight, its transposed entry VT[i][o] (j - wJ = o * inJ + i)
  const isWeight = j < wJ + inJ * outJ;
  const vt = (VT[lj - 1] ?? 0) + 8 * (((j - wJ) % inJ) * outJ + Math.floor((j - wJ) / inJ));
  const calls: KernelCall[] = [['poke', v + 8 * j, 1]];
  if (isWeight) calls.push(['poke', vt, 1]);
  calls.push(['zero', out, n]);
  // R-forward
  for (let l = 1; l <= L + 1; l++) {
    const { inDim, outDim, b } = layers[l - 1];
    const rz = Rz[l];
    if (l < lj) {
      calls.push(['zero', rz, k * outDim]);
      if (l <= L) calls.push(['zero', Ra[l], k * outDim]);
      continue;
    }
    const vb = b >= 0 ? v + 8 * b : 0;
    // the first live layer: no earlier R-activity, so only the dW a_{l-1} + db term
    if (l === lj) calls.push(['denseForward', rz, A[l - 1], idx, k, VT[l - 1], inDim, outDim, vb, vb ? 1 : 0]);
    else calls.push(['denseForward', rz, Ra[l - 1], 0, k, WT[l - 1], inDim, outDim, vb, vb ? 1 : 0]);
    if (l <= L) calls.push(['mulInto', Ra[l], dS[l], rz, k * outDim]);
  }
  // R-backward
  calls.push(['zero', Rg[L + 1], k]);
  for (let l = L + 1; l >= 1; l--) {
    const { inDim, outDim, w, b } = layers[l - 1];
    calls.push(['outerAccumulate', out + 8 * w, Rg[l], A[l - 1], idx, l >= 2 ? g[l] : 0, l >= 2 ? Ra[l - 1] : 0, 0, k, outDim, inDim, 0]);
    if (b >= 0) calls.push(['columnSums', out + 8 * b, Rg[l], k, outDim]);
    if (l >= 2) {
      const rgPrev = Rg[l - 1];
      calls.push(['denseBackward', rgPrev, thetaPtr + 8 * w, Rg[l], v + 8 * w, g[l], k, outDim, inDim]);
      calls.push(['mulInto', rgPrev, rgPrev, dS[l - 1], k * inDim]);
      if (sh.curved) calls.push(['addProduct3', rgPrev, d2S[l - 1], Rz[l - 1], cE[l - 1], k * inDim]);
    }
  }
  calls.push(['poke', v + 8 * j, 0]);
  if (isWeight) calls.push(['poke', vt, 0]);
  return calls;
}

import type { Net, Sensitivities, Trace } from '../types.ts';
import type { Arena } from '../arena.ts';

/**
 * Every column of Hess_theta sum_k c_k f(x_{patterns[k]}) on the WASM kernels, written into M
 * (n x n row-major, column j = the product with e_j), by the R-passes of weightedHvp (reference/hvp.ts)
 * with the same sums in the same order, so each column is bit-identical to weightedHvp(e_j).
 * All buffers live in linear memory for the whole loop: nothing is allocated per column.
 */
export function hessianColumnsWasm(arena: Arena, net: Net, theta: Float64Array, trace: Trace, s: Sensitivities, c: Float64Array, M: Float64Array): void {
  const act = net.act;
  const kern = arena.k;
  const n = net.Ntot;
  const k = s.patterns.length;
  const L = net.L;
  const layers = net.layers;
  const mark = arena.mark();
  try {
    // allocate everything, then fill
    const thetaPtr = arena.put(theta);
    const v = arena.zeros(n);
    const out = arena.alloc(n);
    const idx = arena.putInt32(s.patterns);
    const cPtr = arena.put(c);
    const A: number[] = []; // a_{l-1}, all P patterns (rows gathered through idx)
    const WT: number[] = []; // W_l^T
    const VT: number[] = []; // (v's W_l block)^T: zero but for the one entry of e_j
    const dS: number[] = [0];
    const d2S: number[] = [0];
    const cE: number[] = [0];
    const g: number[] = [0];
    const Rz: number[] = [0];
    const Ra: number[] = [0];
    const Rg: number[] = [0];
    for (let l = 1; l <= L + 1; l++) {
      const { inDim, outDim } = layers[l - 1];
      A.push(arena.alloc(trace.a[l - 1].length));
      WT.push(arena.alloc(inDim * outDim));
      VT.push(arena.zeros(inDim * outDim));
      g.push(arena.alloc(k * outDim));
      Rz.push(arena.alloc(k * outDim));
      Ra.push(l <= L ? arena.alloc(k * outDim) : 0);
      Rg.push(arena.alloc(k * outDim));
      if (l <= L) {
        dS.push(arena.alloc(k * outDim));
        d2S.push(act.curved ? arena.alloc(k * outDim) : 0);
        cE.push(act.curved ? arena.alloc(k * outDim) : 0);
      }
    }
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
    const vView = () => arena.f64(v, n);
    for (let j = 0; j < n; j++) {
      // which block holds j: the R-forward starts there (earlier layers have Rz = Ra = 0)
      let lj = 1;
      while (lj <= L && j >= (layers[lj].w)) lj++;
      const { inDim: inJ, outDim: outJ, w: wJ } = layers[lj - 1];
      // e_j in v and, when j is a weight, its transposed entry VT[i][o] (j - wJ = o * inJ + i)
      const vt = j < wJ + inJ * outJ ? arena.f64(VT[lj - 1], inJ * outJ) : null;
      const q = ((j - wJ) % inJ) * outJ + Math.floor((j - wJ) / inJ);
      vView()[j] = 1;
      if (vt) vt[q] = 1;
      kern.zero(out, n);
      // R-forward
      for (let l = 1; l <= L + 1; l++) {
        const { inDim, outDim, b } = layers[l - 1];
        const rz = Rz[l];
        if (l < lj) {
          kern.zero(rz, k * outDim);
          if (l <= L) kern.zero(Ra[l], k * outDim);
          continue;
        }
        const vb = b >= 0 ? v + 8 * b : 0;
        if (l === lj) {
          // the first live layer: no earlier R-activity, so only the dW a_{l-1} + db term
          kern.denseForward(rz, A[l - 1], idx, k, VT[l - 1], inDim, outDim, vb, vb ? 1 : 0);
        } else {
          kern.denseForward(rz, Ra[l - 1], 0, k, WT[l - 1], inDim, outDim, vb, vb ? 1 : 0);
        }
        if (l <= L) kern.mulInto(Ra[l], dS[l], rz, k * outDim);
      }
      // R-backward
      kern.zero(Rg[L + 1], k);
      for (let l = L + 1; l >= 1; l--) {
        const { inDim, outDim, w, b } = layers[l - 1];
        kern.outerAccumulate(out + 8 * w, Rg[l], A[l - 1], idx, l >= 2 ? g[l] : 0, l >= 2 ? Ra[l - 1] : 0, 0, k, outDim, inDim, 0);
        if (b >= 0) kern.columnSums(out + 8 * b, Rg[l], k, outDim);
        if (l >= 2) {
          const rgPrev = Rg[l - 1];
          kern.denseBackward(rgPrev, thetaPtr + 8 * w, Rg[l], v + 8 * w, g[l], k, outDim, inDim);
          kern.mulInto(rgPrev, rgPrev, dS[l - 1], k * inDim);
          if (act.curved) kern.addProduct3(rgPrev, d2S[l - 1], Rz[l - 1], cE[l - 1], k * inDim);
        }
      }
      vView()[j] = 0;
      if (vt) vt[q] = 0;
      const col = arena.f64(out, n);
      for (let i = 0; i < n; i++) M[i * n + j] = col[i];
    }
  } finally {
    arena.release(mark);
  }
}

import type { Architecture } from './architecture.ts';
import { layout } from './architecture.ts';
import { activationOf } from './activation.ts';
import type { Trace } from './forward.ts';
import type { Sensitivities } from './backward.ts';
import type { Arena } from '../kernels/arena.ts';

/** sensitivities() on the WASM kernels: the same sums in the same order as sensitivitiesReference. */
export function sensitivitiesWasm(arena: Arena, arch: Architecture, theta: Float64Array, trace: Trace, patterns: Int32Array): Sensitivities {
  const lay = layout(arch);
  const { dSigma } = activationOf(arch);
  const relu = arch.activation === 'relu';
  const kern = arena.k;
  const k = patterns.length;
  const G: Float64Array[] = new Array(arch.L + 2);
  const E: Float64Array[] = new Array(arch.L + 1);
  G[0] = new Float64Array(0);
  E[0] = new Float64Array(0);
  G[arch.L + 1] = new Float64Array(k).fill(1);
  const mark = arena.mark();
  try {
    const thetaPtr = arena.put(theta);
    const idx = arena.putInt32(patterns);
    let gNext = arena.put(G[arch.L + 1]);
    for (let l = arch.L + 1; l >= 2; l--) {
      const { inDim, outDim, w } = lay.layers[l - 1];
      const e = arena.alloc(k * inDim);
      const g = arena.alloc(k * inDim);
      const z = relu ? arena.put(trace.z[l - 1]) : 0;
      kern.denseBackward(e, thetaPtr + 8 * w, gNext, 0, 0, k, outDim, inDim);
      if (relu) {
        kern.reluBackward(g, z, idx, e, k, inDim);
        G[l - 1] = arena.read(g, k * inDim);
        E[l - 1] = arena.read(e, k * inDim);
      } else {
        const ev = arena.read(e, k * inDim);
        const gv = new Float64Array(k * inDim);
        const zl = trace.z[l - 1];
        for (let r = 0; r < k; r++) {
          const zr = patterns[r] * inDim;
          for (let i = 0; i < inDim; i++) gv[r * inDim + i] = dSigma(zl[zr + i]) * ev[r * inDim + i];
        }
        arena.f64(g, gv.length).set(gv);
        G[l - 1] = gv;
        E[l - 1] = ev;
      }
      gNext = g;
    }
    return { patterns, G, E };
  } finally {
    arena.release(mark);
  }
}

/** weightedGradient() on the WASM kernels: sums over the patterns in ascending order, as the reference. */
export function weightedGradientWasm(arena: Arena, arch: Architecture, trace: Trace, s: Sensitivities, c: Float64Array): Float64Array {
  const lay = layout(arch);
  const kern = arena.k;
  const out = new Float64Array(lay.Ntot);
  const k = s.patterns.length;
  const mark = arena.mark();
  try {
    const idx = arena.putInt32(s.patterns);
    const cPtr = arena.put(c);
    for (let l = 1; l <= arch.L + 1; l++) {
      const { inDim, outDim, w, b } = lay.layers[l - 1];
      const layerMark = arena.mark();
      const G = arena.put(s.G[l]);
      const cG = arena.alloc(k * outDim);
      const A = arena.put(trace.a[l - 1]);
      const dW = arena.zeros(outDim * inDim);
      const db = arena.zeros(outDim);
      kern.scaleRows(cG, cPtr, G, k, outDim);
      kern.outerAccumulate(dW, cG, A, idx, 0, 0, 0, k, outDim, inDim, 0);
      out.set(arena.f64(dW, outDim * inDim), w);
      if (b >= 0) {
        kern.columnSums(db, cG, k, outDim);
        out.set(arena.f64(db, outDim), b);
      }
      arena.release(layerMark);
    }
    return out;
  } finally {
    arena.release(mark);
  }
}

import type { Architecture } from './architecture.ts';
import { layout } from './architecture.ts';
import { activationOf } from './activation.ts';
import type { Trace } from './forward.ts';
import type { Arena } from '../kernels/arena.ts';

/** forwardTrace on the WASM kernels: the same sums in the same order as forwardTraceReference. */
export function forwardTraceWasm(arena: Arena, arch: Architecture, theta: Float64Array, x: Float64Array, P: number): Trace {
  const lay = layout(arch);
  const { sigma } = activationOf(arch);
  const k = arena.k;
  const relu = arch.activation === 'relu';
  const mark = arena.mark();
  try {
    const thetaPtr = arena.put(theta);
    const xPtr = arena.put(x);
    const WT = lay.layers.map((s) => arena.alloc(s.inDim * s.outDim));
    const Z = lay.layers.map((s) => arena.alloc(P * s.outDim));
    lay.layers.forEach((s, q) => k.transpose(WT[q], thetaPtr + 8 * s.w, s.outDim, s.inDim));
    const z: Float64Array[] = [new Float64Array(0)];
    const a: Float64Array[] = [x];
    let f: Float64Array = new Float64Array(P);
    let A = xPtr;
    for (let l = 1; l <= arch.L + 1; l++) {
      const { inDim, outDim, b } = lay.layers[l - 1];
      k.denseForward(Z[l - 1], A, 0, P, WT[l - 1], inDim, outDim, b >= 0 ? thetaPtr + 8 * b : 0, b >= 0 ? 1 : 0);
      const zl = arena.read(Z[l - 1], P * outDim);
      if (l === arch.L + 1) {
        f = zl;
      } else {
        let al: Float64Array;
        if (relu) {
          k.reluForward(Z[l - 1], Z[l - 1], zl.length); // a_l replaces z_l in place: the next layer's input
          al = arena.read(Z[l - 1], zl.length);
        } else {
          al = new Float64Array(zl.length);
          for (let q = 0; q < zl.length; q++) al[q] = sigma(zl[q]);
          arena.f64(Z[l - 1], al.length).set(al);
        }
        A = Z[l - 1];
        z.push(zl);
        a.push(al);
      }
    }
    return { P, z, a, f };
  } finally {
    arena.release(mark);
  }
}

import type { Architecture } from './architecture.ts';
import { layout } from './architecture.ts';
import { activationOf } from './activation.ts';
import { kernelTeam, wasmArena } from '../kernels/backend.ts';
import { forwardTraceWasm } from './forward.wasm.ts';

/**
 * Everything the derivatives need from one forward pass over P patterns. Arrays are row-major
 * with one row per pattern: z[l] and a[l] are P x width of layer l (z[0] is unused, a[0] = x).
 */
export interface Trace {
  readonly P: number;
  readonly z: Float64Array[];
  readonly a: Float64Array[];
  /** network output f(x_mu), length P */
  readonly f: Float64Array;
}

/**
 * The forward pass of SCIENCE.md's set-up: a_l = sigma(W_l a_{l-1} + b_l), f = W_{L+1} a_L + b_{L+1},
 * on the WASM kernels when built (src/kernels/backend.ts), else on the reference loops below; the
 * two are bit-identical.
 */
export function forwardTrace(arch: Architecture, theta: Float64Array, x: Float64Array, P: number): Trace {
  const lay = layout(arch);
  if (theta.length !== lay.Ntot) throw new RangeError(`theta: got ${theta.length} parameters; expected Ntot = ${lay.Ntot}`);
  if (x.length !== P * arch.d) throw new RangeError(`x: got ${x.length} numbers; expected P * d = ${P * arch.d}`);
  const arena = wasmArena();
  return arena ? forwardTraceWasm(arena, kernelTeam(arena), arch, theta, x, P) : forwardTraceReference(arch, theta, x, P);
}

/** The reference loops: each z accumulates b then W_oi a_i in ascending i. */
export function forwardTraceReference(arch: Architecture, theta: Float64Array, x: Float64Array, P: number): Trace {
  const lay = layout(arch);
  const { sigma } = activationOf(arch);
  const z: Float64Array[] = [new Float64Array(0)];
  const a: Float64Array[] = [x];
  let f = new Float64Array(P);
  for (let l = 1; l <= arch.L + 1; l++) {
    const { inDim, outDim, w, b } = lay.layers[l - 1];
    const prev = a[l - 1];
    const zl = new Float64Array(P * outDim);
    for (let mu = 0; mu < P; mu++) {
      const ai = mu * inDim;
      for (let o = 0; o < outDim; o++) {
        let s = b >= 0 ? theta[b + o] : 0;
        const wo = w + o * inDim;
        for (let i = 0; i < inDim; i++) s += theta[wo + i] * prev[ai + i];
        zl[mu * outDim + o] = s;
      }
    }
    if (l === arch.L + 1) {
      f = zl;
    } else {
      const al = new Float64Array(zl.length);
      for (let k = 0; k < zl.length; k++) al[k] = sigma(zl[k]);
      z.push(zl);
      a.push(al);
    }
  }
  return { P, z, a, f };
}

/** f(x_mu) for every pattern. */
export function forward(arch: Architecture, theta: Float64Array, x: Float64Array, P: number): Float64Array {
  return forwardTrace(arch, theta, x, P).f;
}

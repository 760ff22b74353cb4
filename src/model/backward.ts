import type { Architecture } from './architecture.ts';
import { layout } from './architecture.ts';
import { activationOf } from './activation.ts';
import type { Trace } from './forward.ts';
import { kernelTeam, wasmArena } from '../kernels/backend.ts';
import { sensitivitiesWasm, weightedGradientWasm } from './backward.wasm.ts';

/**
 * Output sensitivities per pattern: G[l][k, o] = d f(x_mu) / d z_l[o] for the k-th selected
 * pattern mu = patterns[k], l = 1..L+1 (G[L+1] is all ones). They do not depend on any weighting of
 * the patterns, so the gradient, the Jacobian and the Hessian all reuse one computation.
 * Only the selected patterns are back-propagated: for the hinge losses those with Delta > 0
 * (SCIENCE.md set-up: "gradients use only the patterns with Delta > 0").
 */
export interface Sensitivities {
  readonly patterns: Int32Array;
  /** G[l] is k x outDim(l), G[0] unused */
  readonly G: Float64Array[];
  /** E[l] = W_{l+1}^T G[l+1], the sensitivity to a_l before sigma' (needed by sigma''), l = 1..L */
  readonly E: Float64Array[];
}

/** On the WASM kernels when built, else the reference loops (bit-identical). */
export function sensitivities(arch: Architecture, theta: Float64Array, trace: Trace, patterns: Int32Array): Sensitivities {
  const arena = wasmArena();
  return arena ? sensitivitiesWasm(arena, kernelTeam(arena), arch, theta, trace, patterns) : sensitivitiesReference(arch, theta, trace, patterns);
}

/** The reference loops: e accumulates W_oi g_o in ascending o. */
export function sensitivitiesReference(arch: Architecture, theta: Float64Array, trace: Trace, patterns: Int32Array): Sensitivities {
  const lay = layout(arch);
  const { dSigma } = activationOf(arch);
  const k = patterns.length;
  const G: Float64Array[] = new Array(arch.L + 2);
  const E: Float64Array[] = new Array(arch.L + 1);
  G[0] = new Float64Array(0);
  E[0] = new Float64Array(0);
  G[arch.L + 1] = new Float64Array(k).fill(1);
  for (let l = arch.L + 1; l >= 2; l--) {
    const { inDim, outDim, w } = lay.layers[l - 1];
    const gl = G[l];
    const e = new Float64Array(k * inDim);
    const g = new Float64Array(k * inDim);
    const z = trace.z[l - 1];
    for (let r = 0; r < k; r++) {
      const er = r * inDim;
      for (let o = 0; o < outDim; o++) {
        const go = gl[r * outDim + o];
        if (go === 0) continue;
        const wo = w + o * inDim;
        for (let i = 0; i < inDim; i++) e[er + i] += theta[wo + i] * go;
      }
      const zr = patterns[r] * inDim;
      for (let i = 0; i < inDim; i++) g[er + i] = dSigma(z[zr + i]) * e[er + i];
    }
    E[l - 1] = e;
    G[l - 1] = g;
  }
  return { patterns, G, E };
}

/**
 * sum_k c_k grad_theta f(x_{patterns[k]}): the vector-Jacobian product that gives the gradient of
 * any loss sum_mu ell(Delta_mu) once c holds the chain-rule weights.
 */
export function weightedGradient(arch: Architecture, trace: Trace, s: Sensitivities, c: Float64Array): Float64Array {
  const arena = wasmArena();
  return arena ? weightedGradientWasm(arena, kernelTeam(arena), arch, trace, s, c) : weightedGradientReference(arch, trace, s, c);
}

/** The reference loops: every entry accumulates its terms in ascending pattern order. */
export function weightedGradientReference(arch: Architecture, trace: Trace, s: Sensitivities, c: Float64Array): Float64Array {
  const lay = layout(arch);
  const out = new Float64Array(lay.Ntot);
  const k = s.patterns.length;
  for (let l = 1; l <= arch.L + 1; l++) {
    const { inDim, outDim, w, b } = lay.layers[l - 1];
    const a = trace.a[l - 1];
    const G = s.G[l];
    for (let r = 0; r < k; r++) {
      const cr = c[r];
      if (cr === 0) continue;
      const ar = s.patterns[r] * inDim;
      for (let o = 0; o < outDim; o++) {
        const go = cr * G[r * outDim + o];
        if (go === 0) continue;
        const wo = w + o * inDim;
        for (let i = 0; i < inDim; i++) out[wo + i] += go * a[ar + i];
        if (b >= 0) out[b + o] += go;
      }
    }
  }
  return out;
}

/** Row k of the Jacobian: grad_theta f(x_{patterns[k]}), written into row (length Ntot). */
export function jacobianRow(arch: Architecture, trace: Trace, s: Sensitivities, k: number, row: Float64Array): void {
  const lay = layout(arch);
  row.fill(0);
  const mu = s.patterns[k];
  for (let l = 1; l <= arch.L + 1; l++) {
    const { inDim, outDim, w, b } = lay.layers[l - 1];
    const a = trace.a[l - 1];
    const G = s.G[l];
    const ar = mu * inDim;
    for (let o = 0; o < outDim; o++) {
      const go = G[k * outDim + o];
      if (go === 0) continue;
      const wo = w + o * inDim;
      for (let i = 0; i < inDim; i++) row[wo + i] = go * a[ar + i];
      if (b >= 0) row[b + o] = go;
    }
  }
}

import type { Net, Sensitivities, Trace } from '../types.ts';

/** Back-propagation of the selected patterns: e accumulates W_oi g_o in ascending o. */
export function sensitivities(net: Net, theta: Float64Array, trace: Trace, patterns: Int32Array): Sensitivities {
  const { dSigma } = net.act;
  const k = patterns.length;
  const G: Float64Array[] = new Array(net.L + 2);
  const E: Float64Array[] = new Array(net.L + 1);
  G[0] = new Float64Array(0);
  E[0] = new Float64Array(0);
  G[net.L + 1] = new Float64Array(k).fill(1);
  for (let l = net.L + 1; l >= 2; l--) {
    const { inDim, outDim, w } = net.layers[l - 1];
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

/** sum_k c_k grad_theta f(x_{patterns[k]}): every entry accumulates its terms in ascending pattern order. */
export function weightedGradient(net: Net, trace: Trace, s: Sensitivities, c: Float64Array): Float64Array {
  const out = new Float64Array(net.Ntot);
  const k = s.patterns.length;
  for (let l = 1; l <= net.L + 1; l++) {
    const { inDim, outDim, w, b } = net.layers[l - 1];
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

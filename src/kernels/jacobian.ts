import type { Net, Sensitivities, Trace } from './types.ts';

/** Row k of the Jacobian: grad_theta f(x_{patterns[k]}), written into row (length Ntot). Both implementations' H0 use it. */
export function jacobianRow(net: Net, trace: Trace, s: Sensitivities, k: number, row: Float64Array): void {
  row.fill(0);
  const mu = s.patterns[k];
  for (let l = 1; l <= net.L + 1; l++) {
    const { inDim, outDim, w, b } = net.layers[l - 1];
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

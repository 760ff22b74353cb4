import type { Net, Trace } from '../types.ts';

/** The forward pass: each z accumulates b then W_oi a_i in ascending i. */
export function forwardTrace(net: Net, theta: Float64Array, x: Float64Array, P: number): Trace {
  const { sigma } = net.act;
  const z: Float64Array[] = [new Float64Array(0)];
  const a: Float64Array[] = [x];
  let f = new Float64Array(P);
  for (let l = 1; l <= net.L + 1; l++) {
    const { inDim, outDim, w, b } = net.layers[l - 1];
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
    if (l === net.L + 1) {
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

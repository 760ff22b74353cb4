import type { Net, Sensitivities, Trace } from '../types.ts';

/**
 * Exact Hessian-vector products of g(theta) = sum_k c_k f(x_{patterns[k]}; theta), by forward-over-
 * reverse differentiation (Pearlmutter's R-operator applied to back-propagation). No finite
 * differences: with c_k = -ell'(Delta_k) y_k / P this is Hp v (SCIENCE.md claim 2).
 *
 * R-forward:  Rz_l = dW_l a_{l-1} + W_l Ra_{l-1} + db_l,  Ra_l = sigma'(z_l) Rz_l,  Ra_0 = 0.
 * R-backward: R gW_l = Rg_l a_{l-1}^T + g_l Ra_{l-1}^T,  R gb_l = Rg_l,
 *             Rg_{l-1} = sigma''(z_{l-1}) Rz_{l-1} e_{l-1} + sigma'(z_{l-1}) (dW_l^T g_l + W_l^T Rg_l),
 * with g_l = c G_l and e_l = c E_l from the (weight-independent) sensitivities.
 * The returned function reuses its buffers: no allocation per product.
 */
export function weightedHvp(
  net: Net,
  theta: Float64Array,
  trace: Trace,
  s: Sensitivities,
  c: Float64Array,
): (v: Float64Array, out: Float64Array) => void {
  const act = net.act;
  const k = s.patterns.length;
  const L = net.L;
  // sigma' and sigma'' at the selected patterns, computed once
  const dS: Float64Array[] = [new Float64Array(0)];
  const d2S: Float64Array[] = [new Float64Array(0)];
  const cE: Float64Array[] = [new Float64Array(0)];
  for (let l = 1; l <= L; l++) {
    const h = net.layers[l - 1].outDim;
    const ds = new Float64Array(k * h);
    const d2s = new Float64Array(act.curved ? k * h : 0);
    const ce = new Float64Array(act.curved ? k * h : 0);
    for (let r = 0; r < k; r++) {
      const zr = s.patterns[r] * h;
      for (let o = 0; o < h; o++) {
        const z = trace.z[l][zr + o];
        ds[r * h + o] = act.dSigma(z);
        if (act.curved) {
          d2s[r * h + o] = act.d2Sigma(z);
          ce[r * h + o] = c[r] * s.E[l][r * h + o];
        }
      }
    }
    dS.push(ds);
    d2S.push(d2s);
    cE.push(ce);
  }
  // g_l = c G_l
  const g: Float64Array[] = [new Float64Array(0)];
  for (let l = 1; l <= L + 1; l++) {
    const outDim = net.layers[l - 1].outDim;
    const gl = new Float64Array(k * outDim);
    for (let r = 0; r < k; r++) for (let o = 0; o < outDim; o++) gl[r * outDim + o] = c[r] * s.G[l][r * outDim + o];
    g.push(gl);
  }
  const Rz: Float64Array[] = [new Float64Array(0)];
  const Ra: Float64Array[] = [new Float64Array(0)];
  const Rg: Float64Array[] = [new Float64Array(0)];
  for (let l = 1; l <= L + 1; l++) {
    const outDim = net.layers[l - 1].outDim;
    Rz.push(new Float64Array(k * outDim));
    Ra.push(new Float64Array(l <= L ? k * outDim : 0));
    Rg.push(new Float64Array(k * outDim));
  }

  return (v: Float64Array, out: Float64Array): void => {
    out.fill(0);
    // R-forward; layers before the first non-zero block of v have Ra = 0 and are skipped
    let live = false;
    for (let l = 1; l <= L + 1; l++) {
      const { inDim, outDim, w, b } = net.layers[l - 1];
      const dwLive = blockNonZero(v, w, inDim * outDim) || (b >= 0 && blockNonZero(v, b, outDim));
      const rz = Rz[l];
      if (!live && !dwLive) {
        rz.fill(0);
        if (l <= L) Ra[l].fill(0);
        continue;
      }
      const a = trace.a[l - 1];
      const raPrev = live ? Ra[l - 1] : null;
      for (let r = 0; r < k; r++) {
        const ar = s.patterns[r] * inDim;
        const rr = r * inDim;
        for (let o = 0; o < outDim; o++) {
          let acc = b >= 0 ? v[b + o] : 0;
          const wo = w + o * inDim;
          if (dwLive) for (let i = 0; i < inDim; i++) acc += v[wo + i] * a[ar + i];
          if (raPrev) for (let i = 0; i < inDim; i++) acc += theta[wo + i] * raPrev[rr + i];
          rz[r * outDim + o] = acc;
        }
      }
      if (l <= L) {
        const ra = Ra[l];
        const ds = dS[l];
        for (let q = 0; q < ra.length; q++) ra[q] = ds[q] * rz[q];
      }
      live = true;
    }
    // R-backward
    Rg[L + 1].fill(0);
    for (let l = L + 1; l >= 1; l--) {
      const { inDim, outDim, w, b } = net.layers[l - 1];
      const a = trace.a[l - 1];
      const rg = Rg[l];
      const gl = g[l];
      const raPrev = l >= 2 ? Ra[l - 1] : null;
      for (let r = 0; r < k; r++) {
        const ar = s.patterns[r] * inDim;
        const rr = r * inDim;
        for (let o = 0; o < outDim; o++) {
          const rgo = rg[r * outDim + o];
          const go = gl[r * outDim + o];
          const wo = w + o * inDim;
          if (rgo !== 0) {
            for (let i = 0; i < inDim; i++) out[wo + i] += rgo * a[ar + i];
            if (b >= 0) out[b + o] += rgo;
          }
          if (raPrev && go !== 0) for (let i = 0; i < inDim; i++) out[wo + i] += go * raPrev[rr + i];
        }
      }
      if (l >= 2) {
        const rgPrev = Rg[l - 1];
        const ds = dS[l - 1];
        rgPrev.fill(0);
        // Re_{l-1} = dW_l^T g_l + W_l^T Rg_l, accumulated in rgPrev then scaled by sigma'
        for (let r = 0; r < k; r++) {
          const rr = r * inDim;
          for (let o = 0; o < outDim; o++) {
            const go = gl[r * outDim + o];
            const rgo = rg[r * outDim + o];
            const wo = w + o * inDim;
            if (go !== 0) for (let i = 0; i < inDim; i++) rgPrev[rr + i] += v[wo + i] * go;
            if (rgo !== 0) for (let i = 0; i < inDim; i++) rgPrev[rr + i] += theta[wo + i] * rgo;
          }
        }
        for (let q = 0; q < rgPrev.length; q++) rgPrev[q] *= ds[q];
        if (act.curved) {
          const d2s = d2S[l - 1];
          const ce = cE[l - 1];
          const rzPrev = Rz[l - 1];
          for (let q = 0; q < rgPrev.length; q++) rgPrev[q] += d2s[q] * rzPrev[q] * ce[q];
        }
      }
    }
  };
}

function blockNonZero(v: Float64Array, start: number, len: number): boolean {
  for (let i = start; i < start + len; i++) if (v[i] !== 0) return true;
  return false;
}

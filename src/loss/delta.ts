/**
 * Delta_mu = kappa - y_mu f(x_mu): the constraint of pattern mu; it is unsatisfied when Delta > 0.
 */
export function deltas(f: Float64Array, y: Float64Array, kappa: number): Float64Array {
  const out = new Float64Array(f.length);
  for (let mu = 0; mu < f.length; mu++) out[mu] = kappa - y[mu] * f[mu];
  return out;
}

/** N_Delta: the number of unsatisfied constraints, Delta > 0 strictly (SCIENCE.md, "Set-up"). */
export function nDelta(delta: Float64Array): number {
  let n = 0;
  for (let mu = 0; mu < delta.length; mu++) if (delta[mu] > 0) n++;
  return n;
}

/**
 * Contacts: patterns with |Delta| <= tol. At a minimum many patterns sit at Delta = 0 up to
 * rounding, so N_Delta alone is ambiguous by this many (SCIENCE.md pitfall "Contacts").
 */
export function contacts(delta: Float64Array, tol: number): number {
  let n = 0;
  for (let mu = 0; mu < delta.length; mu++) if (Math.abs(delta[mu]) <= tol) n++;
  return n;
}

/** Indices of the patterns for which pred(Delta) holds. */
export function selectPatterns(delta: Float64Array, pred: (d: number) => boolean): Int32Array {
  // a typed array filled in place: Int32Array.from a JS array goes through its iterator, which took
  // 5% of an evaluation at P = 25000
  const idx = new Int32Array(delta.length);
  let n = 0;
  for (let mu = 0; mu < delta.length; mu++) if (pred(delta[mu])) idx[n++] = mu;
  return idx.slice(0, n);
}

/**
 * The contact tolerance used in reports: |Delta| below this (relative to kappa, at least 1) counts as
 * a contact. 1e-9 sits far above float64 rounding of Delta (~1e-15 |f|) and far below any margin
 * the optimiser resolves on purpose.
 */
export function contactTolerance(kappa: number): number {
  return 1e-9 * Math.max(1, kappa);
}

/** The logistic function 1 / (1 + e^-t), stable for any t (no overflow of e^|t|). */
export function logistic(t: number): number {
  if (t >= 0) return 1 / (1 + Math.exp(-t));
  const e = Math.exp(t);
  return e / (1 + e);
}

/** log(1 + e^t), stable for any t: max(t, 0) + log1p(e^-|t|). */
export function softplusUnit(t: number): number {
  return Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
}

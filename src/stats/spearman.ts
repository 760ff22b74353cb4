import { tCdf } from './distributions.ts';

function ranks(xs: readonly number[]): number[] {
  const idx = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(xs.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1][0] === idx[i][0]) j++;
    const avg = (i + j) / 2 + 1; // ties share their mean rank
    for (let k = i; k <= j; k++) r[idx[k][1]] = avg;
    i = j + 1;
  }
  return r;
}

/**
 * Spearman's rank correlation with a one-sided p-value for rho < 0, from the usual t statistic
 * t = rho sqrt((n-2)/(1-rho^2)) with n - 2 degrees of freedom.
 */
export function spearman(x: readonly number[], y: readonly number[]): { rho: number; pNegative: number; n: number } {
  const n = x.length;
  if (n < 3) return { rho: NaN, pNegative: NaN, n };
  const rx = ranks(x);
  const ry = ranks(y);
  const m = (n + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i] - m) * (ry[i] - m);
    sxx += (rx[i] - m) ** 2;
    syy += (ry[i] - m) ** 2;
  }
  const rho = sxy / Math.sqrt(sxx * syy);
  const t = Math.abs(rho) >= 1 ? Math.sign(rho) * Infinity : rho * Math.sqrt((n - 2) / (1 - rho * rho));
  return { rho, pNegative: tCdf(t, n - 2), n };
}

import { tQuantile975 } from './distributions.ts';

/** Ordinary least squares y = a + b x with the 95% interval of the slope (Student t, n - 2 dof). */
export interface LinearFit {
  readonly intercept: number;
  readonly slope: number;
  readonly slopeLow: number;
  readonly slopeHigh: number;
  readonly n: number;
}

export function linearFit(x: readonly number[], y: readonly number[]): LinearFit {
  const n = x.length;
  if (n !== y.length || n < 2) return { intercept: NaN, slope: NaN, slopeLow: NaN, slopeHigh: NaN, n };
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  if (n === 2) return { intercept, slope, slopeLow: NaN, slopeHigh: NaN, n };
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i] - intercept - slope * x[i]) ** 2;
  const se = Math.sqrt(rss / (n - 2) / sxx);
  const t = tQuantile975(n - 2);
  return { intercept, slope, slopeLow: slope - t * se, slopeHigh: slope + t * se, n };
}

/** Power law y = a x^b fitted on log-log axes. */
export function powerLawFit(x: readonly number[], y: readonly number[]): LinearFit & { prefactor: number } {
  const f = linearFit(x.map(Math.log), y.map(Math.log));
  return { ...f, prefactor: Math.exp(f.intercept) };
}

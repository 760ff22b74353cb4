import { createRng } from '../util/prng.ts';
import { quantile } from '../stats/describe.ts';

/** A two-sided 95% interval; NaN ends when it could not be computed. */
export interface Interval {
  readonly low: number;
  readonly high: number;
}

export const NO_INTERVAL: Interval = { low: NaN, high: NaN };

const Z975 = 1.959964;

/** Wilson score interval of a fraction k/n (good at k = 0 or k = n, where the normal one collapses). */
export function wilson(k: number, n: number): Interval {
  if (n <= 0) return NO_INTERVAL;
  const p = k / n;
  const z2 = Z975 * Z975;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z975 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Resamples of every bootstrap in the claims: enough for stable 2.5% and 97.5% quantiles. */
export const RESAMPLES = 1000;

/** A percentile bootstrap interval, and the share of resamples where the statistic was finite. */
export interface BootstrapInterval extends Interval {
  readonly finiteShare: number;
}

/**
 * Percentile bootstrap over independent groups: each group (a family's seeds, say) is resampled
 * with replacement on its own, and `statistic` sees one resample of every group. The RNG is seeded,
 * so the same records give the same interval. Resamples where the statistic is not finite (a
 * transition no longer crossed, a fit on one point) are dropped and counted in `finiteShare`.
 */
export function bootstrapGroups<T>(groups: readonly (readonly T[])[], statistic: (sample: T[][]) => number, seed: number, resamples = RESAMPLES): BootstrapInterval {
  if (groups.some((g) => g.length === 0)) return { ...NO_INTERVAL, finiteShare: 0 };
  const rng = createRng(seed);
  const values: number[] = [];
  for (let b = 0; b < resamples; b++) {
    const v = statistic(groups.map((g) => g.map(() => g[rng.int(g.length)])));
    if (Number.isFinite(v)) values.push(v);
  }
  const finiteShare = values.length / resamples;
  if (values.length < resamples / 2) return { ...NO_INTERVAL, finiteShare };
  return { low: quantile(values, 0.025), high: quantile(values, 0.975), finiteShare };
}

/** Percentile bootstrap over one sample of independent units (runs, seeds). */
export function bootstrap<T>(units: readonly T[], statistic: (sample: T[]) => number, seed: number, resamples = RESAMPLES): BootstrapInterval {
  return bootstrapGroups([units], (s) => statistic(s[0]), seed, resamples);
}

export function contains(i: Interval, x: number): boolean {
  return i.low <= x && x <= i.high;
}

export function width(i: Interval): number {
  return i.high - i.low;
}

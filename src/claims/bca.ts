import { createRng } from '../util/prng.ts';
import { quantile } from '../stats/describe.ts';
import { normalCdf } from '../stats/distributions.ts';
import { NO_INTERVAL, RESAMPLES, type BootstrapInterval, type Interval } from './intervals.ts';

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9).
 * NaN outside (0, 1).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return NaN;
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838,
    -2.549732539343734, 4.374664141464968, 2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  // Horner: x0 + x1 t + ... read from the highest power down
  const poly = (xs: readonly number[], t: number) => xs.reduce((acc, x) => acc * t + x, 0);
  const tail = (q: number) => poly(c, q) / (poly(d, q) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/** A BCa interval, with what made it. */
export interface BcaInterval extends BootstrapInterval {
  /** the statistic on the whole sample */
  readonly estimate: number;
  /** the plain percentile interval of the same resamples */
  readonly percentile: Interval;
  /** bias correction: Phi^-1 of the share of resamples below the estimate (ties counted half) */
  readonly z0: number;
  /** acceleration, from the jackknife (0 where a leave-one-out statistic is not finite) */
  readonly acceleration: number;
  /** the levels of the resamples' distribution that the ends are read at (0.025 and 0.975 when z0 = a = 0) */
  readonly levels: readonly [number, number];
}

const Z975 = normalQuantile(0.975);

/**
 * Bias-corrected and accelerated bootstrap interval (Efron 1987; Efron and Tibshirani 1993, ch. 14)
 * over one sample of independent units, 95%. The resamples are those of intervals.ts bootstrap() with
 * the same seed (same RNG, same draw order), so `percentile` is the interval bootstrap() gives.
 * The levels 2.5% and 97.5% are moved to Phi(z0 + (z0 + z) / (1 - a (z0 + z))) with z = -+1.96:
 * z0 corrects a median bias of the resamples (a statistic that resampling with replacement pushes
 * one way, as duplicated networks shrink an ensemble), a the skewness, from the jackknife:
 * a = sum d^3 / (6 (sum d^2)^(3/2)), d_i = mean of the leave-one-out values minus the i-th.
 * Resamples where the statistic is not finite are dropped and counted in `finiteShare`; the share
 * below the estimate is kept within [1/(2B), 1 - 1/(2B)] so that z0 stays finite.
 */
export function bca<T>(
  units: readonly T[],
  statistic: (sample: readonly T[]) => number,
  seed: number,
  resamples = RESAMPLES,
): BcaInterval {
  const none = (finiteShare: number, estimate = NaN): BcaInterval => ({
    ...NO_INTERVAL,
    finiteShare,
    estimate,
    percentile: NO_INTERVAL,
    z0: NaN,
    acceleration: NaN,
    levels: [NaN, NaN],
  });
  const estimate = statistic(units);
  if (units.length === 0 || !Number.isFinite(estimate)) return none(0, estimate);
  const rng = createRng(seed);
  const values: number[] = [];
  for (let b = 0; b < resamples; b++) {
    const v = statistic(units.map(() => units[rng.int(units.length)]));
    if (Number.isFinite(v)) values.push(v);
  }
  const B = values.length;
  const finiteShare = B / resamples;
  if (B < resamples / 2) return none(finiteShare, estimate);
  let below = 0;
  for (const v of values) below += v < estimate ? 1 : v === estimate ? 0.5 : 0;
  const z0 = normalQuantile(Math.min(1 - 0.5 / B, Math.max(0.5 / B, below / B)));
  const jack = units.map((_, i) => statistic(units.filter((__, j) => j !== i)));
  let acceleration = 0;
  if (jack.every(Number.isFinite)) {
    const m = jack.reduce((s, x) => s + x, 0) / jack.length;
    let s2 = 0;
    let s3 = 0;
    for (const x of jack) {
      s2 += (m - x) ** 2;
      s3 += (m - x) ** 3;
    }
    if (s2 > 0) acceleration = s3 / (6 * s2 ** 1.5);
  }
  const level = (z: number) => {
    const w = z0 + z;
    const den = 1 - acceleration * w;
    // past the pole of the correction the level is undefined: the bias-corrected percentile level instead
    return normalCdf(den > 0 ? z0 + w / den : z0 + w);
  };
  const levels: [number, number] = [level(-Z975), level(Z975)];
  return {
    low: quantile(values, levels[0]),
    high: quantile(values, levels[1]),
    finiteShare,
    estimate,
    percentile: { low: quantile(values, 0.025), high: quantile(values, 0.975) },
    z0,
    acceleration,
    levels,
  };
}

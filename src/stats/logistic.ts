import { createRng, type Rng } from '../util/prng.ts';

/**
 * The jamming transition from a fit (claims 5, 6, 7): the jammed fraction against log x (x = P at
 * fixed N, or N at fixed P) as a logistic curve p(x) = 1 / (1 + exp(-(a + b log x))), fitted by
 * maximum likelihood with Firth's penalty (1/2 log det of the Fisher information, the Jeffreys
 * prior). On a coarse grid the runs are often separated (every run fitted below some P, every run
 * jammed above it); plain maximum likelihood then sends the slope to infinity, Firth's estimate
 * stays finite (Kosmidis and Firth 2021) and puts x50 inside the gap.
 */

/** n runs decided at x, k of them jammed. */
export interface FractionPoint {
  readonly x: number;
  readonly n: number;
  readonly k: number;
}

export interface TransitionFit {
  /** a and b of p = 1 / (1 + exp(-(a + b log x))) */
  readonly intercept: number;
  readonly slope: number;
  /** where the fitted fraction is 1/2, 1/10, 9/10 (x10 > x90 when the fraction falls with x) */
  readonly x50: number;
  readonly x10: number;
  readonly x90: number;
  readonly converged: boolean;
  readonly iterations: number;
  /** the penalised log-likelihood at the estimate (NaN for a sharp fit) */
  readonly penalisedLogLik: number;
  /** `firth`: the estimate; `sharp`: a step at x50 (slope +-Infinity) that separated data cannot rule out (gridEdges) */
  readonly kind: 'firth' | 'sharp';
}

const NO_FIT: TransitionFit = { intercept: NaN, slope: NaN, x50: NaN, x10: NaN, x90: NaN, converged: false, iterations: 0, penalisedLogLik: NaN, kind: 'firth' };

const MAX_ITERATIONS = 200;
/** Newton steps below this (in standardised log x) end the fit: far below any grid spacing. */
const STEP_TOLERANCE = 1e-10;

/** log(1 / (1 + exp(-z))), without overflow. */
function logSigmoid(z: number): number {
  return z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function logit(q: number): number {
  return Math.log(q / (1 - q));
}

interface Standardised {
  readonly u: number[];
  readonly n: number[];
  readonly k: number[];
  /** log x = centre + scale u */
  readonly centre: number;
  readonly scale: number;
}

/** log x centred and scaled, so that the fit is the same for x and c x (x50 equivariant). */
function standardise(points: readonly FractionPoint[]): Standardised | null {
  const ps = points.filter((p) => p.n > 0);
  const t = ps.map((p) => Math.log(p.x));
  if (t.length < 2 || !t.every(Number.isFinite)) return null;
  const centre = t.reduce((s, v) => s + v, 0) / t.length;
  const scale = Math.sqrt(t.reduce((s, v) => s + (v - centre) ** 2, 0) / t.length);
  if (!(scale > 0)) return null;
  return { u: t.map((v) => (v - centre) / scale), n: ps.map((p) => p.n), k: ps.map((p) => p.k), centre, scale };
}

interface State {
  readonly value: number;
  readonly score: [number, number];
  /** inverse Fisher information */
  readonly inv: [number, number, number];
}

/** Penalised log-likelihood, Firth's score (its gradient) and the inverse Fisher information at beta. */
function evaluate(s: Standardised, b0: number, b1: number): State | null {
  let i00 = 0;
  let i01 = 0;
  let i11 = 0;
  let ll = 0;
  const p: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < s.u.length; i++) {
    const eta = b0 + b1 * s.u[i];
    ll += s.k[i] * logSigmoid(eta) + (s.n[i] - s.k[i]) * logSigmoid(-eta);
    const pi = sigmoid(eta);
    const wi = s.n[i] * pi * (1 - pi);
    p.push(pi);
    w.push(wi);
    i00 += wi;
    i01 += wi * s.u[i];
    i11 += wi * s.u[i] * s.u[i];
  }
  const det = i00 * i11 - i01 * i01;
  if (!(det > 0) || !Number.isFinite(ll)) return null;
  const inv: [number, number, number] = [i11 / det, -i01 / det, i00 / det];
  let g0 = 0;
  let g1 = 0;
  for (let i = 0; i < s.u.length; i++) {
    const u = s.u[i];
    const h = w[i] * (inv[0] + 2 * inv[1] * u + inv[2] * u * u);
    const r = s.k[i] - s.n[i] * p[i] + h * (0.5 - p[i]);
    g0 += r;
    g1 += r * u;
  }
  return { value: ll + 0.5 * Math.log(det), score: [g0, g1], inv };
}

/**
 * Firth-penalised logistic fit of the jammed fraction in log x: Newton steps with the Fisher
 * information (IRLS), halved until the penalised likelihood rises. Deterministic. Needs two
 * distinct x with runs; otherwise every field is NaN.
 */
export function fitTransition(points: readonly FractionPoint[]): TransitionFit {
  const s = standardise(points);
  if (!s) return NO_FIT;
  const K = s.k.reduce((a, v) => a + v, 0);
  const N = s.n.reduce((a, v) => a + v, 0);
  let b0 = logit((K + 0.5) / (N + 1));
  let b1 = 0;
  let st = evaluate(s, b0, b1);
  if (!st) return NO_FIT;
  let converged = false;
  let it = 0;
  for (; it < MAX_ITERATIONS && !converged; it++) {
    const d0 = st.inv[0] * st.score[0] + st.inv[1] * st.score[1];
    const d1 = st.inv[1] * st.score[0] + st.inv[2] * st.score[1];
    let f = 1;
    let next: State | null = null;
    for (let half = 0; half < 50; half++, f /= 2) {
      next = evaluate(s, b0 + f * d0, b1 + f * d1);
      if (next && next.value >= st.value - 1e-12 * Math.abs(st.value)) break;
      next = null;
    }
    if (!next) break;
    b0 += f * d0;
    b1 += f * d1;
    st = next;
    converged = Math.max(Math.abs(f * d0), Math.abs(f * d1)) < STEP_TOLERANCE;
  }
  const at = (q: number) => Math.exp(s.centre + (s.scale * (logit(q) - b0)) / b1);
  return {
    intercept: b0 - (b1 * s.centre) / s.scale,
    slope: b1 / s.scale,
    x50: at(0.5),
    x10: at(0.1),
    x90: at(0.9),
    converged,
    iterations: it,
    penalisedLogLik: st.value,
    kind: 'firth',
  };
}


/** Where a fit's fraction equals q (0 < q < 1). */
export function xAt(fit: TransitionFit, q: number): number {
  return fit.kind === 'sharp' ? fit.x50 : Math.exp((logit(q) - fit.intercept) / fit.slope);
}

/** The fitted fraction at x. */
export function fractionAt(fit: TransitionFit, x: number): number {
  if (fit.kind === 'sharp') return x === fit.x50 ? 0.5 : (x > fit.x50) === fit.slope > 0 ? 1 : 0;
  return sigmoid(fit.intercept + fit.slope * Math.log(x));
}

function sharpFit(x: number, rising: boolean): TransitionFit {
  const slope = rising ? Infinity : -Infinity;
  return { intercept: NaN, slope, x50: x, x10: x, x90: x, converged: true, iterations: 0, penalisedLogLik: NaN, kind: 'sharp' };
}

/**
 * The grid's uncertainty. Where the runs are separated (every run fitted on one side of a point,
 * every run jammed on the other, at most one mixed grid point between), plain maximum likelihood
 * has no maximum: any step placed anywhere in the gap between the last all-fitted and the first
 * all-jammed x fits every run exactly, so the data cannot say where in the gap the fraction
 * crosses 1/2, nor how sharply. This returns the steps at the two ends of the gap (at the mixed
 * point, when there is one); none where the runs are not separated, or all on one side of 1/2
 * (the transition then lies outside the grid).
 */
export function gridEdges(points: readonly FractionPoint[]): TransitionFit[] {
  const ps = points.filter((p) => p.n > 0).sort((a, b) => a.x - b.x);
  const edges: TransitionFit[] = [];
  for (const rising of [true, false]) {
    // below: every run on the low side of the step; above: every run on the high side
    const below = (p: FractionPoint) => p.k === (rising ? 0 : p.n);
    const above = (p: FractionPoint) => p.k === (rising ? p.n : 0);
    let i = 0;
    while (i < ps.length && below(ps[i])) i++;
    let j = ps.length - 1;
    while (j >= 0 && above(ps[j])) j--;
    // ps[0..i-1] below, ps[j+1..] above
    if (j < i && i > 0 && i < ps.length) edges.push(sharpFit(ps[i - 1].x, rising), sharpFit(ps[i].x, rising));
    else if (j === i && (i > 0 || j < ps.length - 1)) edges.push(sharpFit(ps[i].x, rising));
  }
  return edges;
}

/** A two-sided 95% interval, with the share of resamples whose statistic was finite. */
export interface FitInterval {
  readonly low: number;
  readonly high: number;
  readonly finiteShare: number;
}

/** Resamples of the parametric bootstrap: enough for stable 2.5% and 97.5% quantiles. */
export const FIT_RESAMPLES = 1000;

function binomial(n: number, p: number, rng: Rng): number {
  let k = 0;
  for (let i = 0; i < n; i++) if (rng.uniform() < p) k++;
  return k;
}

/** One parametric resample: k drawn at each observed x and n from the fitted fraction. */
export function simulatePoints(points: readonly FractionPoint[], fit: TransitionFit, rng: Rng): FractionPoint[] {
  return points.map((p) => ({ x: p.x, n: p.n, k: binomial(p.n, fractionAt(fit, p.x), rng) }));
}

/**
 * The statistic over every combination of the families' fits the data cannot tell apart (the
 * Firth fit, and the steps of gridEdges where a family is separated): its range, NaN values left
 * out; null where the statistic is not finite at the Firth fits.
 */
function rangeOver(candidates: readonly (readonly TransitionFit[])[], statistic: (fits: TransitionFit[]) => number): [number, number] | null {
  if (!Number.isFinite(statistic(candidates.map((c) => c[0])))) return null;
  let lo = Infinity;
  let hi = -Infinity;
  const pick: TransitionFit[] = [];
  const visit = (f: number) => {
    if (f === candidates.length) {
      const v = statistic([...pick]);
      if (!Number.isNaN(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      return;
    }
    for (const c of candidates[f]) {
      pick.push(c);
      visit(f + 1);
      pick.pop();
    }
  };
  visit(0);
  return [lo, hi];
}

const candidatesOf = (points: readonly FractionPoint[], fit: TransitionFit): TransitionFit[] => [fit, ...gridEdges(points)];

/** Sample quantile (linear between order statistics), where the ends may be infinite. */
function quantileOf(sorted: readonly number[], q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  if (sorted[lo] === sorted[hi]) return sorted[lo];
  const v = sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  return Number.isNaN(v) ? (q < 0.5 ? sorted[lo] : sorted[hi]) : v;
}

/**
 * 95% interval of `statistic` by parametric bootstrap over independent families (claims 6 and 7
 * combine them; claim 5 takes one). Each resample draws every family's counts from its own Firth
 * fit (one seeded RNG: same points, same interval), refits every family, and takes the statistic's
 * range over the fits that resample cannot tell apart (gridEdges: a separated family adds its two
 * steps, so the statistic may see slope +-Infinity and x10 = x50 = x90). The interval runs from
 * the 2.5% quantile of the lows to the 97.5% quantile of the highs, and always holds the range on
 * the data themselves: where the runs are separated the interval of x50 covers the whole gap.
 *
 * Why not the bootstrap alone: on separated data most resamples are separated at the same two
 * points, their Firth fits agree, and the interval shrinks inside the gap as the seeds grow,
 * which is the defect of the seed bootstrap over midpoints again (measured: 8 seeds a point gave
 * [165, 185] for a gap [156, 195]). Why not Firth's profile likelihood: its penalty disfavours
 * steps, so it also shrinks inside the gap as seeds grow; and a profile interval does not combine
 * families into one statistic (an exponent, a ratio of windows).
 *
 * Resamples whose statistic is not finite at their Firth fits are dropped and counted
 * (finiteShare); under half finite gives NaN ends.
 */
export function fitIntervalGroups(
  families: readonly (readonly FractionPoint[])[],
  statistic: (fits: TransitionFit[]) => number,
  seed: number,
  resamples = FIT_RESAMPLES,
): FitInterval {
  const fits = families.map(fitTransition);
  const none = { low: NaN, high: NaN, finiteShare: 0 };
  if (families.length === 0 || fits.some((f) => !Number.isFinite(f.slope))) return none;
  const own = rangeOver(families.map((ps, i) => candidatesOf(ps, fits[i])), statistic);
  if (!own) return none;
  const rng = createRng(seed);
  const lows: number[] = [];
  const highs: number[] = [];
  for (let b = 0; b < resamples; b++) {
    const sims = families.map((ps, i) => simulatePoints(ps, fits[i], rng));
    const r = rangeOver(sims.map((ps) => candidatesOf(ps, fitTransition(ps))), statistic);
    if (!r) continue;
    lows.push(r[0]);
    highs.push(r[1]);
  }
  const finiteShare = lows.length / resamples;
  if (lows.length < resamples / 2) return { low: NaN, high: NaN, finiteShare };
  lows.sort((a, b) => a - b);
  highs.sort((a, b) => a - b);
  return { low: Math.min(own[0], quantileOf(lows, 0.025)), high: Math.max(own[1], quantileOf(highs, 0.975)), finiteShare };
}

/** The same for one family: e.g. fitInterval(points, (f) => f.x50, seed) for P*. */
export function fitInterval(points: readonly FractionPoint[], statistic: (fit: TransitionFit) => number, seed: number, resamples = FIT_RESAMPLES): FitInterval {
  return fitIntervalGroups([points], (f) => statistic(f[0]), seed, resamples);
}

import { LIVE_DELTA_RTOL } from '../analyse/diagnostics.ts';
import type { Claim, ClaimVerdict } from './claim.ts';
import { tableBlock } from './claim.ts';
import type { RunRecord } from '../run/record.ts';
import { fixedNFamilies, type FamilyTransition } from './select.ts';
import { fmt } from '../util/format.ts';
import { isCertifiedMinimum } from '../experiment/transition.ts';
import { RANDOM_REGIME, OUTSIDE } from './regime.ts';
import { apartOf, apartLine } from './apart.ts';
import { bootstrap, contains, type BootstrapInterval } from './intervals.ts';
import type { ExponentRow, GapRow } from './plot.ts';

/**
 * |Delta| at or below this is a contact, not a gap: the resolution of an Adam end point
 * (analyse/diagnostics.ts LIVE_DELTA_RTOL at kappa = 1); below it Delta is the minimiser's jitter.
 */
export const CONTACT = LIVE_DELTA_RTOL;
export const THETA = 0.3;
export const GAMMA = 0.2;
/** Resamples (as in the last report): each one sorts the pooled Delta of a family's runs near P*, for every family. */
const RESAMPLES = 200;
/** At jamming: the certified minima with P in [1.00, 1.05] P* (the power laws are cut off farther out; SCIENCE.md, claim 9). */
export const WINDOW = [1, 1.05] as const;
/** The deciding family needs this many seeds with a certified minimum in the window. */
export const MIN_SEEDS = 8;
/** Bins of the distance to jamming P/P* - 1 (upper edges; the first is the window) for theta and gamma against it. */
export const DISTANCE_BINS = [0.05, 0.1, 0.25, 0.5, 1, Infinity] as const;

/**
 * Exponent of a density p(x) ~ x^e at small x > 0, from the smallest `fraction` of the sample
 * (contacts at |Delta| <= CONTACT excluded: they are the minimiser's resolution, not gaps). With
 * F(x) ~ x^a below x_max = the (k+1)-th smallest value, the maximum-likelihood estimate of a is
 * Hill's, a = k / sum_i ln(x_max / x_i), and e = a - 1. (A least-squares fit of log F against log x,
 * used before, is biased by its few smallest points: it put gamma at 0.17 on draws with gamma 0.2.)
 */
export function smallGapExponent(xs: readonly number[] | Float64Array, fraction = 0.2): number {
  return hill(Float64Array.from(xs).filter((x) => x > CONTACT), fraction);
}

/**
 * Hill's estimate on gaps already above CONTACT; reorders `s` in place. The k smallest values and the
 * (k+1)-th are found by selection (Hoare's, median-of-three pivots) rather than a sort: the estimate
 * needs no more, and the bootstrap calls this hundreds of times on tens of thousands of values.
 */
function hill(s: Float64Array, fraction: number): number {
  const k = Math.floor(s.length * fraction);
  if (k < 5 || k >= s.length) return NaN;
  select(s, k);
  const xmax = s[k];
  let sum = 0;
  for (let i = 0; i < k; i++) sum += Math.log(xmax / s[i]);
  return sum > 0 ? k / sum - 1 : NaN;
}

/** Reorders `a` so that a[k] is its (k+1)-th smallest value, every a[i < k] <= a[k] <= every a[i > k]. */
function select(a: Float64Array, k: number): void {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three as the pivot
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** The gaps of several runs pooled (each run's own array computed once, outside the bootstrap). */
function pooled(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Delta > 0 of the live patterns: dead ones removed by index (record.deadIndices); a run with dead patterns but no indices gives none (they cannot be told apart). */
export function liveGaps(r: RunRecord): number[] {
  const deltas = r.deltas ?? [];
  const dead = r.deadIndices;
  if (!dead) return r.results.deadPatterns > 0 ? [] : deltas.filter((d) => d > 0);
  const isDead = new Set(dead);
  return deltas.filter((d, i) => d > 0 && !isDead.has(i));
}

/** -Delta of the satisfied patterns (the overlaps h = -Delta > 0). */
export function overlaps(r: RunRecord): number[] {
  return (r.deltas ?? []).filter((d) => d < 0).map((d) => -d);
}

/** theta and gamma of a set of runs, pooled, with seeded bootstrap intervals over the runs. */
export interface Exponents {
  readonly runs: RunRecord[];
  readonly seeds: number;
  /** runs whose dead patterns could not be removed (no deadIndices): left out of the Delta > 0 side */
  readonly unmasked: number;
  readonly theta: number;
  readonly gamma: number;
  readonly thetaInterval: BootstrapInterval;
  readonly gammaInterval: BootstrapInterval;
}

export function exponents(runs: RunRecord[], seed: number): Exponents {
  // each run's gaps above CONTACT once; `pooled` gives a fresh buffer, which `hill` may reorder
  const above = (xs: number[]) => Float64Array.from(xs.filter((x) => x > CONTACT));
  const sides = runs.map((r) => ({ pos: above(liveGaps(r)), neg: above(overlaps(r)) }));
  return {
    runs,
    seeds: new Set(runs.map((r) => r.item.config.seed)).size,
    unmasked: runs.filter((r) => !r.deadIndices && r.results.deadPatterns > 0).length,
    theta: hill(pooled(sides.map((x) => x.pos)), 0.2),
    gamma: -hill(pooled(sides.map((x) => x.neg)), 0.2),
    thetaInterval: bootstrap(sides, (s) => hill(pooled(s.map((x) => x.pos)), 0.2), seed, RESAMPLES),
    gammaInterval: bootstrap(sides, (s) => -hill(pooled(s.map((x) => x.neg)), 0.2), seed + 100, RESAMPLES),
  };
}

/** P/P* - 1 of a run: its distance to jamming at fixed N. */
const distance = (r: RunRecord, Pstar: number) => r.results.P / Pstar - 1;

/** The certified minima of a family with their Delta recorded. */
const gapMinima = (f: FamilyTransition) => f.records.filter((r) => isCertifiedMinimum(r) && r.deltas);

/** Those at P in [1.00, 1.05] P*: at jamming. */
export function atJamming(f: FamilyTransition): RunRecord[] {
  const Pstar = f.transition.Pstar;
  return gapMinima(f).filter((r) => Number.isFinite(Pstar) && r.results.P >= WINDOW[0] * Pstar && r.results.P <= WINDOW[1] * Pstar);
}

interface DistanceBin {
  readonly lo: number;
  readonly hi: number;
  /** the median P/P* - 1 of its runs */
  readonly at: number;
  readonly e: Exponents;
}

/**
 * theta and gamma per bin of P/P* - 1 over a family's certified minima at P >= P*; the first bin is
 * the window, whose exponents (`atWindow`) are passed in rather than computed twice.
 */
function distanceBins(f: FamilyTransition, atWindow: Exponents): DistanceBin[] {
  const Pstar = f.transition.Pstar;
  const runs = gapMinima(f);
  return DISTANCE_BINS.flatMap((hi, b) => {
    const lo = b === 0 ? 0 : DISTANCE_BINS[b - 1];
    const inBin = b === 0 ? atWindow.runs : runs.filter((r) => r.results.P > (1 + lo) * Pstar && r.results.P <= (1 + hi) * Pstar);
    if (!inBin.length) return [];
    const ds = inBin.map((r) => distance(r, Pstar)).sort((a, c) => a - c);
    return [{ lo, hi, at: ds[Math.floor(ds.length / 2)], e: b === 0 ? atWindow : exponents(inBin, 9500 + 10 * b) }];
  });
}

interface FamilyGaps {
  readonly f: FamilyTransition;
  readonly e: Exponents;
}

function histogram(xs: number[], side: 'Delta > 0' | 'Delta < 0'): GapRow[] {
  const s = xs.filter((x) => x > CONTACT);
  if (s.length < 2) return [];
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of s) {
    lo = Math.min(lo, Math.log10(x));
    hi = Math.max(hi, Math.log10(x));
  }
  const bins = 16;
  const counts = new Array(bins).fill(0);
  for (const x of s) counts[Math.min(bins - 1, Math.floor(((Math.log10(x) - lo) / (hi - lo)) * bins))]++;
  return counts
    .map((c, i) => {
      const a = 10 ** (lo + (i * (hi - lo)) / bins);
      const b = 10 ** (lo + ((i + 1) * (hi - lo)) / bins);
      return { side, x: Math.sqrt(a * b), density: c / (s.length * (b - a)) };
    })
    .filter((r) => r.density > 0);
}

const iv = (i: BootstrapInterval) => (Number.isFinite(i.low) ? `[${fmt(i.low)}, ${fmt(i.high)}]` : '(no interval)');
const WINDOW_TEXT = `${WINDOW[0].toFixed(2)} to ${WINDOW[1].toFixed(2)} P*`;

export const claim9: Claim = {
  id: 9,
  title: 'Gaps at jamming: power laws of the Delta distribution',
  statement: 'At jamming the distribution of Delta is a power law on both sides: P(Delta) ~ Delta^theta for Delta > 0 and P(Delta) ~ (-Delta)^(-gamma) for Delta < 0, with theta about 0.3 and gamma about 0.2.',
  source: 'arXiv:1809.09349 Sec. VI',
  paperValue: 'theta about 0.3, gamma about 0.2',
  regime: `the largest of the ${RANDOM_REGIME} with certified minima of at least ${MIN_SEEDS} seeds at ${WINDOW_TEXT}; the others reported per size`,
  passRule: `Pool Delta over the certified minima with P in [${WINDOW[0].toFixed(2)}, ${WINDOW[1].toFixed(2)}] P* of the largest family in the regime that has such minima from at least ${MIN_SEEDS} seeds (none: inconclusive); dead patterns (record.deadIndices) left out of the Delta > 0 side, and a run with dead patterns but no indices left out of that side entirely; contacts (|Delta| <= ${CONTACT}, the resolution of an Adam end point) left out of both. theta from the smallest 20% of Delta > 0 by maximum likelihood (Hill's estimator of F ~ Delta^(1+theta)), gamma from the smallest 20% of -Delta (F ~ h^(1-gamma)); 95% intervals by a seeded bootstrap over runs (${RESAMPLES} resamples). Pass where each interval contains the paper's value. theta and gamma are also reported per bin of the distance to jamming P/P* - 1 (bins ending at ${DISTANCE_BINS.slice(0, -1).join(', ')} and beyond) over the deciding family's certified minima, and per family at ${WINDOW_TEXT}.`,
  ruleChange: `Was: the certified minima at the two P grid points at or above P* of the largest family in the regime, whatever their number (the last full report decided on 2 runs at 1.32 P*). Now: only the minima at ${WINDOW_TEXT}, of the largest family of the regime where they come from at least ${MIN_SEEDS} seeds, else inconclusive; theta and gamma also per bin of P/P* - 1. Why: the power laws hold at jamming and are cut off farther in the jammed phase (N_Delta/N about 2 at 1.32 P*), and two runs give no sample of the small gaps to speak of.`,
  uses: ['fixedN'],
  decide(tagged, scale) {
    const fams = fixedNFamilies(tagged, scale).filter((f) => Number.isFinite(f.transition.Pstar));
    const all: FamilyGaps[] = fams.map((f, i) => ({ f, e: exponents(atJamming(f), 9000 + i) }));
    const bySize = all.filter((g) => g.f.inRegime).sort((a, b) => b.f.N - a.f.N);
    const main = bySize.find((g) => g.e.seeds >= MIN_SEEDS);
    // the family drawn: the deciding one, else the largest of the regime with minima at jamming
    const shown = main ?? bySize.find((g) => g.e.runs.length > 0);
    const bins = shown ? distanceBins(shown.f, shown.e) : [];
    const trendPoint = (g: FamilyGaps, v: number, i: BootstrapInterval) => ({ N: g.f.N, value: v, low: i.low, high: i.high, series: `L = ${g.f.family.L}`, inRegime: g.f.inRegime, n: g.e.runs.length });
    const trends = [
      { statistic: `theta (Delta > 0), ${WINDOW_TEXT}`, paper: THETA, interval: `95% bootstrap over runs (${RESAMPLES})`, points: all.map((g) => trendPoint(g, g.e.theta, g.e.thetaInterval)) },
      { statistic: `gamma (Delta < 0), ${WINDOW_TEXT}`, paper: GAMMA, interval: `95% bootstrap over runs (${RESAMPLES})`, points: all.map((g) => trendPoint(g, g.e.gamma, g.e.gammaInterval)) },
    ];
    const details = [
      tableBlock(
        ['family', 'regime', 'P*', `certified minima at ${WINDOW_TEXT}`, 'seeds', 'runs without deadIndices (off the Delta > 0 side)', 'theta', '95% interval', 'gamma', '95% interval'],
        all.map((g) => [g.f.label, g === main ? 'decides' : g.f.inRegime ? 'reported' : OUTSIDE, g.f.transition.Pstar, g.e.runs.length, g.e.seeds, g.e.unmasked, g.e.theta, iv(g.e.thetaInterval), g.e.gamma, iv(g.e.gammaInterval)]),
      ),
      ...(shown
        ? [
            tableBlock(
              ['P/P* - 1', 'median P/P* - 1', 'runs', 'seeds', 'theta', '95% interval', 'gamma', '95% interval'],
              bins.map((b) => [`${b.lo === 0 ? '[' : '('}${b.lo}, ${b.hi}]`, b.at, b.e.runs.length, b.e.seeds, b.e.theta, iv(b.e.thetaInterval), b.e.gamma, iv(b.e.gammaInterval)]),
              `${shown.f.label}${shown === main ? ' (decides)' : ''}: theta and gamma against the distance to jamming:`,
            ),
          ]
        : []),
    ];
    // every run whose Delta a number above rests on: results.json keeps their Delta (run/record.ts committedRecord)
    const deltaRuns = [...new Set([...all.flatMap((g) => g.e.runs), ...bins.flatMap((b) => b.e.runs)].map((r) => r.key))].sort();
    const exponentRows: ExponentRow[] = bins.flatMap((b) => [
      { distance: b.at, value: b.e.theta, low: b.e.thetaInterval.low, high: b.e.thetaInterval.high, series: 'theta (Δ > 0)', n: b.e.runs.length },
      { distance: b.at, value: b.e.gamma, low: b.e.gammaInterval.low, high: b.e.gammaInterval.high, series: 'gamma (Δ < 0)', n: b.e.runs.length },
    ]);
    const figures = shown
      ? [
          {
            name: 'claim9-gap-distribution',
            caption: `Distribution of |Delta| at the certified minima at ${WINDOW_TEXT} (N = ${shown.f.N}, ${shown.e.runs.length} runs of ${shown.e.seeds} seeds), both sides, log-log; solid: the fitted exponents, dashed: the papers' theta = ${THETA} and gamma = ${GAMMA}.`,
            plot: {
              kind: 'gapDistribution' as const,
              rows: [...histogram(shown.e.runs.flatMap(liveGaps), 'Delta > 0'), ...histogram(shown.e.runs.flatMap(overlaps), 'Delta < 0')],
              fits: [
                { side: 'Delta > 0' as const, exponent: shown.e.theta },
                { side: 'Delta < 0' as const, exponent: -shown.e.gamma },
              ],
              opts: { papers: [{ side: 'Delta > 0' as const, exponent: THETA }, { side: 'Delta < 0' as const, exponent: -GAMMA }] },
            },
          },
          ...(exponentRows.length
            ? [
                {
                  name: 'claim9-exponents-vs-distance',
                  caption: `theta and gamma against the distance to jamming P/P* - 1 (N = ${shown.f.N}; one point per bin of certified minima, at the bin's median distance, with 95% bootstrap intervals over runs); dashed: the papers' values theta = ${THETA} and gamma = ${GAMMA}.`,
                  plot: {
                    kind: 'exponentVsDistance' as const,
                    rows: exponentRows,
                    papers: [
                      { series: 'theta (Δ > 0)', value: THETA, label: `papers: θ ≈ ${THETA}` },
                      { series: 'gamma (Δ < 0)', value: GAMMA, label: `papers: γ ≈ ${GAMMA}` },
                    ],
                    opts: { title: `Gap exponents against the distance to jamming, N = ${shown.f.N}`, x: 'P/P* − 1 (distance to jamming, log scale)', y: 'exponent' },
                  },
                },
              ]
            : []),
        ]
      : [];
    const binValues = bins.map((b) => ({ lo: b.lo, hi: b.hi, median: b.at, runs: b.e.runs.length, seeds: b.e.seeds, theta: b.e.theta, thetaInterval: b.e.thetaInterval, gamma: b.e.gamma, gammaInterval: b.e.gammaInterval }));
    const families = all.map((g) => ({ N: g.f.N, L: g.f.family.L, inRegime: g.f.inRegime, Pstar: g.f.transition.Pstar, runs: g.e.runs.length, seeds: g.e.seeds, theta: g.e.theta, thetaInterval: g.e.thetaInterval, gamma: g.e.gamma, gammaInterval: g.e.gammaInterval }));
    if (!main) {
      const largest = bySize[0];
      return {
        verdict: 'inconclusive',
        measured: `no family of the regime has certified minima of ${MIN_SEEDS} seeds with their Delta at ${WINDOW_TEXT}${largest ? ` (the largest, N = ${largest.f.N}: ${largest.e.runs.length} minima of ${largest.e.seeds} seeds${largest.e.runs.length ? `, theta = ${fmt(largest.e.theta)} ${iv(largest.e.thetaInterval)}, gamma = ${fmt(largest.e.gamma)} ${iv(largest.e.gammaInterval)}, reported` : ''})` : ''}`,
        details,
        figures,
        trends,
        values: { window: WINDOW, minSeeds: MIN_SEEDS, families, bins: binValues, deltaRuns },
      };
    }
    const apart = apartOf(main.f.records);
    const decided = Number.isFinite(main.e.thetaInterval.low) && Number.isFinite(main.e.gammaInterval.low);
    const verdict: ClaimVerdict = !decided ? 'inconclusive' : contains(main.e.thetaInterval, THETA) && contains(main.e.gammaInterval, GAMMA) ? 'pass' : 'fail';
    return {
      verdict,
      measured: `theta = ${fmt(main.e.theta)} ${iv(main.e.thetaInterval)}, gamma = ${fmt(main.e.gamma)} ${iv(main.e.gammaInterval)} from ${main.e.runs.length} certified minima of ${main.e.seeds} seeds at ${WINDOW_TEXT}, N = ${main.f.N} (${main.e.unmasked} without deadIndices, off the Delta > 0 side); per distance to jamming: ${bins.map((b) => `P/P* - 1 about ${fmt(b.at)}: theta ${fmt(b.e.theta)}, gamma ${fmt(b.e.gamma)} (${b.e.runs.length} runs)`).join(', ')}; ${apartLine(apart)}`,
      details,
      figures,
      trends,
      values: { window: WINDOW, minSeeds: MIN_SEEDS, N: main.f.N, theta: main.e.theta, thetaInterval: main.e.thetaInterval, gamma: main.e.gamma, gammaInterval: main.e.gammaInterval, runs: main.e.runs.length, seeds: main.e.seeds, unmasked: main.e.unmasked, dead: apart.dead.length, budget: apart.budget.length, families, bins: binValues, deltaRuns },
    };
  },
};

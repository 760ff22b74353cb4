import { LIVE_DELTA_RTOL } from '../analyse/diagnostics.ts';
import type { Claim, ClaimVerdict } from './claim.ts';
import { tableBlock } from './claim.ts';
import type { RunRecord } from '../run/record.ts';
import { fixedNFamilies, jammedNearest, type FamilyTransition } from './select.ts';
import { fmt } from '../util/format.ts';
import { RANDOM_REGIME, OUTSIDE } from './regime.ts';
import { apartOf, apartLine } from './apart.ts';
import { bootstrap, contains, type BootstrapInterval } from './intervals.ts';

/**
 * |Delta| at or below this is a contact, not a gap: the resolution of an Adam end point
 * (analyse/diagnostics.ts LIVE_DELTA_RTOL at kappa = 1); below it Delta is the minimiser's jitter.
 */
export const CONTACT = LIVE_DELTA_RTOL;
export const THETA = 0.3;
export const GAMMA = 0.2;
/** Resamples (as in the last report): each one sorts the pooled Delta of a family's runs nearest N*, for every family. */
const RESAMPLES = 200;

/**
 * Exponent of a density p(x) ~ x^e at small x > 0, from the smallest `fraction` of the sample
 * (contacts at |Delta| <= CONTACT excluded: they are the minimiser's resolution, not gaps). With
 * F(x) ~ x^a below x_max = the (k+1)-th smallest value, the maximum-likelihood estimate of a is
 * Hill's, a = k / sum_i ln(x_max / x_i), and e = a - 1. (A least-squares fit of log F against log x,
 * used before, is biased by its few smallest points: it put gamma at 0.17 on draws with gamma 0.2.)
 */
export function smallGapExponent(xs: readonly number[] | Float64Array, fraction = 0.2): number {
  // a typed array sorts numerically without a comparator: the bootstrap calls this a thousand times
  const s = Float64Array.from(xs).filter((x) => x > CONTACT).sort();
  const k = Math.floor(s.length * fraction);
  if (k < 5 || k >= s.length) return NaN;
  const xmax = s[k];
  let sum = 0;
  for (let i = 0; i < k; i++) sum += Math.log(xmax / s[i]);
  return sum > 0 ? k / sum - 1 : NaN;
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

interface FamilyGaps {
  readonly f: FamilyTransition;
  readonly runs: RunRecord[];
  /** runs whose dead patterns could not be removed (no deadIndices): left out of the Delta > 0 side */
  readonly unmasked: number;
  readonly theta: number;
  readonly gamma: number;
  readonly thetaInterval: BootstrapInterval;
  readonly gammaInterval: BootstrapInterval;
}

function familyGaps(f: FamilyTransition, i: number): FamilyGaps {
  const runs = jammedNearest(f).filter((r) => r.deltas);
  const sides = runs.map((r) => ({ pos: Float64Array.from(liveGaps(r)), neg: Float64Array.from(overlaps(r)) }));
  const theta = smallGapExponent(pooled(sides.map((x) => x.pos)));
  const gamma = -smallGapExponent(pooled(sides.map((x) => x.neg)));
  const thetaInterval = bootstrap(sides, (s) => smallGapExponent(pooled(s.map((x) => x.pos))), 9000 + i, RESAMPLES);
  const gammaInterval = bootstrap(sides, (s) => -smallGapExponent(pooled(s.map((x) => x.neg))), 9100 + i, RESAMPLES);
  const unmasked = runs.filter((r) => !r.deadIndices && r.results.deadPatterns > 0).length;
  return { f, runs, unmasked, theta, gamma, thetaInterval, gammaInterval };
}

function histogram(xs: number[], side: 'Delta > 0' | 'Delta < 0') {
  const s = xs.filter((x) => x > CONTACT);
  if (s.length < 2) return [];
  const lo = Math.log10(Math.min(...s));
  const hi = Math.log10(Math.max(...s));
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

export const claim9: Claim = {
  id: 9,
  title: 'Gaps at jamming: power laws of the Delta distribution',
  statement: 'At jamming the distribution of Delta is a power law on both sides: P(Delta) ~ Delta^theta for Delta > 0 and P(Delta) ~ (-Delta)^(-gamma) for Delta < 0, with theta about 0.3 and gamma about 0.2.',
  source: 'arXiv:1809.09349 Sec. VI',
  paperValue: 'theta about 0.3, gamma about 0.2',
  regime: `the largest of the ${RANDOM_REGIME} whose transition lies inside its grid; the others reported per size`,
  passRule: `Pool Delta over the certified minima nearest N* (the two P grid points at or above P*) of the largest family in the regime; dead patterns (record.deadIndices) left out of the Delta > 0 side, and a run with dead patterns but no indices left out of that side entirely; contacts (|Delta| <= ${CONTACT}, the resolution of an Adam end point) left out of both. theta from the smallest 20% of Delta > 0 by maximum likelihood (Hill's estimator of F ~ Delta^(1+theta)), gamma from the smallest 20% of -Delta (F ~ h^(1-gamma)); 95% intervals by a seeded bootstrap over runs (${RESAMPLES} resamples). Pass where each interval contains the paper's value.`,
  ruleChange: 'Was: the first fixed-N family (N = 136 at the full scale), with every unsatisfied pattern on the Delta > 0 side. Now: the largest family in the regime, certified minima only, dead patterns out of the Delta > 0 side; theta and gamma reported per family against N. Why: the exponents are properties of jamming at large N, and a dead pattern\'s Delta is set by a constant output, not by the packing of constraints.',
  uses: ['fixedN'],
  decide(tagged, scale) {
    const fams = fixedNFamilies(tagged, scale).filter((f) => Number.isFinite(f.transition.Pstar));
    const all = fams.map(familyGaps);
    const main = all.filter((g) => g.f.inRegime && g.runs.length >= 2).sort((a, b) => b.f.N - a.f.N)[0];
    const iv = (i: BootstrapInterval) => (Number.isFinite(i.low) ? `[${fmt(i.low)}, ${fmt(i.high)}]` : '(no interval)');
    const trends = [
      { statistic: 'theta (Delta > 0)', paper: THETA, interval: `95% bootstrap over runs (${RESAMPLES})`, points: all.map((g) => ({ N: g.f.N, value: g.theta, low: g.thetaInterval.low, high: g.thetaInterval.high, series: `L = ${g.f.family.L}`, inRegime: g.f.inRegime, n: g.runs.length })) },
      { statistic: 'gamma (Delta < 0)', paper: GAMMA, interval: `95% bootstrap over runs (${RESAMPLES})`, points: all.map((g) => ({ N: g.f.N, value: g.gamma, low: g.gammaInterval.low, high: g.gammaInterval.high, series: `L = ${g.f.family.L}`, inRegime: g.f.inRegime, n: g.runs.length })) },
    ];
    const details = [
      tableBlock(['family', 'regime', 'runs nearest N*', 'runs without deadIndices (off the Delta > 0 side)', 'theta', '95% interval', 'gamma', '95% interval'],
      all.map((g) => [g.f.label, g === main ? 'decides' : g.f.inRegime ? 'reported' : OUTSIDE, g.runs.length, g.unmasked, g.theta, iv(g.thetaInterval), g.gamma, iv(g.gammaInterval)])),
    ];
    if (!main) {
      return { verdict: 'inconclusive', measured: 'too few certified minima with their Delta near N* in the regime\'s families', details, figures: [], trends, values: {} };
    }
    const apart = apartOf(main.f.records);
    const decided = Number.isFinite(main.thetaInterval.low) && Number.isFinite(main.gammaInterval.low);
    const verdict: ClaimVerdict = !decided ? 'inconclusive' : contains(main.thetaInterval, THETA) && contains(main.gammaInterval, GAMMA) ? 'pass' : 'fail';
    return {
      verdict,
      measured: `theta = ${fmt(main.theta)} ${iv(main.thetaInterval)}, gamma = ${fmt(main.gamma)} ${iv(main.gammaInterval)} from ${main.runs.length} certified minima at N = ${main.f.N} (${main.unmasked} without deadIndices, off the Delta > 0 side); ${apartLine(apart)}`,
      details,
      figures: [
        {
          name: 'claim9-gap-distribution',
          caption: `Distribution of |Delta| at the certified minima nearest N* (N = ${main.f.N}), both sides, log-log, with the fitted exponents.`,
          plot: {
            kind: 'gapDistribution',
            rows: [...histogram(main.runs.flatMap(liveGaps), 'Delta > 0'), ...histogram(main.runs.flatMap(overlaps), 'Delta < 0')],
            fits: [
              { side: 'Delta > 0', exponent: main.theta },
              { side: 'Delta < 0', exponent: -main.gamma },
            ],
          },
        },
      ],
      trends,
      values: { N: main.f.N, theta: main.theta, thetaInterval: main.thetaInterval, gamma: main.gamma, gammaInterval: main.gammaInterval, runs: main.runs.length, unmasked: main.unmasked, dead: apart.dead.length, budget: apart.budget.length },
    };
  },
};

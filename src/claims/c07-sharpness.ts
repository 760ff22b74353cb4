import type { Claim, ClaimVerdict } from './claim.ts';
import { tableBlock } from './claim.ts';
import type { RunRecord } from '../run/record.ts';
import { fixedNFamilies, bySeed, type FamilyTransition } from './select.ts';
import { fmt } from '../util/format.ts';
import { fractionPoints, isCertifiedMinimum, liveNDelta, SET_APART, transitionInP, transitionInterval, type Counting, type PTransition } from '../experiment/transition.ts';
import { fitIntervalGroups, FIT_RESAMPLES, type FitInterval, type TransitionFit } from '../stats/logistic.ts';
import { RANDOM_REGIME, OUTSIDE } from './regime.ts';
import { apartOf, apartLine, alternatives, alternativesNote } from './apart.ts';
import { wilson } from './intervals.ts';
import { all } from './combine.ts';

/** The gap of the bimodal distribution: 0 < N_Delta/N, and below C0 less a margin for seed spread. */
export const GAP = [0.05, 0.35] as const;
/** The window is compared over sizes at least this factor apart (a smaller lever only widens the interval, which must lie below 1 to pass). */
export const SIZE_FACTOR = 1.5;

/**
 * The 10%-90% window of the jammed fraction in P/N, from the logistic fit (claim 7): x90 - x10 of
 * the fitted fraction over N. NaN where the family has no transition inside its grid.
 */
export interface Window {
  readonly width: number;
  readonly p10: number;
  readonly p90: number;
  readonly transition: PTransition;
}

/** A fit's window in P/N; zero for a step (a separated grid, stats/logistic.ts gridEdges). */
const widthOf = (fit: TransitionFit, N: number) => (fit.x90 - fit.x10) / N;

export function windowOf(records: readonly RunRecord[], N: number, counting: Counting = SET_APART): Window {
  const t = transitionInP(records, counting);
  const inside = Number.isFinite(t.Pstar);
  return { width: inside ? widthOf(t.fit, N) : NaN, p10: inside ? t.fit.x10 : NaN, p90: inside ? t.fit.x90 : NaN, transition: t };
}

interface Narrowing {
  readonly small?: FamilyTransition;
  readonly large?: FamilyTransition;
  readonly ratio: number;
  readonly interval?: FitInterval;
  readonly verdict: ClaimVerdict;
  readonly note: string;
}

/**
 * w(largest N) / w(smallest N) over the regime's L = 2 families with a transition inside their grid;
 * its interval by parametric bootstrap of both fits in one loop (a window the grid does not resolve
 * may be a step: the interval then reaches 0 or infinity, and the part is undecided).
 */
function narrowing(l2: readonly FamilyTransition[], counting: Counting): Narrowing {
  const windows = l2.map((f) => ({ f, w: windowOf(f.records, f.N, counting) })).filter(({ w }) => Number.isFinite(w.width));
  const small = windows[0];
  const large = windows[windows.length - 1];
  if (!small || !large || large.f.N < SIZE_FACTOR * small.f.N) return { small: small?.f, large: large?.f, ratio: NaN, verdict: 'inconclusive', note: `no two windows a factor ${SIZE_FACTOR} apart in N` };
  const ratio = large.w.width / small.w.width;
  const points = [small, large].map(({ w }) => fractionPoints(w.transition.points));
  const interval = fitIntervalGroups(points, ([a, b]) => widthOf(b, large.f.N) / widthOf(a, small.f.N), 7000 + small.f.N);
  const verdict: ClaimVerdict = !Number.isFinite(interval.low) ? 'inconclusive' : interval.high < 1 ? 'pass' : interval.low > 1 ? 'fail' : 'inconclusive';
  const note = !Number.isFinite(interval.low) ? 'no interval' : verdict === 'inconclusive' ? 'the interval contains 1' : '';
  return { small: small.f, large: large.f, ratio, interval, verdict, note };
}

/** Certified minima in the gap, counted the rule's way (live N_Delta). */
const inGap = (x: number) => x > GAP[0] && x < GAP[1];

export const claim7: Claim = {
  id: 7,
  title: 'Sharpness of the transition',
  statement: 'At fixed N, the fraction of runs with N_Delta > 0 goes from 0 to 1 over a narrow window of P/N, and N_Delta/N is bimodal (0 or above C0).',
  source: 'arXiv:1809.09349 Fig. 3 (N about 8000, 128 runs); talk "Sharpness of the transition"',
  paperValue: 'window narrows with N; N_Delta/N either 0 or > C0',
  regime: `${RANDOM_REGIME}; the narrowing is read on its L = 2 families, the gap on all of them`,
  passRule: `P* and the 10%-90% window (x10 to x90 of the fitted fraction, in P/N) from a Firth-penalised logistic fit of the jammed fraction in log P over every run (certified minima with live N_Delta > 0.1 N against all decided runs; dead-pattern and budget runs set apart and counted); 95% interval by parametric bootstrap (${FIT_RESAMPLES} resamples): both families' counts drawn from their fits and refitted in one seeded loop, the ratio recomputed on the refits, and where a family's runs are separated its window also taken as a step (zero width) at either end of the gap between the last all-fitted and the first all-jammed grid point. Two parts. (a) Narrowing: the window at the largest L = 2 family of the regime with a transition inside its grid, divided by that at the smallest (at least a factor ${SIZE_FACTOR} apart in N), has an interval below 1 (pass) or above 1 (fail); undecided where it contains 1 (as it does where the smallest family's window is not resolved by its grid: the ratio's interval then reaches infinity). (b) Bimodality: no certified minimum of a regime family has live N_Delta/N in (${GAP[0]}, ${GAP[1]}). Pass when both pass; fail when one fails.`,
  ruleChange:
    'Was: the window between the P where the jammed fraction crosses 10% and 90%, interpolated linearly in log P between grid points; its ratio with a bootstrap interval over seeds; undecided where the smallest family\'s two crossings fell between the same two grid points, and a largest family\'s window so bounded could pass but not fail. ' +
    'Now: the window is x10 to x90 of a Firth-penalised logistic fit over every run, and the ratio\'s interval a parametric bootstrap of both families in one loop that also takes a separated family\'s window as a step; undecided exactly where that interval contains 1, with no special case for grid-bounded windows. ' +
    'Why: an independent review found P* at exact geometric midpoints of two grid points with zero-width intervals: a seed bootstrap over interpolated crossings cannot see the grid\'s uncertainty, which the special cases for grid-bounded windows only patched.',
  uses: ['fixedN'],
  decide(tagged, scale) {
    const fams = fixedNFamilies(tagged, scale);
    const regime = fams.filter((f) => f.inRegime);
    const l2 = regime.filter((f) => f.family.L === 2).sort((a, b) => a.N - b.N);
    const n = narrowing(l2, SET_APART);
    const minima = (f: FamilyTransition) => f.records.filter(isCertifiedMinimum);
    const gapOf = (f: FamilyTransition) => minima(f).filter((r) => inGap(liveNDelta(r) / r.results.N));
    const gap = regime.flatMap(gapOf);
    const bimodal: ClaimVerdict = regime.some((f) => minima(f).length > 0) ? (gap.length === 0 ? 'pass' : 'fail') : 'inconclusive';
    const verdict = all([n.verdict, bimodal]);
    // counted the other way
    const apartAll = apartOf(regime.flatMap((f) => f.records));
    const deadInGap = apartAll.dead.filter((r) => inGap(r.results.nDelta / r.results.N));
    const budgetInGap = apartAll.budget.filter((r) => r.results.loss > 0 && inGap(liveNDelta(r) / r.results.N));
    const bimodalWith = (extra: number): ClaimVerdict => (bimodal === 'inconclusive' && extra === 0 ? 'inconclusive' : gap.length + extra === 0 ? 'pass' : 'fail');
    const alts = alternatives([
      { counting: `the ${apartAll.dead.length} dead-pattern runs counted as jammed minima (N_Delta whole; ${deadInGap.length} in the gap)`, verdict: all([narrowing(l2, { ...SET_APART, deadPatternRuns: 'counted' }).verdict, bimodalWith(deadInGap.length)]), runs: apartAll.dead.length },
      { counting: `the ${apartAll.budget.length} budget runs counted as jammed by the authors' rule (${budgetInGap.length} in the gap)`, verdict: all([narrowing(l2, { ...SET_APART, budgetRuns: 'jammed' }).verdict, bimodalWith(budgetInGap.length)]), runs: apartAll.budget.length },
      { counting: `the ${apartAll.budget.length} budget runs counted as fitted`, verdict: all([narrowing(l2, { ...SET_APART, budgetRuns: 'fitted' }).verdict, bimodal]), runs: apartAll.budget.length },
    ]);
    const windows = fams.map((f, i) => {
      const w = windowOf(f.records, f.N);
      const interval = Number.isFinite(w.width) ? transitionInterval(w.transition, 7100 + i, (fit) => widthOf(fit, f.N)) : { low: NaN, high: NaN, finiteShare: 0 };
      return { f, w, interval };
    });
    const iv = (i: { low: number; high: number } | undefined) => (i && Number.isFinite(i.low) ? `[${fmt(i.low)}, ${fmt(i.high)}]` : '(no interval)');
    return {
      verdict,
      measured: `(a) window ratio N = ${n.large?.N ?? '—'} / N = ${n.small?.N ?? '—'}: ${fmt(n.ratio)} ${iv(n.interval)}${n.note ? ` (${n.note})` : ''} (${n.verdict}); windows ${windows.filter((w) => w.f.inRegime).map(({ f, w, interval }) => `N = ${f.N}: ${fmt(w.width)} ${iv(interval)}`).join(', ')}; (b) certified minima with live N_Delta/N in (${GAP[0]}, ${GAP[1]}): ${gap.length} of ${regime.flatMap(minima).length} (${bimodal}); ${apartLine(apartAll)}${alternativesNote(verdict, alts)}`,
      details: [
        tableBlock(
          ['family', 'regime', 'P/N at 10% jammed (fit)', 'P/N at 90% jammed (fit)', 'window', '95% interval', 'certified minima', 'in the gap', 'dead-pattern runs', 'budget runs'],
          windows.map(({ f, w, interval }) => {
            const a = apartOf(f.records);
            return [f.label, f.inRegime ? 'decides' : OUTSIDE, w.p10 / f.N, w.p90 / f.N, w.width, iv(interval), minima(f).length, gapOf(f).length, a.dead.length, a.budget.length];
          }),
        ),
        ...(gap.length
          ? [tableBlock(['N', 'P', 'seed', 'live N_Delta/N', 'contacts', 'dead patterns', 'kinks'], gap.map((r) => [r.results.N, r.results.P, r.item.config.seed, liveNDelta(r) / r.results.N, r.results.contactNDelta, r.results.deadPatterns, r.results.kinks]), 'Certified minima in the gap:')]
          : []),
      ],
      figures: [],
      trends: [
        {
          statistic: '10%-90% window of the jammed fraction in P/N (logistic fit)',
          interval: '95% parametric bootstrap of the logistic fit',
          points: windows.map(({ f, w, interval }) => ({ N: f.N, value: w.width, low: interval.low, high: interval.high, series: `L = ${f.family.L}`, inRegime: f.inRegime && f.family.L === 2, n: bySeed(f.records).length })),
        },
        {
          statistic: `share of certified minima with live N_Delta/N in (${GAP[0]}, ${GAP[1]})`,
          paper: 0,
          interval: 'Wilson 95% interval',
          points: fams.map((f) => {
            const k = gapOf(f).length;
            const m = minima(f).length;
            const i = wilson(k, m);
            return { N: f.N, value: m ? k / m : NaN, low: i.low, high: i.high, series: `L = ${f.family.L}`, inRegime: f.inRegime, n: m };
          }),
        },
      ],
      values: {
        windows: windows.map(({ f, w, interval }) => ({ N: f.N, L: f.family.L, inRegime: f.inRegime, width: w.width, p10: w.p10, p90: w.p90, fit: w.transition.fit, interval })),
        narrowing: { small: n.small?.N, large: n.large?.N, ratio: n.ratio, interval: n.interval, verdict: n.verdict },
        inGap: gap.length,
        bimodal,
        dead: apartAll.dead.length,
        budget: apartAll.budget.length,
        alternatives: alts,
      },
    };
  },
};

import type { Claim, ClaimVerdict } from './claim.ts';
import { tableBlock, noteBlock } from './claim.ts';
import { fixedNFamilies, mnistFamilies, bySeed, pointsOf, type FamilyTransition, type MnistTransition } from './select.ts';
import { fmt } from '../util/format.ts';
import { powerLawFit } from '../stats/regression.ts';
import { mean } from '../stats/describe.ts';
import { fitIntervalGroups, FIT_RESAMPLES, type FitInterval, type TransitionFit } from '../stats/logistic.ts';
import { transitionInterval } from '../experiment/transition.ts';
import { RANDOM_REGIME, MNIST_REGIME, DEPTH_REGIME, DEPTH_EQUAL_N, OUTSIDE, inDepthRegime, depthReference } from './regime.ts';
import { apartOf, apartLine } from './apart.ts';
import { contains, width } from './intervals.ts';
import { all, combine } from './combine.ts';

// Depths agree when their P*/N differ by at most this factor (the last report's tolerance, now at equal width and N).
export const DEPTH_TOLERANCE = 1.2;
/** An exponent decides only with an interval narrower than this. */
export const MAX_WIDTH = 0.5;

const PSTAR_OVER_N_PAPER = 3;

interface RandomFamily {
  readonly f: FamilyTransition;
  /** L = 2 in the random regime, or a deeper family in the depth regime */
  readonly decides: boolean;
  /** mean effectiveN over the runs within a factor 1.5 of P* (reported: at width >= 12 dead units are few) */
  readonly Neff: number;
  /** P* over N, and its 95% interval (parametric bootstrap of the family fit) */
  readonly ratio: number;
  readonly ratioInterval: FitInterval;
}

function randomFamily(f: FamilyTransition, i: number): RandomFamily {
  const P = f.transition.Pstar;
  const near = f.records.filter((r) => r.results.P >= P / 1.5 && r.results.P <= 1.5 * P);
  const Neff = mean((near.length ? near : f.records).map((r) => r.results.effectiveN));
  const decides = f.family.L === 2 ? f.inRegime : inDepthRegime(f.family);
  return { f, decides, Neff, ratio: P / f.N, ratioInterval: transitionInterval(f.transition, 6000 + i, (fit) => fit.x50 / f.N) };
}

/** The exponent b of y = a x^b on log-log axes (NaN unless every value is positive and finite). */
const exponent = (x: readonly number[], y: readonly number[]) => (x.every((v) => v > 0 && Number.isFinite(v)) && y.every((v) => v > 0 && Number.isFinite(v)) ? powerLawFit(x, y).slope : NaN);
const x50s = (fits: readonly TransitionFit[]) => fits.map((f) => f.x50);

/** A part of the verdict from an interval: pass or fail as `test` says, inconclusive where the interval is missing or too wide. */
function byInterval(i: FitInterval, test: (i: FitInterval) => ClaimVerdict, maxWidth = MAX_WIDTH): ClaimVerdict {
  return Number.isFinite(i.low) && width(i) <= maxWidth ? test(i) : 'inconclusive';
}

export const claim6: Claim = {
  id: 6,
  title: 'Location of the jamming line',
  statement: 'For random data N* grows linearly with P and does not depend on depth; for MNIST the jamming line is sub-linear (the talk: slope about 3/4 on a log-log (P, N) plot).',
  source: 'arXiv:1809.09349 Fig. 2; talk "Location of the transition", MNIST slide',
  paperValue: 'random: N* proportional to P, independent of L; MNIST: exponent about 3/4 (sub-linear)',
  regime: `${RANDOM_REGIME} at L = 2; ${DEPTH_REGIME}; ${MNIST_REGIME}`,
  passRule: `P* from a Firth-penalised logistic fit of the jammed fraction in log P over every run (MNIST width sweeps: N* likewise in log N); 95% interval by parametric bootstrap (${FIT_RESAMPLES} resamples): in one seeded loop every family's counts are drawn from its fit and refitted, and the statistic (an exponent, a ratio) recomputed on the refits; where a family's runs are separated the statistic is also taken with its transition at either end of the gap between the last all-fitted and the first all-jammed grid point. Three parts. (a) Random data, L = 2 families in the regime: the exponent b of N* = a P*^b has an interval containing 1. (b) Depth: each deeper family (L > 2) with d = h >= 12, against the L = 2 family of the regime nearest in N (within a factor ${DEPTH_EQUAL_N}): the ratio of their P*/N lies within [1/${DEPTH_TOLERANCE}, ${DEPTH_TOLERANCE}]; undecided where the ratio's interval spans the whole band. (c) MNIST width sweeps in the regime: the exponent of N* against P is below 1 (sub-linear: interval below 1; fail when the interval lies above 1), reported beside 3/4. An exponent decides only with an interval narrower than ${MAX_WIDTH}. Pass when all three pass; fail when one fails.`,
  ruleChange:
    'Was: P* (N*) the 50% crossing of the jammed fraction interpolated linearly in log P between two grid points, every interval a bootstrap over seeds; depth: each L != 2 family of N >= 300 (any width; N_eff where dead units matter) against the L = 2 family nearest in N within a factor 1.5. ' +
    'Now: P* and N* from a Firth-penalised logistic fit over every run, every interval a parametric bootstrap of all the families in one loop that holds the gaps of separated grids; depth: deeper families (L > 2) of width >= 12 against the L = 2 family of the regime nearest in N within a factor 1.2 (the full scale: L = 3, h = 12, N = 444 against L = 2, h = 15, N = 465), P*/N with N. ' +
    'Why: an independent review found three of four P* at exact geometric midpoints of two grid points with zero-width intervals (a seed bootstrap over midpoints cannot see the grid), and the depth pairs of the last report (L = 3, h = 10 and L = 5, h = 8 against L = 2, h = 12) set deeper but narrower layers, with dead units, against wider ones: depth mixed with width.',
  uses: ['fixedN', 'mnist'],
  decide(tagged, scale, jammingPoints) {
    const fams = fixedNFamilies(tagged, scale);
    const measured = fams.filter((f) => Number.isFinite(f.transition.Pstar)).map((f, i) => randomFamily(f, i));
    const regime = measured.filter((m) => m.decides);
    // (a) linear in P
    const l2 = regime.filter((m) => m.f.family.L === 2);
    const l2N = l2.map((m) => m.f.N);
    const fit = powerLawFit(l2.map((m) => m.f.transition.Pstar), l2N);
    const fitInterval = fitIntervalGroups(l2.map((m) => pointsOf(m.f)), (fits) => exponent(x50s(fits), l2N), 6100);
    const linear: ClaimVerdict = l2.length >= 2 ? byInterval(fitInterval, (i) => (contains(i, 1) ? 'pass' : 'fail')) : 'inconclusive';
    // (b) depth at equal width and nearly equal N
    const pairs = regime
      .filter((m) => m.f.family.L > 2)
      .map((m, k) => {
        const ref = depthReference(m.f, l2.map((x) => x.f));
        const refM = l2.find((x) => x.f === ref);
        if (!refM) return { m, ref: refM, R: NaN, interval: undefined, verdict: 'inconclusive' as ClaimVerdict };
        const R = m.ratio / refM.ratio;
        const interval = fitIntervalGroups([pointsOf(m.f), pointsOf(refM.f)], ([a, b]) => a.x50 / m.f.N / (b.x50 / refM.f.N), 6200 + k);
        const inBand = (x: number) => x >= 1 / DEPTH_TOLERANCE && x <= DEPTH_TOLERANCE;
        const spansBand = interval.low <= 1 / DEPTH_TOLERANCE && interval.high >= DEPTH_TOLERANCE;
        const verdict: ClaimVerdict = !Number.isFinite(interval.low) || spansBand ? 'inconclusive' : inBand(R) ? 'pass' : 'fail';
        return { m, ref: refM, R, interval, verdict };
      });
    const depth = combine(pairs.map((p) => p.verdict));
    // (c) MNIST
    const mn = mnistFamilies(tagged, scale);
    const mnMeasured = mn.filter((m) => Number.isFinite(m.transition.Nstar));
    const mnRegime = mnMeasured.filter((m) => m.inRegime);
    const mnP = mnRegime.map((m) => m.P);
    const mfit = powerLawFit(mnP, mnRegime.map((m) => m.transition.Nstar));
    const mInterval = fitIntervalGroups(mnRegime.map(pointsOf), (fits) => exponent(mnP, x50s(fits)), 6300);
    const mnist: ClaimVerdict = mnRegime.length >= 2 ? byInterval(mInterval, (i) => (i.high < 1 ? 'pass' : i.low > 1 ? 'fail' : 'inconclusive')) : 'inconclusive';
    const verdict = all([linear, depth, mnist]);
    const searches = jammingPoints.filter((j) => Number.isFinite(j.Nlow) && Number.isFinite(j.Nhigh));
    const iv = (i: { low: number; high: number } | undefined) => (i && Number.isFinite(i.low) ? `[${fmt(i.low)}, ${fmt(i.high)}]` : '(no interval)');
    const apart = apartOf([...regime.flatMap((m) => m.f.records), ...mnRegime.flatMap((m) => m.records.map((t) => t.record))]);
    const mnLabel = (m: MnistTransition) => `${m.label}${m.inRegime ? '' : ` (${OUTSIDE})`}`;
    const rows = [
      ...measured.map((m) => ({ P: m.f.transition.Pstar, Nstar: m.f.N, PLow: m.f.transition.Plow, PHigh: m.f.transition.Phigh, series: `random, L = ${m.f.family.L}${m.decides ? '' : ` (${OUTSIDE})`}` })),
      ...mnMeasured.map((m) => ({ P: m.P, Nstar: m.transition.Nstar, NstarLow: m.transition.Nlow, NstarHigh: m.transition.Nhigh, series: `MNIST width grid, L = ${m.L}${m.inRegime ? '' : ` (${OUTSIDE})`}` })),
      ...searches.map((j) => ({ P: j.P, Nstar: Math.sqrt(j.Nlow * j.Nhigh), NstarLow: j.Nlow, NstarHigh: j.Nhigh, series: 'MNIST adaptive search' })),
    ];
    return {
      verdict,
      measured: [
        `(a) random L = 2 in the regime: exponent ${fmt(fit.slope)} ${iv(fitInterval)} over ${l2.length} families (${linear})`,
        `(b) depth at equal width and N (${depth}): ${pairs.map((p) => `L = ${p.m.f.family.L}, N = ${p.m.f.N} vs L = 2, N = ${p.ref?.f.N ?? '—'}: P*/N ratio ${fmt(p.R)} ${iv(p.interval)} (${p.verdict})`).join(', ') || 'no deeper family in the regime'}`,
        `(c) MNIST in the regime: exponent ${fmt(mfit.slope)} ${iv(mInterval)} vs 3/4 over ${mnRegime.length} sweeps (${mnist})`,
        apartLine(apart) + ' (left out of every jammed fraction; counted in the tables)',
      ].join('; '),
      details: [
        tableBlock(
          ['random family', 'regime', 'N', 'mean N_eff near P*', 'P* (fit, 50% jammed)', 'P* bracket (grid)', 'P*/N', '95% interval', 'dead-pattern runs', 'budget runs'],
          fams.map((f) => {
            const m = measured.find((x) => x.f === f);
            const a = apartOf(f.records);
            return [f.label, (m?.decides ?? (f.family.L === 2 ? f.inRegime : inDepthRegime(f.family))) ? 'decides' : OUTSIDE, f.N, m?.Neff ?? NaN, f.transition.Pstar, `[${fmt(f.transition.Plow)}, ${fmt(f.transition.Phigh)}]`, m?.ratio ?? NaN, iv(m?.ratioInterval), a.dead.length, a.budget.length];
          }),
        ),
        pairs.length
          ? tableBlock(['depth pair (equal width, N within a factor ' + DEPTH_EQUAL_N + ')', 'N (L > 2)', 'N (L = 2)', 'ratio of P*/N', '95% interval', 'verdict'], pairs.map((p) => [`L = ${p.m.f.family.L}, d = h = ${p.m.f.family.width} (N = ${p.m.f.N}) vs L = 2 (N = ${p.ref?.f.N ?? '—'})`, p.m.f.N, p.ref?.f.N ?? NaN, p.R, iv(p.interval), p.verdict]))
          : noteBlock('No deeper family (L > 2, d = h >= 12) in the regime: the depth part is undecided.'),
        tableBlock(['MNIST sweep', 'regime', 'N* (fit, 50% jammed)', 'N* bracket (largest N jammed, smallest N all fitted)', 'N*/P', 'dead-pattern runs', 'budget runs'], mn.map((m) => {
          const a = apartOf(m.records.map((t) => t.record));
          return [mnLabel(m), m.inRegime ? 'decides' : OUTSIDE, m.transition.Nstar, `[${fmt(m.transition.Nlow)}, ${fmt(m.transition.Nhigh)}]`, m.transition.Nstar / m.P, a.dead.length, a.budget.length];
        })),
        ...(jammingPoints.length
          ? [tableBlock(['adaptive search (authors\' rule + bisection), reported', 'N* interval', 'probes (h: fitted/jammed/runs/apart)'], jammingPoints.map((j) => [j.label, `[${fmt(j.Nlow)}, ${fmt(j.Nhigh)}]`, j.probes.map((p) => `${p.h}: ${p.fitted}/${p.jammed}/${p.runs}/${p.apart ?? 0}`).join(', ')]))]
          : []),
      ],
      figures: [
        {
          name: 'claim6-jamming-line',
          caption: 'N* against P on log-log axes: random data (fixed-N sweeps, N* = N at P*) and MNIST (width sweeps at fixed P), with the exponents fitted on the regime\'s families.',
          plot: {
            kind: 'jammingLine',
            rows,
            fits: [
              ...(l2.length >= 2 ? [{ series: 'random, L = 2', exponent: fit.slope, prefactor: fit.prefactor }] : []),
              ...(mnRegime.length >= 2 ? [{ series: `MNIST width grid, L = ${mnRegime[0].L}`, exponent: mfit.slope, prefactor: mfit.prefactor }] : []),
            ],
          },
        },
      ],
      trends: [
        {
          statistic: 'P*/N (patterns per parameter at jamming)',
          paper: PSTAR_OVER_N_PAPER,
          interval: '95% parametric bootstrap of the logistic fit',
          points: measured.map((m) => ({ N: m.f.N, value: m.ratio, low: m.ratioInterval.low, high: m.ratioInterval.high, series: `L = ${m.f.family.L}`, inRegime: m.decides, n: bySeed(m.f.records).length })),
        },
      ],
      values: {
        randomExponent: { ...fit, interval: fitInterval, verdict: linear },
        depthPairs: pairs.map((p) => ({ L: p.m.f.family.L, N: p.m.f.N, refN: p.ref?.f.N, ratio: p.R, interval: p.interval, verdict: p.verdict })),
        mnistExponent: { ...mfit, interval: mInterval, verdict: mnist },
        families: measured.map((m) => ({ N: m.f.N, L: m.f.family.L, inRegime: m.decides, Neff: m.Neff, PstarOverN: m.ratio, interval: m.ratioInterval, fit: m.f.transition.fit })),
      },
    };
  },
};

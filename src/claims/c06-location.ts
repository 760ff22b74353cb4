import type { Claim, ClaimVerdict } from './claim.ts';
import { tableBlock, noteBlock } from './claim.ts';
import type { RunRecord } from '../run/record.ts';
import { fixedNFamilies, mnistFamilies, bySeed, type FamilyTransition, type MnistTransition } from './select.ts';
import { fmt } from '../util/format.ts';
import { powerLawFit } from '../stats/regression.ts';
import { mean } from '../stats/describe.ts';
import { transitionInN, transitionInP } from '../experiment/transition.ts';
import { RANDOM_REGIME, MNIST_REGIME, DEPTH_REGIME, OUTSIDE, inDepthRegime } from './regime.ts';
import { apartOf, apartLine } from './apart.ts';
import { bootstrapGroups, contains, width, type BootstrapInterval } from './intervals.ts';
import { all, combine } from './combine.ts';

// Depths agree when their P*/N differ by at most this factor (the last report's tolerance, now at equal N).
export const DEPTH_TOLERANCE = 1.2;
/** An L != 2 family is compared with the L = 2 family nearest in N, if within this factor. */
export const EQUAL_N = 1.5;
// Below this share of live weights, dead units matter: P*/N is taken with N_eff.
export const DEAD_UNITS_MATTER = 0.95;
/** An exponent decides only with an interval narrower than this. */
export const MAX_WIDTH = 0.5;

const PSTAR_OVER_N_PAPER = 3;

interface RandomFamily {
  readonly f: FamilyTransition;
  /** L = 2 in the random regime, or a deeper family in the depth regime */
  readonly decides: boolean;
  readonly seeds: RunRecord[][];
  /** mean effectiveN over the runs within a factor 1.5 of P* */
  readonly Neff: number;
  // the N that P*/N is taken with: N, or N_eff where dead units matter
  readonly Nused: number;
  readonly ratio: number;
  readonly ratioInterval: BootstrapInterval;
}

const pstar = (seeds: RunRecord[][]) => transitionInP(seeds.flat()).Pstar;

function randomFamily(f: FamilyTransition, i: number): RandomFamily {
  const P = f.transition.Pstar;
  const near = f.records.filter((r) => r.results.P >= P / 1.5 && r.results.P <= 1.5 * P);
  const Neff = mean((near.length ? near : f.records).map((r) => r.results.effectiveN));
  const Nused = Neff < DEAD_UNITS_MATTER * f.N ? Neff : f.N;
  const seeds = bySeed(f.records);
  const decides = f.family.L === 2 ? f.inRegime : inDepthRegime(f.family);
  return { f, decides, seeds, Neff, Nused, ratio: P / Nused, ratioInterval: bootstrapGroups([seeds], ([s]) => pstar(s) / Nused, 6000 + i) };
}

/** A part of the verdict from an interval: pass or fail as `test` says, inconclusive where the interval is missing or too wide. */
function byInterval(i: BootstrapInterval, test: (i: BootstrapInterval) => ClaimVerdict, maxWidth = MAX_WIDTH): ClaimVerdict {
  return Number.isFinite(i.low) && width(i) <= maxWidth ? test(i) : 'inconclusive';
}

export const claim6: Claim = {
  id: 6,
  title: 'Location of the jamming line',
  statement: 'For random data N* grows linearly with P and does not depend on depth; for MNIST the jamming line is sub-linear (the talk: slope about 3/4 on a log-log (P, N) plot).',
  source: 'arXiv:1809.09349 Fig. 2; talk "Location of the transition", MNIST slide',
  paperValue: 'random: N* proportional to P, independent of L; MNIST: exponent about 3/4 (sub-linear)',
  regime: `${RANDOM_REGIME} at L = 2; ${DEPTH_REGIME}; ${MNIST_REGIME}`,
  passRule: `Three parts, each with a 95% bootstrap interval over seeds (each family's seeds resampled, P* or N* re-estimated, the fit redone; 1000 resamples). (a) Random data, L = 2 families in the regime: the exponent b of N* = a P*^b has an interval containing 1. (b) Depth: each L != 2 family with N at least that of the narrowest L = 2 family in the regime, against the L = 2 family in the regime nearest in N (within a factor ${EQUAL_N}): the ratio of their P*/N lies within [1/${DEPTH_TOLERANCE}, ${DEPTH_TOLERANCE}], with N_eff (dead units removed) in place of N for a family whose mean N_eff/N near P* is below ${DEAD_UNITS_MATTER}; undecided where the ratio's interval spans the whole band. (c) MNIST width sweeps in the regime: the exponent of N* against P is below 1 (sub-linear: interval below 1; fail when the interval lies above 1), reported beside 3/4. An exponent decides only with an interval narrower than ${MAX_WIDTH}. Pass when all three pass; fail when one fails.`,
  ruleChange: `Was: exponent of N* vs P* over every L = 2 family within [0.9, 1.1], and N*/P averaged per depth within 20% whatever the sizes (L = 3 at N = 154 against L = 2 at N = 136 to 1176); MNIST reported only. Now: only L = 2 families in the regime (width >= 12) for the exponent; depths compared at equal N (a deeper family of N >= 300 against the L = 2 family nearest in N) (the nearest L = 2 family), with N_eff where dead units matter; exponents with bootstrap intervals over seeds; the MNIST exponent decides sub-linearity. Why: P*/N moves with N (0.39 to 0.33 in N*/P from N = 136 to 1176), so comparing depths at different N measured finite size, not depth.`,
  uses: ['fixedN', 'mnist'],
  decide(tagged, scale, jammingPoints) {
    const fams = fixedNFamilies(tagged, scale);
    const measured = fams.filter((f) => Number.isFinite(f.transition.Pstar)).map((f, i) => randomFamily(f, i));
    const regime = measured.filter((m) => m.decides);
    // (a) linear in P
    const l2 = regime.filter((m) => m.f.family.L === 2);
    const fit = powerLawFit(l2.map((m) => m.f.transition.Pstar), l2.map((m) => m.f.N));
    const fitInterval = bootstrapGroups(l2.map((m) => m.seeds), (s) => powerLawFit(s.map(pstar), l2.map((m) => m.f.N)).slope, 6100);
    const linear: ClaimVerdict = l2.length >= 2 ? byInterval(fitInterval, (i) => (contains(i, 1) ? 'pass' : 'fail')) : 'inconclusive';
    // (b) depth at equal N
    const pairs = regime
      .filter((m) => m.f.family.L !== 2)
      .map((m, k) => {
        const ref = [...l2].sort((a, b) => Math.abs(Math.log(a.f.N / m.f.N)) - Math.abs(Math.log(b.f.N / m.f.N)))[0];
        if (!ref || Math.max(ref.f.N / m.f.N, m.f.N / ref.f.N) > EQUAL_N) return { m, ref, R: NaN, interval: undefined, verdict: 'inconclusive' as ClaimVerdict };
        const R = m.ratio / ref.ratio;
        const interval = bootstrapGroups([m.seeds, ref.seeds], ([a, b]) => pstar(a) / m.Nused / (pstar(b) / ref.Nused), 6200 + k);
        const inBand = (x: number) => x >= 1 / DEPTH_TOLERANCE && x <= DEPTH_TOLERANCE;
        const spansBand = interval.low <= 1 / DEPTH_TOLERANCE && interval.high >= DEPTH_TOLERANCE;
        const verdict: ClaimVerdict = !Number.isFinite(interval.low) || spansBand ? 'inconclusive' : inBand(R) ? 'pass' : 'fail';
        return { m, ref, R, interval, verdict };
      });
    const depth = combine(pairs.map((p) => p.verdict));
    // (c) MNIST
    const mn = mnistFamilies(tagged, scale);
    const mnMeasured = mn.filter((m) => Number.isFinite(m.transition.Nstar));
    const mnRegime = mnMeasured.filter((m) => m.inRegime);
    const mnSeeds = mnRegime.map((m) => bySeed(m.records.map((t) => t.record)));
    const nstar = (seeds: RunRecord[][]) => transitionInN(seeds.flat()).Nstar;
    const mfit = powerLawFit(mnRegime.map((m) => m.P), mnRegime.map((m) => m.transition.Nstar));
    const mInterval = bootstrapGroups(mnSeeds, (s) => powerLawFit(mnRegime.map((m) => m.P), s.map(nstar)).slope, 6300);
    const mnist: ClaimVerdict = mnRegime.length >= 2 ? byInterval(mInterval, (i) => (i.high < 1 ? 'pass' : i.low > 1 ? 'fail' : 'inconclusive')) : 'inconclusive';
    const verdict = all([linear, depth, mnist]);
    const searches = jammingPoints.filter((j) => Number.isFinite(j.Nlow) && Number.isFinite(j.Nhigh));
    const iv = (i: { low: number; high: number } | undefined) => (i && Number.isFinite(i.low) ? `[${fmt(i.low)}, ${fmt(i.high)}]` : '(no interval)');
    const apart = apartOf([...regime.flatMap((m) => m.f.records), ...mnRegime.flatMap((m) => m.records.map((t) => t.record))]);
    const mnLabel = (m: MnistTransition) => `${m.label}${m.inRegime ? '' : ` (${OUTSIDE})`}`;
    const rows = [
      ...measured.map((m) => ({ P: m.f.transition.Pstar, Nstar: m.f.N, NstarLow: m.f.N, NstarHigh: m.f.N, series: `random, L = ${m.f.family.L}${m.decides ? '' : ` (${OUTSIDE})`}` })),
      ...mnMeasured.map((m) => ({ P: m.P, Nstar: m.transition.Nstar, NstarLow: m.transition.Nlow, NstarHigh: m.transition.Nhigh, series: `MNIST width grid, L = ${m.L}${m.inRegime ? '' : ` (${OUTSIDE})`}` })),
      ...searches.map((j) => ({ P: j.P, Nstar: Math.sqrt(j.Nlow * j.Nhigh), NstarLow: j.Nlow, NstarHigh: j.Nhigh, series: 'MNIST adaptive search' })),
    ];
    return {
      verdict,
      measured: [
        `(a) random L = 2 in the regime: exponent ${fmt(fit.slope)} ${iv(fitInterval)} over ${l2.length} families (${linear})`,
        `(b) depth at equal N (${depth}): ${pairs.map((p) => `L = ${p.m.f.family.L}, N = ${p.m.f.N} vs L = 2, N = ${p.ref?.f.N ?? '—'}: P*/N ratio ${fmt(p.R)} ${iv(p.interval)} (${p.verdict})`).join(', ') || 'no L != 2 family in the regime'}`,
        `(c) MNIST in the regime: exponent ${fmt(mfit.slope)} ${iv(mInterval)} vs 3/4 over ${mnRegime.length} sweeps (${mnist})`,
        apartLine(apart) + ' (left out of every jammed fraction; counted in the tables)',
      ].join('; '),
      details: [
        tableBlock(
          ['random family', 'regime', 'N', 'mean N_eff near P*', 'P* (50% jammed)', 'P* bracket', 'P*/N used', '95% interval', 'dead-pattern runs', 'budget runs'],
          fams.map((f) => {
            const m = measured.find((x) => x.f === f);
            const a = apartOf(f.records);
            return [f.label, (m?.decides ?? (f.family.L === 2 ? f.inRegime : inDepthRegime(f.family))) ? 'decides' : OUTSIDE, f.N, m?.Neff ?? NaN, f.transition.Pstar, `[${fmt(f.transition.Plow)}, ${fmt(f.transition.Phigh)}]`, m?.ratio ?? NaN, iv(m?.ratioInterval), a.dead.length, a.budget.length];
          }),
        ),
        pairs.length
          ? tableBlock(['depth pair (equal N)', 'N used (L != 2)', 'N used (L = 2)', 'ratio of P*/N', '95% interval', 'verdict'], pairs.map((p) => [`L = ${p.m.f.family.L} (N = ${p.m.f.N}) vs L = 2 (N = ${p.ref?.f.N ?? '—'})`, p.m.Nused, p.ref?.Nused ?? NaN, p.R, iv(p.interval), p.verdict]))
          : noteBlock('No family of depth L != 2 in the regime: the depth part is undecided.'),
        tableBlock(['MNIST sweep', 'regime', 'N* (50%)', 'N* bracket (largest N jammed, smallest N all fitted)', 'N*/P', 'dead-pattern runs', 'budget runs'], mn.map((m) => {
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
          statistic: 'P*/N (patterns per parameter at jamming; N_eff where dead units matter)',
          paper: PSTAR_OVER_N_PAPER,
          interval: '95% bootstrap over seeds',
          points: measured.map((m) => ({ N: m.f.N, value: m.ratio, low: m.ratioInterval.low, high: m.ratioInterval.high, series: `L = ${m.f.family.L}`, inRegime: m.decides, n: m.seeds.length })),
        },
      ],
      values: {
        randomExponent: { ...fit, interval: fitInterval, verdict: linear },
        depthPairs: pairs.map((p) => ({ L: p.m.f.family.L, N: p.m.f.N, refN: p.ref?.f.N, ratio: p.R, interval: p.interval, verdict: p.verdict })),
        mnistExponent: { ...mfit, interval: mInterval, verdict: mnist },
        families: measured.map((m) => ({ N: m.f.N, L: m.f.family.L, inRegime: m.decides, Neff: m.Neff, Nused: m.Nused, PstarOverN: m.ratio, interval: m.ratioInterval })),
      },
    };
  },
};

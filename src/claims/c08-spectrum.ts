import type { Claim, ClaimVerdict } from './claim.ts';
import { tableBlock } from './claim.ts';
import type { RunRecord } from '../run/record.ts';
import { fixedNFamilies, type FamilyTransition } from './select.ts';
import { fmt } from '../util/format.ts';
import { isCertifiedMinimum } from '../experiment/transition.ts';
import { linearFit } from '../stats/regression.ts';
import { RANDOM_REGIME, OUTSIDE } from './regime.ts';
import { apartOf, apartLine } from './apart.ts';
import { bootstrap, contains, width, type BootstrapInterval } from './intervals.ts';
import { all, combine } from './combine.ts';

export const PAPER_SLOPE = 0.5;
/** A family decides with this many minima, spanning this factor in live loss, and an interval this narrow (it then tells loss^(1/2) from loss^0 and loss^1). */
export const MIN_RUNS = 4;
export const MIN_LOSS_SPAN = 10;
export const MAX_WIDTH = 0.5;

interface FamilySlope {
  readonly f: FamilyTransition;
  readonly runs: RunRecord[];
  readonly slope: number;
  readonly prefactor: number;
  readonly interval: BootstrapInterval;
  readonly lossSpan: number;
  readonly verdict: ClaimVerdict;
}

const logs = (rs: readonly RunRecord[]) => ({ x: rs.map((r) => Math.log(r.results.liveLoss)), y: rs.map((r) => Math.log(r.spectra!.maxAbsHp)) });

function familySlope(f: FamilyTransition, i: number): FamilySlope {
  const runs = f.records.filter((r) => isCertifiedMinimum(r) && r.spectra && r.results.liveLoss > 0 && r.spectra.maxAbsHp > 0);
  const { x, y } = logs(runs);
  const fit = linearFit(x, y);
  const interval = bootstrap(runs, (s) => {
    const l = logs(s);
    return linearFit(l.x, l.y).slope;
  }, 8000 + i);
  const lossSpan = runs.length ? Math.exp(Math.max(...x) - Math.min(...x)) : NaN;
  const decides = runs.length >= MIN_RUNS && lossSpan >= MIN_LOSS_SPAN && Number.isFinite(interval.low) && width(interval) <= MAX_WIDTH;
  return { f, runs, slope: fit.slope, prefactor: Math.exp(fit.intercept), interval, lossSpan, verdict: decides ? (contains(interval, PAPER_SLOPE) ? 'pass' : 'fail') : 'inconclusive' };
}

export const claim8: Claim = {
  id: 8,
  title: 'Spectrum near jamming: the scale of Hp goes like sqrt(loss); H = 0 above',
  statement: 'Under-parametrized: Hp != 0 with N_Delta growing; at jamming Hp -> 0 as the loss -> 0, the scale of its eigenvalues going like sqrt(loss) as one moves from jamming into the jammed phase; over-parametrized: H = 0.',
  source: 'talk "Spectrum of H"; arXiv:1809.09349 Sec. V',
  paperValue: 'max|lambda(Hp)| proportional to sqrt(loss): slope 1/2 on log-log axes; H = 0 for N > N*',
  regime: `${RANDOM_REGIME}, each family on its own`,
  passRule: `Below N*: within each family of the regime, the slope of log max|lambda(Hp)| against log(live loss) over its certified minima (dead-pattern and budget runs set apart and counted), with a 95% bootstrap interval over runs (1000 resamples); a family decides with at least ${MIN_RUNS} minima spanning a factor ${MIN_LOSS_SPAN} in live loss and an interval narrower than ${MAX_WIDTH}; it passes where the interval contains 1/2. Pass when every deciding family passes (and one decides), fail when one fails. Above N*: every fitted run has H = 0 (N_Delta = 0 and loss = 0, so every term of H vanishes).`,
  ruleChange: 'Was: max|lambda(Hp)|/sqrt(loss) within a factor 3 across the runs nearest N* of every family (a constant ratio across seeds). Now: the exponent itself, the slope of log max|lambda(Hp)| against log(live loss) within each family of the regime as P moves into the jammed phase, with a bootstrap interval that must contain 1/2. Why: the papers\' statement is a scaling with the distance to jamming, not a constant ratio across seeds (SCIENCE.md, claim 8), and only the live patterns\' loss enters Hp.',
  uses: ['fixedN'],
  decide(tagged, scale) {
    const fams = fixedNFamilies(tagged, scale);
    const slopes = fams.map(familySlope);
    const regime = slopes.filter((s) => s.f.inRegime);
    const fitted = fams.flatMap((f) => f.records.filter((r) => r.results.verdict === 'fitted'));
    const hNonZero = fitted.filter((r) => r.results.nDelta !== 0 || r.results.loss !== 0);
    const hZero: ClaimVerdict = fitted.length === 0 ? 'inconclusive' : hNonZero.length === 0 ? 'pass' : 'fail';
    const verdict = all([combine(regime.map((s) => s.verdict)), hZero]);
    const apart = apartOf(regime.flatMap((s) => s.f.records));
    const iv = (i: BootstrapInterval) => (Number.isFinite(i.low) ? `[${fmt(i.low)}, ${fmt(i.high)}]` : '(no interval)');
    return {
      verdict,
      measured: `slope of log max|lambda(Hp)| on log(live loss): ${regime.map((s) => `N = ${s.f.N} (L = ${s.f.family.L}): ${fmt(s.slope)} ${iv(s.interval)} over ${s.runs.length} minima (${s.verdict})`).join(', ') || 'no family in the regime'}; H = 0 in ${fitted.length - hNonZero.length}/${fitted.length} fitted runs; ${apartLine(apart)}`,
      details: [tableBlock(
        ['family', 'regime', 'certified minima', 'live loss span (factor)', 'slope', '95% interval', 'dead-pattern runs', 'budget runs', 'verdict'],
        slopes.map((s) => {
          const a = apartOf(s.f.records);
          return [s.f.label, s.f.inRegime ? 'decides' : OUTSIDE, s.runs.length, s.lossSpan, s.slope, iv(s.interval), a.dead.length, a.budget.length, s.f.inRegime ? s.verdict : OUTSIDE];
        }),
      )],
      figures: [
        {
          name: 'claim8-hp-scale-vs-loss',
          caption: 'max|lambda(Hp)| against the live loss at certified minima, log-log, per family; dashed: slope 1/2 (the papers\' sqrt(loss)).',
          plot: {
            kind: 'logLogScatter',
            rows: slopes.flatMap((s) => s.runs.map((r) => ({ x: r.results.liveLoss, y: r.spectra!.maxAbsHp, series: `N = ${s.f.N}, L = ${s.f.family.L}` }))),
            fits: slopes.map((s) => ({ series: `N = ${s.f.N}, L = ${s.f.family.L}`, exponent: s.slope, prefactor: s.prefactor })),
            opts: { title: 'Scale of Hp against the loss at certified minima', x: 'live loss (log scale)', y: 'max |λ(Hp)| (log scale)', predicted: { exponent: PAPER_SLOPE, label: 'slope 1/2' } },
          },
        },
      ],
      trends: [
        {
          statistic: 'slope of log max|lambda(Hp)| on log(live loss)',
          paper: PAPER_SLOPE,
          interval: '95% bootstrap over runs',
          points: slopes.map((s) => ({ N: s.f.N, value: s.slope, low: s.interval.low, high: s.interval.high, series: `L = ${s.f.family.L}`, inRegime: s.f.inRegime, n: s.runs.length })),
        },
      ],
      values: {
        families: slopes.map((s) => ({ N: s.f.N, L: s.f.family.L, inRegime: s.f.inRegime, runs: s.runs.length, slope: s.slope, interval: s.interval, lossSpan: s.lossSpan, verdict: s.verdict })),
        fitted: fitted.length,
        fittedNonZero: hNonZero.length,
        dead: apart.dead.length,
        budget: apart.budget.length,
      },
    };
  },
};

import type { Claim, ClaimVerdict } from './claim.ts';
import { tableBlock } from './claim.ts';
import type { RunRecord, SpectraRecord } from '../run/record.ts';
import { fixedNFamilies, type FamilyTransition } from './select.ts';
import { fmt } from '../util/format.ts';
import { isCertifiedMinimum } from '../experiment/transition.ts';
import { linearFit } from '../stats/regression.ts';
import { RANDOM_REGIME, OUTSIDE } from './regime.ts';
import { apartOf, apartLine } from './apart.ts';
import { bootstrap, contains, width, type BootstrapInterval } from './intervals.ts';
import { all, combine } from './combine.ts';
import type { ScatterRow, PowerLawFit } from './plot.ts';

export const PAPER_SLOPE = 0.5;
/**
 * Near jamming: the certified minima with P in [1.00, 1.10] P*. The sqrt(loss) law is a scaling at
 * jamming (SCIENCE.md, claim 8); deeper in the jammed phase (live loss 0.1 and more at N = 300, the
 * last full report) the power laws are cut off, so minima beyond 1.10 P* are shown and their slope
 * reported, but they do not decide.
 */
export const WINDOW = [1, 1.1] as const;
/** A family decides with this many minima in the window, spanning this factor in live loss (3 decades: a slope, not a ratio), and an interval this narrow (it tells loss^(1/2) from loss^0 and loss^1). */
export const MIN_RUNS = 8;
export const MIN_LOSS_SPAN = 1000;
export const MAX_WIDTH = 0.5;

/**
 * The bulk of Hp's spectrum: its rms eigenvalue sqrt(tr Hp^2 / Ntot) = sqrt(sum lambda^2 / Ntot).
 * Read from the record's `rmsHp` where it has one, else from every eigenvalue of Hp (`--spectra full`);
 * NaN when neither is recorded (counts only).
 */
export function rmsHp(r: RunRecord): number {
  const s = r.spectra as SpectraRecord | undefined;
  if (!s) return NaN;
  if (typeof s.rmsHp === 'number') return s.rmsHp;
  if (!s.eigHp?.length) return NaN;
  let q = 0;
  for (const v of s.eigHp) q += v * v;
  return Math.sqrt(q / s.eigHp.length);
}

/** The two scales of Hp the claim reads: its largest |eigenvalue| and its rms eigenvalue. */
export const MEASURES = [
  { key: 'max', label: 'max|lambda(Hp)|', axis: 'max |λ(Hp)| (log scale)', of: (r: RunRecord) => r.spectra?.maxAbsHp ?? NaN },
  { key: 'rms', label: 'rms lambda(Hp) = sqrt(tr Hp^2 / Ntot)', axis: 'rms λ(Hp) = sqrt(tr Hp² / Ntot) (log scale)', of: rmsHp },
] as const;
type Measure = (typeof MEASURES)[number];

interface Slope {
  readonly runs: RunRecord[];
  readonly slope: number;
  readonly prefactor: number;
  readonly interval: BootstrapInterval;
  readonly lossSpan: number;
  readonly verdict: ClaimVerdict;
}

const usable = (m: Measure) => (r: RunRecord) => r.results.liveLoss > 0 && m.of(r) > 0;
const logs = (m: Measure, rs: readonly RunRecord[]) => ({ x: rs.map((r) => Math.log(r.results.liveLoss)), y: rs.map((r) => Math.log(m.of(r))) });

function slopeOf(m: Measure, runs: RunRecord[], seed: number, decides: boolean): Slope {
  const { x, y } = logs(m, runs);
  const fit = linearFit(x, y);
  const interval = bootstrap(runs, (s) => {
    const l = logs(m, s);
    return linearFit(l.x, l.y).slope;
  }, seed);
  const lossSpan = runs.length ? Math.exp(Math.max(...x) - Math.min(...x)) : NaN;
  const enough = decides && runs.length >= MIN_RUNS && lossSpan >= MIN_LOSS_SPAN && Number.isFinite(interval.low) && width(interval) <= MAX_WIDTH;
  return { runs, slope: fit.slope, prefactor: Math.exp(fit.intercept), interval, lossSpan, verdict: enough ? (contains(interval, PAPER_SLOPE) ? 'pass' : 'fail') : 'inconclusive' };
}

interface FamilySlope {
  readonly f: FamilyTransition;
  /** the certified minima with spectra of the family, loss > 0 */
  readonly minima: RunRecord[];
  /** those with P in WINDOW times P* */
  readonly near: RunRecord[];
  /** per measure, on the minima near P* (decides) */
  readonly slopes: Record<Measure['key'], Slope>;
  /** max|lambda(Hp)| over every minimum at P >= P* (below N*): reported, does not decide */
  readonly belowNstar: Slope;
  readonly verdict: ClaimVerdict;
}

export const inWindow = (P: number, Pstar: number) => Number.isFinite(Pstar) && P >= WINDOW[0] * Pstar && P <= WINDOW[1] * Pstar;

function familySlope(f: FamilyTransition, i: number): FamilySlope {
  const Pstar = f.transition.Pstar;
  const minima = f.records.filter((r) => isCertifiedMinimum(r) && r.spectra && r.results.liveLoss > 0);
  const near = minima.filter((r) => inWindow(r.results.P, Pstar));
  const slopes = Object.fromEntries(MEASURES.map((m, j) => [m.key, slopeOf(m, near.filter(usable(m)), 8000 + 10 * i + j, true)])) as Record<Measure['key'], Slope>;
  const below = minima.filter((r) => r.results.P >= Pstar && usable(MEASURES[0])(r));
  const belowNstar = slopeOf(MEASURES[0], below, 8500 + i, false);
  // a measure that is not recorded (rms without rmsHp or eigHp) is inconclusive and leaves the verdict to the other
  return { f, minima, near, slopes, belowNstar, verdict: combine(MEASURES.map((m) => slopes[m.key].verdict)) };
}

const iv = (i: BootstrapInterval) => (Number.isFinite(i.low) ? `[${fmt(i.low)}, ${fmt(i.high)}]` : '(no interval)');
const seriesOf = (s: FamilySlope) => `N = ${s.f.N}, L = ${s.f.family.L}`;
const WINDOW_TEXT = `${WINDOW[0].toFixed(2)} to ${WINDOW[1].toFixed(2)} P*`;

function scatter(slopes: readonly FamilySlope[], m: Measure): { rows: ScatterRow[]; fits: PowerLawFit[] } {
  const rows = slopes.flatMap((s) =>
    s.minima.filter(usable(m)).map((r) => ({ x: r.results.liveLoss, y: m.of(r), series: inWindow(r.results.P, s.f.transition.Pstar) ? `${seriesOf(s)}, ${WINDOW_TEXT}` : `${seriesOf(s)}, other minima`, group: seriesOf(s) })),
  );
  const fits = slopes.map((s) => ({ series: `${seriesOf(s)}, ${WINDOW_TEXT}`, exponent: s.slopes[m.key].slope, prefactor: s.slopes[m.key].prefactor }));
  return { rows, fits };
}

export const claim8: Claim = {
  id: 8,
  title: 'Spectrum near jamming: the scale of Hp goes like sqrt(loss); H = 0 above',
  statement: 'Under-parametrized: Hp != 0 with N_Delta growing; at jamming Hp -> 0 as the loss -> 0, the scale of its eigenvalues going like sqrt(loss) as one moves from jamming into the jammed phase; over-parametrized: H = 0.',
  source: 'talk "Spectrum of H"; arXiv:1809.09349 Sec. V',
  paperValue: 'the scale of Hp proportional to sqrt(loss): slope 1/2 on log-log axes; H = 0 for N > N*',
  regime: `${RANDOM_REGIME}, each family on its own, its certified minima with P from ${WINDOW_TEXT}`,
  passRule: `Near jamming: within each family of the regime, on its certified minima with P in [${WINDOW[0].toFixed(2)}, ${WINDOW[1].toFixed(2)}] P* (dead-pattern and budget runs set apart and counted), the slope against log(live loss) of log max|lambda(Hp)| and of log rms lambda(Hp) (the bulk of the spectrum, sqrt(tr Hp^2 / Ntot)), each with a 95% bootstrap interval over runs (1000 resamples). A slope decides with at least ${MIN_RUNS} minima in the window spanning a factor ${MIN_LOSS_SPAN} (3 decades) in live loss and an interval narrower than ${MAX_WIDTH}; it passes where the interval contains 1/2. A family fails when a slope that decides fails, passes when one decides and none fails (a measure the records lack, rms without its field, is inconclusive). The slope of max|lambda(Hp)| over every minimum at P >= P* (below N*) is reported, not judged: deeper in the jammed phase the power law is cut off. Pass when every deciding family passes (and one decides), fail when one fails. Above N*: every fitted run has H = 0 (N_Delta = 0 and loss = 0, so every term of H vanishes).`,
  ruleChange: `Was: the slope of log max|lambda(Hp)| on log(live loss) over every certified minimum below N* of a family, deciding with 4 minima spanning a factor 10 in live loss. Now: only the minima at ${WINDOW_TEXT}, at least ${MIN_RUNS} of them spanning a factor ${MIN_LOSS_SPAN} in live loss, with the slope of the rms eigenvalue of Hp (the bulk of its spectrum) judged beside that of its largest one. Why: the minima the last full report decided on sat far from jamming (live loss 0.11 to 0.16 nearest P* at N = 300, and a factor 2.3 over all 14 minima of that family), where the power law is cut off and no slope can be read; the talk's statement is about the scale of the eigenvalues, which one extreme eigenvalue alone may not follow.`,
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
    const slopeText = (s: Slope) => `${fmt(s.slope)} ${iv(s.interval)} (${s.verdict})`;
    const line = (s: FamilySlope) =>
      `N = ${s.f.N} (L = ${s.f.family.L}), ${s.near.length} minima at ${WINDOW_TEXT} spanning a factor ${fmt(s.slopes.max.lossSpan)} in live loss: max|lambda(Hp)| ${slopeText(s.slopes.max)}, rms lambda(Hp) ${s.slopes.rms.runs.length ? slopeText(s.slopes.rms) : 'not recorded'}; over every minimum below N* ${fmt(s.belowNstar.slope)} (${s.belowNstar.runs.length} minima, reported)`;
    const hasRms = slopes.some((s) => s.minima.some((r) => Number.isFinite(rmsHp(r))));
    const figure = (m: Measure, name: string, what: string) => {
      const { rows, fits } = scatter(slopes, m);
      return {
        name,
        caption: `${what} against the live loss at certified minima, log-log, per family: the minima at ${WINDOW_TEXT} (which decide, with their fitted slope) and the family's other minima; dashed: slope 1/2 (the papers' sqrt(loss)).`,
        plot: { kind: 'logLogScatter' as const, rows, fits, opts: { title: `${what} against the loss at certified minima`, x: 'live loss (log scale)', y: m.axis, predicted: { exponent: PAPER_SLOPE, label: 'slope 1/2' } } },
      };
    };
    return {
      verdict,
      measured: `slopes on log(live loss): ${regime.map(line).join('; ') || 'no family in the regime'}; H = 0 in ${fitted.length - hNonZero.length}/${fitted.length} fitted runs; ${apartLine(apart)}`,
      details: [
        tableBlock(
          ['family', 'regime', 'P*', `certified minima at ${WINDOW_TEXT}`, 'live loss span (factor)', 'slope, max|λ(Hp)|', '95% interval', 'slope, rms λ(Hp)', '95% interval', 'slope, max|λ(Hp)|, every minimum below N* (reported)', 'minima below N*', 'dead-pattern runs', 'budget runs', 'verdict'],
          slopes.map((s) => {
            const a = apartOf(s.f.records);
            return [s.f.label, s.f.inRegime ? 'decides' : OUTSIDE, s.f.transition.Pstar, s.near.length, s.slopes.max.lossSpan, s.slopes.max.slope, iv(s.slopes.max.interval), s.slopes.rms.slope, iv(s.slopes.rms.interval), s.belowNstar.slope, s.belowNstar.runs.length, a.dead.length, a.budget.length, s.f.inRegime ? s.verdict : OUTSIDE];
          }),
        ),
      ],
      figures: [
        figure(MEASURES[0], 'claim8-hp-scale-vs-loss', 'max|λ(Hp)|'),
        ...(hasRms ? [figure(MEASURES[1], 'claim8-hp-bulk-vs-loss', 'rms λ(Hp)')] : []),
      ],
      trends: MEASURES.map((m) => ({
        statistic: `slope of log ${m.label} on log(live loss), ${WINDOW_TEXT}`,
        paper: PAPER_SLOPE,
        interval: '95% bootstrap over runs',
        points: slopes.map((s) => ({ N: s.f.N, value: s.slopes[m.key].slope, low: s.slopes[m.key].interval.low, high: s.slopes[m.key].interval.high, series: `L = ${s.f.family.L}`, inRegime: s.f.inRegime, n: s.slopes[m.key].runs.length })),
      })),
      values: {
        window: WINDOW,
        families: slopes.map((s) => ({
          N: s.f.N,
          L: s.f.family.L,
          inRegime: s.f.inRegime,
          Pstar: s.f.transition.Pstar,
          minimaNear: s.near.length,
          lossSpan: s.slopes.max.lossSpan,
          ...Object.fromEntries(MEASURES.map((m) => [m.key, { runs: s.slopes[m.key].runs.length, slope: s.slopes[m.key].slope, interval: s.slopes[m.key].interval, verdict: s.slopes[m.key].verdict }])),
          belowNstar: { runs: s.belowNstar.runs.length, slope: s.belowNstar.slope, interval: s.belowNstar.interval },
          verdict: s.verdict,
        })),
        fitted: fitted.length,
        fittedNonZero: hNonZero.length,
        dead: apart.dead.length,
        budget: apart.budget.length,
      },
    };
  },
};

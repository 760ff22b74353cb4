import type { Claim, ClaimVerdict } from './claim.ts';
import { tableBlock } from './claim.ts';
import type { RunRecord } from '../run/record.ts';
import { mnistFamilies, mainMnistSweep, type MnistTransition } from './select.ts';
import { fmt } from '../util/format.ts';
import { errorCurve, type ErrorPoint } from './errorCurve.ts';
import { spearman } from '../stats/spearman.ts';
import type { TestErrorRow } from './plot.ts';
import { apartOf } from './apart.ts';
import { all } from './combine.ts';
import type { Trend } from './trend.ts';

const se = (a: ErrorPoint, b: ErrorPoint) => Math.sqrt((a.sem || 0) ** 2 + (b.sem || 0) ** 2);
const inWindow = (p: ErrorPoint, lo: number, hi: number) => p.N >= lo && p.N <= hi;

// The cusp test: a peak with N in [N*/1.5, 1.5 N*] above the lowest mean over [N*/4, N*/1.5] and the
// mean at the width nearest 3 N*, each by more than two standard errors of the difference.
export interface Cusp {
  readonly peak?: ErrorPoint;
  readonly low?: ErrorPoint;
  readonly far?: ErrorPoint;
  readonly verdict: ClaimVerdict;
  readonly note: string;
}

export function cusp(pts: readonly ErrorPoint[], Ns: number, at?: number): Cusp {
  if (!Number.isFinite(Ns) || pts.length < 4) return { verdict: 'inconclusive', note: 'no transition in the grid or fewer than 4 widths' };
  const low = pts.filter((p) => inWindow(p, Ns / 4, Ns / 1.5)).sort((a, b) => a.mean - b.mean)[0];
  const far = pts.reduce((a, b) => (Math.abs(Math.log(b.N / (3 * Ns))) < Math.abs(Math.log(a.N / (3 * Ns))) ? b : a));
  // the peak: a local maximum in the window, or (for a control) the point at a given width
  const peak =
    at !== undefined
      ? pts.find((p) => p.N === at)
      : pts
          .filter((p, i) => inWindow(p, Ns / 1.5, 1.5 * Ns) && (i === 0 || p.mean >= pts[i - 1].mean) && (i === pts.length - 1 || p.mean >= pts[i + 1].mean))
          .sort((a, b) => b.mean - a.mean)[0];
  if (!peak) return { low, far, verdict: at === undefined ? 'fail' : 'inconclusive', note: 'no local maximum within [N*/1.5, 1.5 N*]' };
  if (!low || !(far.N > 1.5 * Ns)) return { peak, low, far, verdict: 'inconclusive', note: 'no width below N*/1.5 or near 3 N*' };
  const significant = peak.mean - low.mean > 2 * se(peak, low) && peak.mean - far.mean > 2 * se(peak, far);
  return { peak, low, far, verdict: significant ? 'pass' : 'fail', note: '' };
}

const finalError = (r: RunRecord) => r.test?.error;
const earlyError = (r: RunRecord) => r.test?.earlyStopped?.error;
const finalSameHalf = (r: RunRecord) => r.test?.earlyStopped?.finalErrorSameHalf;

interface Sweep {
  readonly m: MnistTransition;
  readonly Ns: number;
  readonly pts: ErrorPoint[];
  readonly cusp: Cusp;
  readonly decrease: { rho: number; pNegative: number; n: number };
  readonly decreaseVerdict: ClaimVerdict;
  /** the control, on the second half of the held-out set: end of training against early stopping */
  readonly finalHalf: ErrorPoint[];
  readonly early: ErrorPoint[];
  readonly finalCusp: Cusp;
  readonly earlyCusp: Cusp;
  readonly control: ClaimVerdict;
  readonly verdict: ClaimVerdict;
}

function analyse(m: MnistTransition): Sweep {
  const Ns = m.transition.Nstar;
  const records = m.records.map((t) => t.record);
  const pts = errorCurve(records, finalError);
  const c = cusp(pts, Ns);
  const above = records.filter((r) => r.test && r.results.N > 1.5 * Ns);
  const decrease = spearman(above.map((r) => r.results.N), above.map((r) => r.test!.error));
  const decreaseVerdict: ClaimVerdict = above.length < 3 ? 'inconclusive' : decrease.rho < 0 && decrease.pNegative < 0.05 ? 'pass' : 'fail';
  const finalHalf = errorCurve(records, finalSameHalf);
  const early = errorCurve(records, earlyError);
  const finalCusp = cusp(finalHalf, Ns);
  // the early-stopped curve, tested at the width where the end-of-training curve peaks
  const earlyCusp = finalCusp.peak ? cusp(early, Ns, finalCusp.peak.N) : { verdict: 'inconclusive' as ClaimVerdict, note: 'no peak to compare with' };
  const control: ClaimVerdict = early.length < 4 ? 'inconclusive' : finalCusp.verdict !== 'pass' ? 'inconclusive' : earlyCusp.verdict === 'fail' ? 'pass' : earlyCusp.verdict === 'pass' ? 'fail' : 'inconclusive';
  return { m, Ns, pts, cusp: c, decrease, decreaseVerdict, finalHalf, early, finalCusp, earlyCusp, control, verdict: all([c.verdict, decreaseVerdict, control]) };
}

export const claim10: Claim = {
  id: 10,
  title: 'Generalization: a cusp of the test error at N*, which early stopping removes',
  statement: 'As N grows at fixed P (MNIST parity) the test error decays, rises to a cusp at N*, then decreases monotonically for N > N* towards a plateau. With early stopping the cusp disappears.',
  source: 'arXiv:1810.09665 Fig. 1 and Sec. 4 ("if early stopping is used, the cusp ... disappears"); talk "Generalization"',
  paperValue: 'local maximum of the test error at N*, monotone decrease above; no cusp with early stopping',
  regime: 'the MNIST width sweep with the most seeds in the scale (ties: the larger P); the others reported',
  passRule: 'On the MNIST width sweep with the most seeds (ties: the larger P), all runs counted whatever their verdict (the test error of a network does not depend on it): (i) the mean test error over seeds has a local maximum with N in [N*/1.5, 1.5 N*] that exceeds both the lowest mean error over [N*/4, N*/1.5] and the error at the width nearest 3 N* by more than two standard errors (of the difference); (ii) the test error decreases for N > 1.5 N* (Spearman rho < 0 over the runs there, one-sided p < 0.05); (iii) the control: on the second half of the held-out set, the end-of-training error has such a cusp, and the early-stopped error (checkpoint chosen on the first half) at the same width does not exceed its own lowest error below and its error near 3 N* by two standard errors. Pass when all three pass; fail when one fails.',
  ruleChange:
    'Was: N* the 50% crossing of the jammed fraction interpolated in log N between two widths. Now: N* is the x50 ' +
    'of the Firth-penalised logistic fit in log N over every run of the sweep (experiment/transition.ts); the ' +
    'windows [N*/4, N*/1.5], [N*/1.5, 1.5 N*] and 3 N* follow it, and the claim stands only where its verdict ' +
    'is the same with the budget runs counted as fitted and as minima. Why: the interpolated N* sat at grid ' +
    'midpoints (the review of the 235-run report).',
  uses: ['mnist'],
  decide(tagged, scale) {
    const fams = mnistFamilies(tagged, scale);
    const results = fams.map(analyse);
    const main = mainMnistSweep(results.map((r) => ({ ...r, family: r.m.family })));
    const verdict: ClaimVerdict = main ? main.verdict : 'inconclusive';
    const line = (r: Sweep) => {
      const c = r.cusp;
      const cuspText = c.peak ? `peak ${fmt(c.peak.mean)} at N = ${c.peak.N} vs low ${fmt(c.low?.mean ?? NaN)} below and ${fmt(c.far?.mean ?? NaN)} at N = ${c.far?.N ?? '—'}` : `no cusp (${c.note})`;
      const control = r.early.length
        ? `control on the second half: end of training ${r.finalCusp.peak ? `peak ${fmt(r.finalCusp.peak.mean)} at N = ${r.finalCusp.peak.N}` : 'no peak'} (${r.finalCusp.verdict}), early stopped ${r.earlyCusp.peak ? fmt(r.earlyCusp.peak.mean) : '—'} there (significant: ${r.earlyCusp.verdict === 'pass' ? 'yes' : r.earlyCusp.verdict === 'fail' ? 'no' : '—'})`
        : 'control: no early-stopped errors in the records';
      return `${r.m.label}${main && r.m === main.m ? ' (decides)' : ''}: N* = ${fmt(r.Ns)}, ${cuspText} (${c.verdict}); Spearman rho above 1.5 N* = ${fmt(r.decrease.rho)} (p = ${fmt(r.decrease.pNegative)}, ${r.decreaseVerdict}); ${control} (${r.control})`;
    };
    const apart = apartOf(main ? main.m.records.map((t) => t.record) : []);
    // both curves on the second half of the held-out set, the half the early-stopped error is measured on
    // (the first half chose its checkpoint): the control (iii) compares them there; a sweep without
    // early-stopped errors shows its end-of-training curve on the whole set, named so
    const rows: TestErrorRow[] = results.flatMap((r) =>
      r.early.length
        ? [
            ...r.finalHalf.map((p) => ({ NoverNstar: p.N / r.Ns, testError: p.mean, sem: p.sem, series: `P = ${r.m.P}, L = ${r.m.L}, end of training (second half)` })),
            ...r.early.map((p) => ({ NoverNstar: p.N / r.Ns, testError: p.mean, sem: p.sem, series: `P = ${r.m.P}, L = ${r.m.L}, early stopped (second half)` })),
          ]
        : r.pts.map((p) => ({ NoverNstar: p.N / r.Ns, testError: p.mean, sem: p.sem, series: `P = ${r.m.P}, L = ${r.m.L}, end of training (whole held-out set)` })),
    );
    // a cusp stands above both sides: its height is the smaller of peak - low (below N*) and peak - far
    // (near 3 N*), the two differences the rule tests; a curve that only decreases has height <= 0
    const side = (c: Cusp): ErrorPoint | undefined =>
      c.peak && c.low && c.far ? (c.peak.mean - c.low.mean <= c.peak.mean - c.far.mean ? c.low : c.far) : undefined;
    const height = (c: Cusp) => {
      const o = side(c);
      return c.peak && o ? c.peak.mean - o.mean : NaN;
    };
    const heightSe = (c: Cusp) => {
      const o = side(c);
      return c.peak && o ? 1.96 * se(c.peak, o) : NaN;
    };
    const trendOf = (statistic: string, cuspOf: (r: Sweep) => Cusp, paper?: number): Trend => ({
      statistic,
      ...(paper !== undefined ? { paper } : {}),
      interval: '±1.96 standard errors of the difference',
      points: results
        .filter((r) => Number.isFinite(r.Ns))
        .map((r) => {
          const c = cuspOf(r);
          const h = height(c);
          const e = heightSe(c);
          return { N: r.Ns, value: h, low: h - e, high: h + e, series: `MNIST P = ${r.m.P}, L = ${r.m.L}`, inRegime: !!main && r.m === main.m, n: r.m.records.length };
        }),
    });
    return {
      verdict,
      measured: `${results.map(line).join('; ')}; none set apart: the ${apart.dead.length} dead-pattern runs and ${apart.budget.length} budget runs of the deciding sweep counted (a network's test error does not depend on its verdict)`,
      details: results.map((r) => {
        const byN = new Map(r.early.map((p) => [p.N, p]));
        const half = new Map(r.finalHalf.map((p) => [p.N, p]));
        return tableBlock(
          ['N', 'N/N*', 'mean test error', 'SEM', 'seeds', 'end of training, second half', 'early stopped, second half', 'SEM (early stopped)'],
          r.pts.map((p) => [p.N, p.N / r.Ns, p.mean, p.sem, p.n, half.get(p.N)?.mean ?? NaN, byN.get(p.N)?.mean ?? NaN, byN.get(p.N)?.sem ?? NaN]),
          `${r.m.label} (N* = ${fmt(r.Ns)}; ${main && r.m === main.m ? 'decides' : 'reported'}):`,
        );
      }),
      figures: rows.length ? [{ name: 'claim10-test-error', caption: 'Mean test error (MNIST parity) against N/N*, at the end of training and early stopped, both on the second half of the held-out set (the first half picks the early-stopping checkpoint; parts (i) and (ii) of the rule read the whole set, in the table), error bars one standard error; the line marks N = N*.', plot: { kind: 'testErrorVsN', rows } }] : [],
      trends: [trendOf('cusp height at the end of training: min(peak − low below N*, peak − error near 3 N*)', (r) => r.cusp), trendOf('cusp height early stopped (second half), at the end-of-training peak: min(peak − low, peak − far)', (r) => r.earlyCusp, 0)],
      values: {
        decidingSweep: main ? { P: main.m.P, L: main.m.L, seeds: main.m.family.seeds.length } : null,
        sweeps: results.map((r) => ({ P: r.m.P, L: r.m.L, Nstar: r.Ns, points: r.pts, early: r.early, finalSameHalf: r.finalHalf, spearman: r.decrease, cusp: r.cusp.verdict, decrease: r.decreaseVerdict, control: r.control, verdict: r.verdict })),
      },
    };
  },
};

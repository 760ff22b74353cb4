import type { Claim, ClaimVerdict } from './claim.ts';
import { tableBlock } from './claim.ts';
import type { RunRecord } from '../run/record.ts';
import { fixedNFamilies, mnistFamilies } from './select.ts';
import { fmt } from '../util/format.ts';
import { FIT_RESAMPLES } from '../stats/logistic.ts';
import { isBudgetRun, isDeadPatternRun, transitionInterval } from '../experiment/transition.ts';
import { apartOf, apartLine, alternatives, alternativesNote } from './apart.ts';
import { wilson, type Interval } from './intervals.ts';

/** How the runs over 1.5 N* that are neither fitted nor ordinary minima are counted. */
interface Counting {
  /** dead-pattern runs: listed apart (the rule) or counted as minima with loss > 0 */
  readonly dead: 'apart' | 'notFitted';
  /** budget runs: counted as not fitted (the rule: the seed was not shown to fit) or set apart */
  readonly budget: 'notFitted' | 'apart';
}

const RULE: Counting = { dead: 'apart', budget: 'notFitted' };

interface Sweep {
  readonly label: string;
  // N* over P: N/P* for a fixed-N family, N*/P for an MNIST width sweep
  readonly ratio: number;
  /** its 95% interval (parametric bootstrap of the fit, transition.ts) */
  readonly ratioInterval: Interval;
  readonly N: number;
  readonly series: string;
  /** the runs at N >= 1.5 N*, N* at the top of its interval */
  readonly over: RunRecord[];
}

/** N* < 2P on the whole interval: yes; violated on the whole interval: no; else undecided. */
type Bound = 'yes' | 'NO' | 'undecided';

function judgeSweep(s: Sweep, c: Counting) {
  const counted = s.over.filter((r) => !(isBudgetRun(r) ? c.budget === 'apart' : isDeadPatternRun(r) && c.dead === 'apart'));
  const notFitted = counted.filter((r) => r.results.verdict !== 'fitted');
  const bound: Bound = s.ratioInterval.high < 2 ? 'yes' : s.ratioInterval.low > 2 ? 'NO' : 'undecided';
  const decided = Number.isFinite(s.ratio) && Number.isFinite(s.ratioInterval.low);
  const verdict: ClaimVerdict = !decided ? 'inconclusive' : bound === 'NO' || notFitted.length > 0 ? 'fail' : s.over.length === 0 || bound === 'undecided' ? 'inconclusive' : 'pass';
  return { counted, notFitted, bound, verdict };
}

/** The old rule's combination: any failing sweep fails, else pass where one decided. */
function verdictOf(sweeps: readonly Sweep[], c: Counting): ClaimVerdict {
  const v = sweeps.map((s) => judgeSweep(s, c).verdict);
  return v.includes('fail') ? 'fail' : v.includes('pass') ? 'pass' : 'inconclusive';
}

export const claim5: Claim = {
  id: 5,
  title: 'Over-parametrized phase: every minimum has zero loss for N > N*, and N* < 2P',
  statement: 'For N > N* every minimum found has loss = 0 (N_Delta = 0, H = 0); N* < P / C0, about 2P, since N_Delta <= P.',
  source: 'arXiv:1809.09349 Sec. IV; talk "Upper bound"',
  paperValue: 'all fitted for N > N*; N* < 2P',
  regime: 'every fixed-N family and every MNIST width sweep whose transition lies inside its grid',
  // Dead-pattern runs (SCIENCE.md pitfall) are minima with loss > 0 that the stability argument does
  // not cover (Hp vanishes on their patterns); like claims 3 and 4 this claim lists them apart.
  passRule: `P* from a Firth-penalised logistic fit of the jammed fraction in log P over every run (MNIST width sweeps: N* likewise in log N); 95% interval by parametric bootstrap (${FIT_RESAMPLES} resamples), which holds the whole gap between the last all-fitted and the first all-jammed grid point where the runs are separated. Every seed is fitted wherever N >= 1.5 N*, N* at the top of its interval (fixed-N sweeps: P <= P*/1.5, P* at the bottom of its interval; MNIST width sweeps: N >= 1.5 N*), dead-pattern runs listed apart; and N* < 2P (fixed N: P* > N/2; MNIST: N* < 2P) on the whole interval (fail where the whole interval violates it, undecided where it straddles 2). Pass when no sweep fails and one passes.`,
  ruleChange:
    'Was: P* (N*) the 50% crossing of the jammed fraction, interpolated linearly in log P between two grid points; the runs at N >= 1.5 N* and the bound N* < 2P read from that point. ' +
    'Now: P* from a Firth-penalised logistic fit over every run, with a 95% parametric-bootstrap interval that holds the gap of a separated grid; the runs at N >= 1.5 N* taken with N* at the top of its interval, and N* < 2P decided on the whole interval. ' +
    'Why: an independent review found three of four P* at exact geometric midpoints of two grid points with zero-width intervals: the midpoint cannot see the grid\'s uncertainty, so a run within a grid step of the transition could be judged over-parametrized.',
  uses: ['fixedN', 'mnist'],
  decide(tagged, scale) {
    const sweeps: Sweep[] = [
      ...fixedNFamilies(tagged, scale).map((f, i) => {
        const t = f.transition;
        const iv = Number.isFinite(t.Pstar) ? transitionInterval(t, 5000 + i) : { low: NaN, high: NaN };
        return {
          label: `random ${f.label}`,
          ratio: f.N / t.Pstar,
          ratioInterval: { low: f.N / iv.high, high: f.N / iv.low },
          N: f.N,
          series: `random, L = ${f.family.L}`,
          over: Number.isFinite(iv.low) ? f.records.filter((r) => r.results.P <= iv.low / 1.5) : [],
        };
      }),
      ...mnistFamilies(tagged, scale).map((m, i) => {
        const t = m.transition;
        const iv = Number.isFinite(t.Nstar) ? transitionInterval(t, 5500 + i) : { low: NaN, high: NaN };
        return {
          label: m.label,
          ratio: t.Nstar / m.P,
          ratioInterval: { low: iv.low / m.P, high: iv.high / m.P },
          N: t.Nstar,
          series: `MNIST, L = ${m.L}`,
          over: Number.isFinite(iv.high) ? m.records.map((x) => x.record).filter((r) => r.results.N >= 1.5 * iv.high) : [],
        };
      }),
    ];
    const verdict = verdictOf(sweeps, RULE);
    const over = sweeps.flatMap((s) => s.over);
    const apart = apartOf(over);
    const alts = alternatives([
      { counting: `the ${apart.dead.length} dead-pattern runs over 1.5 N* counted as minima with loss > 0`, verdict: verdictOf(sweeps, { ...RULE, dead: 'notFitted' }), runs: apart.dead.length },
      { counting: `the ${apart.budget.length} budget runs over 1.5 N* were set apart instead of counted as not fitted`, verdict: verdictOf(sweeps, { ...RULE, budget: 'apart' }), runs: apart.budget.length },
    ]);
    const rows = sweeps.map((s) => {
      const j = judgeSweep(s, RULE);
      const a = apartOf(s.over);
      return { s, j, a };
    });
    const trends = [
      {
        statistic: 'share of counted runs at N >= 1.5 N* that are fitted',
        paper: 1,
        interval: 'Wilson 95% interval',
        points: rows
          .filter(({ s }) => Number.isFinite(s.ratio))
          .map(({ s, j }) => {
            const k = j.counted.length - j.notFitted.length;
            const i = wilson(k, j.counted.length);
            return { N: s.N, value: j.counted.length ? k / j.counted.length : NaN, low: i.low, high: i.high, series: s.series, inRegime: true, n: j.counted.length };
          }),
      },
    ];
    const iv = (i: Interval) => (Number.isFinite(i.low) ? `[${fmt(i.low)}, ${fmt(i.high)}]` : '(no interval)');
    return {
      verdict,
      measured: `${rows
        .map(({ s, j, a }) => (Number.isFinite(s.ratio) ? `${s.label}: N*/P = ${fmt(s.ratio)} ${iv(s.ratioInterval)}, ${j.notFitted.length} of ${j.counted.length} runs at N >= 1.5 N* not fitted (${a.budget.length} of them budget runs; +${a.dead.length} dead-pattern runs apart), N* < 2P: ${j.bound}` : `${s.label}: no transition in range`))
        .join('; ')}; over 1.5 N*: ${apartLine(apart)} (budget runs counted as not fitted)${alternativesNote(verdict, alts)}`,
      details: [tableBlock(
        ['sweep', 'N*/P', '95% interval', 'runs at N >= 1.5 N* (N* at the top of its interval)', 'not fitted (budget runs included)', 'of which budget', 'dead-pattern runs (apart)', 'N* < 2P'],
        rows.map(({ s, j, a }) => (Number.isFinite(s.ratio) ? [s.label, s.ratio, iv(s.ratioInterval), s.over.length, j.notFitted.length, a.budget.length, a.dead.length, j.bound] : [s.label, 'no transition in range', '', '', '', '', '', ''])),
      )],
      figures: [],
      trends,
      values: {
        sweeps: rows.map(({ s, j, a }) => ({ label: s.label, ratio: s.ratio, interval: s.ratioInterval, over: s.over.length, notFitted: j.notFitted.length, budget: a.budget.length, dead: a.dead.length, bound: j.bound })),
        alternatives: alts,
      },
    };
  },
};

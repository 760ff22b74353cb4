import type { Claim } from './claim.ts';
import { tableBlock } from './claim.ts';
import type { RunRecord } from '../run/record.ts';
import { isDeadPatternRun } from '../experiment/transition.ts';
import { weightCount } from '../model/architecture.ts';
import { fixedNFamilies, ofKind } from './select.ts';
import { apartOf } from './apart.ts';
import { wilson } from './intervals.ts';

const holds = (r: RunRecord) => r.spectra!.nNegHp <= r.results.nDelta;

export const claim3: Claim = {
  id: 3,
  title: 'Stability bound N_-(Hp) <= N_Delta',
  statement: 'At a local minimum H is positive semi-definite, so Hp has at most rank(H0) <= N_Delta negative eigenvalues: N_- <= N_Delta.',
  source: 'arXiv:1809.09349 Sec. III; talk "Upper bound"',
  paperValue: 'N_- <= N_Delta at every minimum',
  regime: 'softplus minima with a smooth certificate (where the Hessian argument applies exactly); ReLU minima of the fixed-N families are reported outside it',
  passRule: 'N_-(Hp) <= N_Delta at every jammed minimum with a smooth certificate (softplus runs, where the Hessian argument applies exactly). ReLU jammed runs are reported separately with their kink counts; dead-pattern runs are listed apart. Inconclusive when no smooth jammed minimum exists.',
  ruleChange: null,
  uses: ['softplus', 'fixedN'],
  decide(tagged, scale) {
    const jammed = tagged.filter((t) => t.record.results.verdict === 'jammed' && t.record.spectra);
    const smooth = jammed.filter((t) => t.record.results.certificate?.kind === 'smooth' && !isDeadPatternRun(t.record));
    const viol = smooth.filter((t) => !holds(t.record));
    const relu = jammed.filter((t) => t.tag.kind === 'fixedN');
    const reluViol = relu.filter((t) => !holds(t.record));
    const dead = jammed.filter((t) => isDeadPatternRun(t.record));
    const apart = apartOf(tagged.filter((t) => t.tag.kind === 'softplus' || t.tag.kind === 'fixedN').map((t) => t.record));
    const verdict = smooth.length === 0 ? 'inconclusive' : viol.length === 0 ? 'pass' : 'fail';
    const rows = jammed.map((t) => ({
      nDelta: t.record.results.nDelta,
      nNeg: t.record.spectra!.nNegHp,
      series: t.record.results.certificate?.kind === 'smooth' ? 'smooth minimum (softplus)' : isDeadPatternRun(t.record) ? 'dead patterns' : 'ReLU minimum',
    }));
    const share = (rs: RunRecord[], N: number, series: string, inRegime: boolean) => {
      const k = rs.filter(holds).length;
      const i = wilson(k, rs.length);
      return { N, value: rs.length ? k / rs.length : NaN, low: i.low, high: i.high, series, inRegime, n: rs.length };
    };
    const smoothRuns = new Set(smooth.map((t) => t.record));
    const softplusRuns = ofKind(tagged, 'softplus').map((t) => t.record).filter((r) => smoothRuns.has(r));
    const trends = [
      {
        statistic: 'share of minima with N_-(Hp) <= N_Delta',
        paper: 1,
        interval: 'Wilson 95% interval over the minima',
        points: [
          ...scale.softplus.map((s) => share(softplusRuns.filter((r) => r.item.config.model.h === s.h && r.item.config.model.L === s.L), weightCount(s.d, s.h, s.L), 'softplus', true)),
          ...fixedNFamilies(tagged, scale).map((f) => share(f.records.filter((r) => r.results.verdict === 'jammed' && r.spectra && !isDeadPatternRun(r)), f.N, `ReLU, L = ${f.family.L}`, false)),
        ],
      },
    ];
    return {
      verdict,
      measured: `${smooth.length - viol.length}/${smooth.length} smooth minima satisfy N_- <= N_Delta; ReLU ${relu.length - reluViol.length}/${relu.length} (reported); ${apart.dead.length} dead-pattern runs (out of the smooth set, listed in the ReLU row) and ${apart.budget.length} budget runs (not minima) set apart`,
      details: [tableBlock(
        ['set', 'jammed runs', 'N_-(Hp) <= N_Delta', 'violations'],
        [
          ['smooth certificate (decides)', smooth.length, smooth.length - viol.length, viol.length],
          ['ReLU (non-smooth certificates; kinks counted per run in results.json), outside the regime', relu.length, relu.length - reluViol.length, reluViol.length],
          ['of which with dead patterns (listed apart)', dead.length, '', ''],
          ['budget runs (not minima)', apart.budget.length, '', ''],
        ],
      )],
      figures: rows.length ? [{ name: 'claim3-negative-vs-ndelta', caption: 'N_-(Hp) against N_Delta at jammed minima; the line is N_- = N_Delta.', plot: { kind: 'negativeVsNDelta', rows } }] : [],
      trends,
      values: { smooth: smooth.length, smoothViolations: viol.length, relu: relu.length, reluViolations: reluViol.length, dead: dead.length, budget: apart.budget.length },
    };
  },
};

import type { Claim } from './claim.ts';
import { table } from '../report/markdown.ts';
import { isDeadPatternRun } from '../experiment/transition.ts';
import { negativeVsNDelta } from '../report/figures.ts';

export const claim3: Claim = {
  id: 3,
  title: 'Stability bound N_-(Hp) <= N_Delta',
  statement: 'At a local minimum H is positive semi-definite, so Hp has at most rank(H0) <= N_Delta negative eigenvalues: N_- <= N_Delta.',
  source: 'arXiv:1809.09349 Sec. III; talk "Upper bound"',
  paperValue: 'N_- <= N_Delta at every minimum',
  passRule: 'N_-(Hp) <= N_Delta at every jammed minimum with a smooth certificate (softplus runs, where the Hessian argument applies exactly). ReLU jammed runs are reported separately with their kink counts; dead-pattern runs are listed apart. Inconclusive when no smooth jammed minimum exists.',
  uses: ['softplus', 'fixedN'],
  evaluate(tagged) {
    const jammed = tagged.filter((t) => t.record.results.verdict === 'jammed' && t.record.spectra);
    const smooth = jammed.filter((t) => t.record.results.certificate?.kind === 'smooth' && !isDeadPatternRun(t.record));
    const viol = smooth.filter((t) => t.record.spectra!.nNegHp > t.record.results.nDelta);
    const relu = jammed.filter((t) => t.tag.kind === 'fixedN');
    const reluViol = relu.filter((t) => t.record.spectra!.nNegHp > t.record.results.nDelta);
    const dead = jammed.filter((t) => isDeadPatternRun(t.record));
    const verdict = smooth.length === 0 ? 'inconclusive' : viol.length === 0 ? 'pass' : 'fail';
    const rows = jammed.map((t) => ({
      nDelta: t.record.results.nDelta,
      nNeg: t.record.spectra!.nNegHp,
      series: t.record.results.certificate?.kind === 'smooth' ? 'smooth minimum (softplus)' : isDeadPatternRun(t.record) ? 'dead patterns' : 'kinked (ReLU)',
    }));
    return {
      verdict,
      measured: `${smooth.length - viol.length}/${smooth.length} smooth minima satisfy N_- <= N_Delta; ReLU (kinked) ${relu.length - reluViol.length}/${relu.length}`,
      details: table(
        ['set', 'jammed runs', 'N_-(Hp) <= N_Delta', 'violations'],
        [
          ['smooth certificate', smooth.length, smooth.length - viol.length, viol.length],
          ['ReLU (kinked certificates; kinks counted per run in results.json)', relu.length, relu.length - reluViol.length, reluViol.length],
          ['of which with dead patterns (listed apart)', dead.length, '', ''],
        ],
      ),
      figures: rows.length ? [{ name: 'claim3-negative-vs-ndelta', caption: 'N_-(Hp) against N_Delta at jammed minima; the line is N_- = N_Delta.', spec: negativeVsNDelta(rows) }] : [],
      values: { smooth: smooth.length, smoothViolations: viol.length, relu: relu.length, reluViolations: reluViol.length, dead: dead.length },
    };
  },
};

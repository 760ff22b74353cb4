import type { Claim } from './claim.ts';
import { tableBlock } from './claim.ts';
import type { RunRecord } from '../run/record.ts';
import { fixedNFamilies } from './select.ts';
import { apartOf } from './apart.ts';
import { wilson } from './intervals.ts';

/** fitted <=> loss exactly 0 <=> N_Delta = 0, and a fitted run has gradient exactly 0 */
function violates(r: RunRecord): boolean {
  const s = r.results;
  const fitted = s.verdict === 'fitted';
  return fitted !== (s.loss === 0) || (s.loss === 0) !== (s.nDelta === 0) || (fitted && s.gradientNorm !== 0);
}

export const claim1: Claim = {
  id: 1,
  title: 'Finite range of the quadratic hinge',
  statement: 'The quadratic hinge is exactly zero (with zero gradient) once y f >= kappa; the loss is zero iff every pattern has margin >= kappa. Cross-entropy never reaches zero.',
  source: 'arXiv:1809.09349 Sec. II; talk "Loss function"',
  paperValue: 'loss = 0 exactly when N_Delta = 0; cross-entropy > 0',
  regime: 'every run of the sweep, whatever its size or verdict (an exact property of the loss)',
  passRule: 'Every run of the sweep: fitted <=> loss exactly 0 <=> N_Delta = 0, and gradient exactly 0 when fitted; every run with loss > 0 has N_Delta > 0; every cross-entropy run ends with loss > 0.',
  ruleChange: null,
  uses: ['fixedN', 'mnist', 'softplus', 'linear', 'crossEntropy'],
  decide(tagged, scale) {
    const hinge = tagged.filter((t) => t.tag.kind !== 'crossEntropy');
    const ce = tagged.filter((t) => t.tag.kind === 'crossEntropy');
    const bad = hinge.filter((t) => violates(t.record));
    const ceZero = ce.filter((t) => !(t.record.results.loss > 0));
    const verdict = bad.length === 0 && ceZero.length === 0 && ce.length > 0 ? 'pass' : 'fail';
    const fitted = hinge.filter((t) => t.record.results.verdict === 'fitted').length;
    const apart = apartOf(hinge.map((t) => t.record));
    const trends = [
      {
        statistic: 'share of runs violating fitted <=> loss = 0 <=> N_Delta = 0',
        paper: 0,
        interval: 'Wilson 95% interval over the family\'s runs',
        points: fixedNFamilies(tagged, scale).map((f) => {
          const k = f.records.filter(violates).length;
          const i = wilson(k, f.records.length);
          return { N: f.N, value: f.records.length ? k / f.records.length : NaN, low: i.low, high: i.high, series: `L = ${f.family.L}`, inRegime: true, n: f.records.length };
        }),
      },
    ];
    return {
      verdict,
      measured: `${hinge.length} hinge runs (${fitted} fitted), ${bad.length} violations; cross-entropy min loss ${Math.min(...ce.map((t) => t.record.results.loss)).toExponential(2)} over ${ce.length} runs; none set apart (${apart.dead.length} dead-pattern and ${apart.budget.length} budget runs included: the rule holds whatever the verdict)`,
      details: [tableBlock(
        ['runs', 'fitted (loss = 0, N_Delta = 0, grad = 0)', 'violations', 'budget runs (included)', 'cross-entropy runs', 'cross-entropy losses'],
        [[hinge.length, fitted, bad.length, apart.budget.length, ce.length, ce.map((t) => t.record.results.loss.toExponential(2)).join(', ')]],
      )],
      figures: [],
      trends,
      values: { runs: hinge.length, fitted, violations: bad.length, budget: apart.budget.length, crossEntropyLosses: ce.map((t) => t.record.results.loss) },
    };
  },
};

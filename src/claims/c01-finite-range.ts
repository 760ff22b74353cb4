import type { Claim } from './claim.ts';
import { table } from '../report/markdown.ts';

export const claim1: Claim = {
  id: 1,
  title: 'Finite range of the quadratic hinge',
  statement: 'The quadratic hinge is exactly zero (with zero gradient) once y f >= kappa; the loss is zero iff every pattern has margin >= kappa. Cross-entropy never reaches zero.',
  source: 'arXiv:1809.09349 Sec. II; talk "Loss function"',
  paperValue: 'loss = 0 exactly when N_Delta = 0; cross-entropy > 0',
  passRule: 'Every run of the sweep: fitted <=> loss exactly 0 <=> N_Delta = 0, and gradient exactly 0 when fitted; every run with loss > 0 has N_Delta > 0; every cross-entropy run ends with loss > 0.',
  uses: ['fixedN', 'mnist', 'softplus', 'linear', 'crossEntropy'],
  evaluate(tagged) {
    const hinge = tagged.filter((t) => t.tag.kind !== 'crossEntropy');
    const ce = tagged.filter((t) => t.tag.kind === 'crossEntropy');
    const bad = hinge.filter(({ record: { results: r } }) => {
      const fitted = r.verdict === 'fitted';
      return fitted !== (r.loss === 0) || (r.loss === 0) !== (r.nDelta === 0) || (fitted && r.gradientNorm !== 0);
    });
    const ceZero = ce.filter((t) => !(t.record.results.loss > 0));
    const verdict = bad.length === 0 && ceZero.length === 0 && ce.length > 0 ? 'pass' : 'fail';
    const fitted = hinge.filter((t) => t.record.results.verdict === 'fitted').length;
    return {
      verdict,
      measured: `${hinge.length} hinge runs (${fitted} fitted), ${bad.length} violations; cross-entropy min loss ${Math.min(...ce.map((t) => t.record.results.loss)).toExponential(2)} over ${ce.length} runs`,
      details: table(
        ['runs', 'fitted (loss = 0, N_Delta = 0, grad = 0)', 'violations', 'cross-entropy runs', 'cross-entropy losses'],
        [[hinge.length, fitted, bad.length, ce.length, ce.map((t) => t.record.results.loss.toExponential(2)).join(', ')]],
      ),
      figures: [],
      values: { runs: hinge.length, fitted, violations: bad.length, crossEntropyLosses: ce.map((t) => t.record.results.loss) },
    };
  },
};

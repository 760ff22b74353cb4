import type { Claim } from './claim.ts';
import { table } from '../report/markdown.ts';

export const claim2: Claim = {
  id: 2,
  title: 'Hessian structure H = H0 + Hp',
  statement: 'H = H0 + Hp; H0 is positive semi-definite with rank at most N_Delta; where the loss is zero, H = 0.',
  source: 'arXiv:1809.09349 Sec. III; talk "Stability"',
  paperValue: 'rank(H0) <= N_Delta; H = 0 at zero loss',
  passRule: 'Every jammed run with spectra: rank(H0) <= N_Delta (eigenvalues above the threshold max|lambda(H)| Ntot eps 100). Every fitted run: N_Delta = 0 and loss = 0, so every sum in H is empty and H = 0 exactly (the derivative specs check H = 0 as a matrix on constructed points).',
  uses: ['fixedN', 'softplus', 'linear'],
  evaluate(tagged) {
    const withSpectra = tagged.filter((t) => t.record.spectra);
    const rankViolations = withSpectra.filter((t) => t.record.spectra!.rankH0 > t.record.results.nDelta);
    const fitted = tagged.filter((t) => t.record.results.verdict === 'fitted');
    const nonZero = fitted.filter((t) => t.record.results.nDelta !== 0 || t.record.results.loss !== 0);
    const ok = withSpectra.length > 0 && rankViolations.length === 0 && nonZero.length === 0;
    const maxRatio = Math.max(...withSpectra.map((t) => t.record.spectra!.rankH0 / Math.max(1, t.record.results.nDelta)));
    return {
      verdict: ok ? 'pass' : 'fail',
      measured: `rank(H0) <= N_Delta in ${withSpectra.length - rankViolations.length}/${withSpectra.length} jammed runs (max rank/N_Delta ${maxRatio.toFixed(3)}); H = 0 in ${fitted.length - nonZero.length}/${fitted.length} fitted runs`,
      details: table(
        ['jammed runs with spectra', 'rank(H0) > N_Delta', 'fitted runs', 'fitted with H != 0'],
        [[withSpectra.length, rankViolations.length, fitted.length, nonZero.length]],
      ),
      figures: [],
      values: { jammedWithSpectra: withSpectra.length, rankViolations: rankViolations.length, fitted: fitted.length, fittedNonZero: nonZero.length },
    };
  },
};

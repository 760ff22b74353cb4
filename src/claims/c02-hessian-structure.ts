import type { Claim } from './claim.ts';
import { tableBlock } from './claim.ts';
import { fixedNFamilies } from './select.ts';
import { apartOf } from './apart.ts';
import { wilson } from './intervals.ts';

export const claim2: Claim = {
  id: 2,
  title: 'Hessian structure H = H0 + Hp',
  statement: 'H = H0 + Hp; H0 is positive semi-definite with rank at most N_Delta; where the loss is zero, H = 0.',
  source: 'arXiv:1809.09349 Sec. III; talk "Stability"',
  paperValue: 'rank(H0) <= N_Delta; H = 0 at zero loss',
  regime: 'every run with spectra and every fitted run, whatever its size (an exact property of the Hessian)',
  passRule: 'Every jammed run with spectra: rank(H0) <= N_Delta (eigenvalues above the threshold max|lambda(H)| Ntot eps 100). Every fitted run: N_Delta = 0 and loss = 0, so every sum in H is empty and H = 0 exactly (the derivative specs check H = 0 as a matrix on constructed points).',
  ruleChange: null,
  uses: ['fixedN', 'softplus', 'linear'],
  decide(tagged, scale) {
    const withSpectra = tagged.filter((t) => t.record.spectra);
    const rankViolations = withSpectra.filter((t) => t.record.spectra!.rankH0 > t.record.results.nDelta);
    const fitted = tagged.filter((t) => t.record.results.verdict === 'fitted');
    const nonZero = fitted.filter((t) => t.record.results.nDelta !== 0 || t.record.results.loss !== 0);
    const ok = withSpectra.length > 0 && rankViolations.length === 0 && nonZero.length === 0;
    const maxRatio = Math.max(...withSpectra.map((t) => t.record.spectra!.rankH0 / Math.max(1, t.record.results.nDelta)));
    const apart = apartOf(tagged.map((t) => t.record));
    const trends = [
      {
        statistic: 'share of runs with spectra where rank(H0) <= N_Delta',
        paper: 1,
        interval: 'Wilson 95% interval over the family\'s runs with spectra',
        points: fixedNFamilies(tagged, scale).map((f) => {
          const s = f.records.filter((r) => r.spectra);
          const k = s.filter((r) => r.spectra!.rankH0 <= r.results.nDelta).length;
          const i = wilson(k, s.length);
          return { N: f.N, value: s.length ? k / s.length : NaN, low: i.low, high: i.high, series: `L = ${f.family.L}`, inRegime: true, n: s.length };
        }),
      },
    ];
    return {
      verdict: ok ? 'pass' : 'fail',
      measured: `rank(H0) <= N_Delta in ${withSpectra.length - rankViolations.length}/${withSpectra.length} runs with spectra (max rank/N_Delta ${maxRatio.toFixed(3)}); H = 0 in ${fitted.length - nonZero.length}/${fitted.length} fitted runs; none set apart (${apart.dead.length} dead-pattern runs included, and the ${apart.budget.length} budget runs wherever they carry spectra: rank(H0) <= N_Delta holds at any point)`,
      details: [tableBlock(
        ['runs with spectra', 'rank(H0) > N_Delta', 'fitted runs', 'fitted with H != 0'],
        [[withSpectra.length, rankViolations.length, fitted.length, nonZero.length]],
      )],
      figures: [],
      trends,
      values: { withSpectra: withSpectra.length, rankViolations: rankViolations.length, fitted: fitted.length, fittedNonZero: nonZero.length, dead: apart.dead.length, budget: apart.budget.length },
    };
  },
};

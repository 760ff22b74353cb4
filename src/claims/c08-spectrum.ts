import type { Claim } from './claim.ts';
import { fixedNFamilies } from './select.ts';
import { table, fmt } from '../report/markdown.ts';
import { isDeadPatternRun } from '../experiment/transition.ts';
import type { RunRecord } from '../experiment/record.ts';
import type { FamilyTransition } from './select.ts';

/** The jammed (non-dead) runs of a family at the two grid points of P just above P*: nearest jamming. */
export function jammedNearest(f: FamilyTransition): RunRecord[] {
  const Ps = [...new Set(f.records.filter((r) => r.results.verdict === 'jammed' && !isDeadPatternRun(r) && r.results.P >= f.transition.Pstar).map((r) => r.results.P))].sort((a, b) => a - b).slice(0, 2);
  return f.records.filter((r) => Ps.includes(r.results.P) && r.results.verdict === 'jammed' && !isDeadPatternRun(r));
}

export const claim8: Claim = {
  id: 8,
  title: 'Spectrum near jamming: the scale of Hp goes like sqrt(loss); H = 0 above',
  statement: 'Under-parametrized: Hp != 0 with N_Delta growing; at jamming Hp -> 0 as the loss -> 0, the scale of its eigenvalues going like sqrt(loss); over-parametrized: H = 0.',
  source: 'talk "Spectrum of H"; arXiv:1809.09349 Sec. V',
  paperValue: 'max|lambda(Hp)| proportional to sqrt(loss); H = 0 for N > N*',
  passRule: 'Below N*: max|lambda(Hp)| / sqrt(loss) varies by less than a factor 3 across the jammed runs nearest N* (per fixed-N family, the two P grid points above P*; dead-pattern runs apart). Above N*: every fitted run has H = 0 (N_Delta = 0 and loss = 0, so every term of H vanishes).',
  uses: ['fixedN'],
  evaluate(tagged, scale) {
    const fams = fixedNFamilies(tagged, scale).filter((f) => Number.isFinite(f.transition.Pstar));
    const perFamily = fams.map((f) => {
      const runs = jammedNearest(f).filter((r) => r.spectra && r.results.loss > 0);
      const ratios = runs.map((r) => r.spectra!.maxAbsHp / Math.sqrt(r.results.loss));
      return { f, runs, ratios, spread: ratios.length ? Math.max(...ratios) / Math.min(...ratios) : NaN };
    });
    const fitted = fams.flatMap((f) => f.records.filter((r) => r.results.verdict === 'fitted'));
    const hNonZero = fitted.filter((r) => r.results.nDelta !== 0 || r.results.loss !== 0);
    const decided = perFamily.filter((p) => p.ratios.length >= 2);
    const ok = decided.length > 0 && decided.every((p) => p.spread < 3) && hNonZero.length === 0;
    return {
      verdict: decided.length === 0 ? 'inconclusive' : ok ? 'pass' : 'fail',
      measured: `max|lambda(Hp)|/sqrt(loss) spread (max/min) near N*: ${perFamily.map((p) => `N = ${p.f.N}: ${fmt(p.spread)} over ${p.ratios.length} runs`).join(', ')}; H = 0 in ${fitted.length - hNonZero.length}/${fitted.length} fitted runs`,
      details: table(
        ['family', 'runs nearest N*', 'P values', 'loss range', 'max|lambda(Hp)|/sqrt(loss) range', 'spread'],
        perFamily.map((p) => [
          `L = ${p.f.family.L}, N = ${p.f.N}`,
          p.runs.length,
          [...new Set(p.runs.map((r) => r.results.P))].join(', '),
          p.runs.length ? `${fmt(Math.min(...p.runs.map((r) => r.results.loss)))} to ${fmt(Math.max(...p.runs.map((r) => r.results.loss)))}` : '—',
          p.ratios.length ? `${fmt(Math.min(...p.ratios))} to ${fmt(Math.max(...p.ratios))}` : '—',
          p.spread,
        ]),
      ),
      figures: [],
      values: { perFamily: perFamily.map((p) => ({ N: p.f.N, ratios: p.ratios, spread: p.spread })), fitted: fitted.length, fittedNonZero: hNonZero.length },
    };
  },
};

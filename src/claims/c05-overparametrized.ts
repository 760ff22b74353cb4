import type { Claim } from './claim.ts';
import { fixedNFamilies, mnistFamilies } from './select.ts';
import { table, fmt } from '../report/markdown.ts';
import { isDeadPatternRun } from '../experiment/transition.ts';

export const claim5: Claim = {
  id: 5,
  title: 'Over-parametrized phase: every minimum has zero loss for N > N*, and N* < 2P',
  statement: 'For N > N* every minimum found has loss = 0 (N_Delta = 0, H = 0); N* < P / C0, about 2P, since N_Delta <= P.',
  source: 'arXiv:1809.09349 Sec. IV; talk "Upper bound"',
  paperValue: 'all fitted for N > N*; N* < 2P',
  // Dead-pattern runs (SCIENCE.md pitfall) are minima with loss > 0 that the stability argument does
  // not cover (Hp vanishes on their patterns); like claims 3 and 4 this claim lists them apart.
  passRule: 'Every seed is fitted wherever N >= 1.5 N* (fixed-N sweeps: P <= P*/1.5; MNIST width sweeps: N >= 1.5 N*), dead-pattern runs listed apart, and N* < 2P (fixed N: P* > N/2; MNIST: N* < 2P).',
  uses: ['fixedN', 'mnist'],
  evaluate(tagged, scale) {
    const fams = fixedNFamilies(tagged, scale);
    const mn = mnistFamilies(tagged, scale);
    const rows: (string | number)[][] = [];
    let ok = true;
    let decided = 0;
    for (const f of fams) {
      const Pstar = f.transition.Pstar;
      if (!Number.isFinite(Pstar)) {
        rows.push([`random L = ${f.family.L}, N = ${f.N}`, 'no transition in range', '', '', '', '']);
        continue;
      }
      decided++;
      const over = f.records.filter((r) => r.results.P <= Pstar / 1.5);
      const dead = over.filter((r) => r.results.verdict !== 'fitted' && isDeadPatternRun(r));
      const notFitted = over.filter((r) => r.results.verdict !== 'fitted' && !isDeadPatternRun(r));
      const bound = Pstar > f.N / 2;
      if (over.length === 0) decided--; // nothing measured above 1.5 N*: no evidence either way
      ok &&= notFitted.length === 0 && bound;
      rows.push([`random L = ${f.family.L}, N = ${f.N}`, `N*/P = N/P* = ${fmt(f.N / Pstar)}`, over.length, notFitted.length, dead.length, bound ? 'yes' : 'NO']);
    }
    for (const m of mn) {
      const Ns = m.transition.Nstar;
      if (!Number.isFinite(Ns)) {
        rows.push([`MNIST P = ${m.P}, L = ${m.L}`, 'no transition in range', '', '', '', '']);
        continue;
      }
      decided++;
      const over = m.records.filter((r) => r.record.results.N >= 1.5 * Ns);
      const dead = over.filter((r) => r.record.results.verdict !== 'fitted' && isDeadPatternRun(r.record));
      const notFitted = over.filter((r) => r.record.results.verdict !== 'fitted' && !isDeadPatternRun(r.record));
      const bound = Ns < 2 * m.P;
      if (over.length === 0) decided--;
      ok &&= notFitted.length === 0 && bound;
      rows.push([`MNIST P = ${m.P}, L = ${m.L}`, `N*/P = ${fmt(Ns / m.P)}`, over.length, notFitted.length, dead.length, bound ? 'yes' : 'NO']);
    }
    return {
      verdict: decided === 0 ? 'inconclusive' : ok ? 'pass' : 'fail',
      measured: rows.map((r) => (r[2] === '' ? `${r[0]}: ${r[1]}` : `${r[0]}: ${r[1]}, ${r[3]} of ${r[2]} runs at N >= 1.5 N* not fitted (+${r[4]} dead-pattern runs apart), N* < 2P: ${r[5]}`)).join('; '),
      details: table(['sweep', 'N*/P', 'runs at N >= 1.5 N*', 'not fitted', 'dead-pattern runs (apart)', 'N* < 2P'], rows),
      figures: [],
      values: { rows },
    };
  },
};

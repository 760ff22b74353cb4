import type { Claim } from './claim.ts';
import { fixedNFamilies } from './select.ts';
import { table, fmt } from '../report/markdown.ts';
import { isDeadPatternRun, liveNDelta } from '../experiment/transition.ts';
import { mean } from '../stats/describe.ts';
import { nDeltaVsPOverN } from '../report/figures.ts';

export const claim4: Claim = {
  id: 4,
  title: 'The jump: N_Delta >= C0 N with C0 about 0.5',
  statement: 'Whenever the loss is > 0, Hp has N_- = C0 N negative eigenvalues with C0 about 0.5, hence N_Delta >= C0 N at any minimum with loss > 0: N_Delta/N jumps from 0 to at least C0 at the transition.',
  source: 'arXiv:1809.09349 Sec. III-IV; talk "Spectrum of Hp", "Discontinuous jump"',
  paperValue: 'C0 = N_-(Hp)/N about 0.5; N_Delta/N > 0.4 near N*',
  passRule: 'Over the jammed ReLU minima of the fixed-N sweeps (dead-pattern runs set apart): mean N_-(Hp)/N within [0.4, 0.6]; and every jammed minimum with N within a factor 2 of N* (P in [P*/2, 2 P*] at fixed N) has N_Delta/N > 0.4 (the authors\' own cut), counting live patterns only (N_Delta minus dead patterns: the argument N_- <= rank(H0) speaks of them).',
  uses: ['fixedN'],
  evaluate(tagged, scale) {
    const fams = fixedNFamilies(tagged, scale);
    const jammed = fams.flatMap((f) => f.records.filter((r) => r.results.verdict === 'jammed' && r.spectra).map((r) => ({ f, r })));
    const clean = jammed.filter(({ r }) => !isDeadPatternRun(r));
    const dead = jammed.filter(({ r }) => isDeadPatternRun(r));
    const c0s = clean.map(({ r }) => r.spectra!.nNegHp / r.results.N);
    const c0 = mean(c0s);
    const near = clean.filter(({ f, r }) => Number.isFinite(f.transition.Pstar) && r.results.P >= f.transition.Pstar / 2 && r.results.P <= 2 * f.transition.Pstar);
    const below = near.filter(({ r }) => !(liveNDelta(r) / r.results.N > 0.4));
    const ok = clean.length > 0 && c0 >= 0.4 && c0 <= 0.6 && near.length > 0 && below.length === 0;
    const rows = fams.flatMap((f) =>
      f.records.map((r) => ({ PoverN: r.results.P / r.results.N, nDeltaOverN: r.results.nDelta / r.results.N, series: `L = ${f.family.L}, N = ${f.N}${isDeadPatternRun(r) ? ' (dead patterns)' : ''}` })),
    );
    return {
      verdict: clean.length === 0 || near.length === 0 ? 'inconclusive' : ok ? 'pass' : 'fail',
      measured: `C0 = mean N_-(Hp)/N = ${fmt(c0)} over ${clean.length} jammed minima (range ${fmt(Math.min(...c0s))} to ${fmt(Math.max(...c0s))}); near N*: ${near.length - below.length}/${near.length} with live N_Delta/N > 0.4; ${dead.length} dead-pattern runs apart`,
      details: [
        table(
          ['family', 'P*', 'jammed minima', 'mean N_-(Hp)/N', 'min live N_Delta/N near N*', 'dead-pattern runs (apart)'],
          fams.map((f) => {
            const c = clean.filter((x) => x.f === f);
            const n = near.filter((x) => x.f === f);
            return [`L = ${f.family.L}, d = h = ${f.family.width}, N = ${f.N}`, f.transition.Pstar, c.length, mean(c.map(({ r }) => r.spectra!.nNegHp / r.results.N)), Math.min(...n.map(({ r }) => liveNDelta(r) / r.results.N)), dead.filter((x) => x.f === f).length];
          }),
        ),
        below.length
          ? `\nJammed minima near N* with N_Delta/N <= 0.4 (the finding that fails the rule):\n\n${table(
              ['N', 'P', 'seed', 'live N_Delta/N', 'N_-(Hp)/N', 'kinks', 'certificate'],
              below.map(({ r }) => [r.results.N, r.results.P, r.item.config.seed, liveNDelta(r) / r.results.N, r.spectra!.nNegHp / r.results.N, r.results.kinks, r.results.certificate?.kind ?? '']),
            )}`
          : '',
      ].join('\n'),
      figures: [{ name: 'claim4-ndelta-vs-p-over-n', caption: 'N_Delta/N against P/N at fixed N for several depths (the talk\'s central plot); dashed line C0 = 0.5.', spec: nDeltaVsPOverN(rows) }],
      values: { C0: c0, c0s, jammedMinima: clean.length, dead: dead.length, nearNstar: near.length, nearBelow04: below.length },
    };
  },
};

import type { Claim } from './claim.ts';
import { fixedNFamilies } from './select.ts';
import { table, fmt } from '../report/markdown.ts';
import { isDeadPatternRun, liveNDelta } from '../experiment/transition.ts';
import { crossing } from '../experiment/transition.ts';

export const claim7: Claim = {
  id: 7,
  title: 'Sharpness of the transition',
  statement: 'At fixed N, the fraction of runs with N_Delta > 0 goes from 0 to 1 over a narrow window of P/N, and N_Delta/N is bimodal (0 or above C0).',
  source: 'arXiv:1809.09349 Fig. 3 (N about 8000, 128 runs); talk "Sharpness of the transition"',
  paperValue: 'window narrows with N; N_Delta/N either 0 or > C0',
  passRule: 'Among the L = 2 fixed-N families, the P/N window over which the jammed fraction goes from 10% to 90% is narrower at the largest N than at the smallest (sizes a factor >= 2 apart); and no jammed run (dead-pattern runs set apart) has live N_Delta/N in (0.05, 0.35).',
  uses: ['fixedN'],
  evaluate(tagged, scale) {
    const fams = fixedNFamilies(tagged, scale);
    const l2 = fams.filter((f) => f.family.L === 2).sort((a, b) => a.N - b.N);
    const windows = l2.map((f) => {
      const p10 = crossing(f.transition.points, 0.1);
      const p90 = crossing(f.transition.points, 0.9);
      // an unresolved crossing (already jammed at the first grid point) is bounded by the grid spacing
      return { f, p10, p90, width: (p90 - p10) / f.N };
    });
    const small = windows[0];
    const large = windows[windows.length - 1];
    const sizesOk = l2.length >= 2 && large.f.N >= 2 * small.f.N;
    const narrows = sizesOk && Number.isFinite(small.width) && Number.isFinite(large.width) && large.width < small.width;
    const jammed = fams.flatMap((f) => f.records.filter((r) => r.results.verdict === 'jammed'));
    const inGap = (r: (typeof jammed)[number]) => liveNDelta(r) / r.results.N > 0.05 && liveNDelta(r) / r.results.N < 0.35;
    const gap = jammed.filter((r) => !isDeadPatternRun(r) && inGap(r));
    const gapDead = jammed.filter((r) => isDeadPatternRun(r) && r.results.nDelta / r.results.N > 0.05 && r.results.nDelta / r.results.N < 0.35);
    const bimodal = gap.length === 0;
    return {
      verdict: !sizesOk || !Number.isFinite(small.width) || !Number.isFinite(large.width) ? (bimodal ? 'inconclusive' : 'fail') : narrows && bimodal ? 'pass' : 'fail',
      measured: `10%-90% window in P/N: ${windows.map((w) => `N = ${w.f.N}: ${fmt(w.width)}`).join(', ')}; jammed runs with N_Delta/N in (0.05, 0.35): ${gap.length} of ${jammed.length - jammed.filter(isDeadPatternRun).length} (plus ${gapDead.length} dead-pattern runs apart)`,
      details: [
        table(['N', 'P/N at 10% jammed', 'P/N at 90% jammed', 'window'], windows.map((w) => [w.f.N, w.p10 / w.f.N, w.p90 / w.f.N, w.width])),
        gap.length ? `\nRuns in the gap:\n\n${table(['N', 'P', 'seed', 'live N_Delta/N', 'kinks', 'certificate'], gap.map((r) => [r.results.N, r.results.P, r.item.config.seed, liveNDelta(r) / r.results.N, r.results.kinks, r.results.certificate?.kind ?? '']))}` : '',
      ].join('\n'),
      figures: [],
      values: { windows: windows.map((w) => ({ N: w.f.N, p10: w.p10, p90: w.p90, width: w.width })), inGap: gap.length, inGapDead: gapDead.length },
    };
  },
};

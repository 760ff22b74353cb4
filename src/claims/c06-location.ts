import type { Claim } from './claim.ts';
import { fixedNFamilies, mnistFamilies } from './select.ts';
import { table, fmt } from '../report/markdown.ts';
import { powerLawFit } from '../stats/regression.ts';
import { jammingLine } from '../report/figures.ts';

export const claim6: Claim = {
  id: 6,
  title: 'Location of the jamming line',
  statement: 'For random data N* grows linearly with P and does not depend on depth; for MNIST the jamming line is sub-linear (the talk: slope about 3/4 on a log-log (P, N) plot).',
  source: 'arXiv:1809.09349 Fig. 2; talk "Location of the transition", MNIST slide',
  paperValue: 'random: N* proportional to P, independent of L; MNIST: exponent about 3/4',
  passRule: 'Random data, L = 2 fixed-N sweeps at two or more N: the exponent b of N* = a P*^b lies in [0.9, 1.1]; and N*/P (= N/P*) for the depths measured lies within 20% of each other (max/min <= 1.2). MNIST: the exponent of N* against P is reported with its interval beside 3/4 (not part of the verdict).',
  uses: ['fixedN', 'mnist'],
  evaluate(tagged, scale, jammingPoints) {
    const fams = fixedNFamilies(tagged, scale).filter((f) => Number.isFinite(f.transition.Pstar));
    const l2 = fams.filter((f) => f.family.L === 2);
    const fit = powerLawFit(l2.map((f) => f.transition.Pstar), l2.map((f) => f.N));
    const byDepth = new Map<number, number[]>();
    for (const f of fams) byDepth.set(f.family.L, [...(byDepth.get(f.family.L) ?? []), f.N / f.transition.Pstar]);
    const depthRatios = [...byDepth.entries()].map(([L, v]) => [L, v.reduce((a, b) => a + b, 0) / v.length] as const);
    const spread = depthRatios.length > 1 ? Math.max(...depthRatios.map((d) => d[1])) / Math.min(...depthRatios.map((d) => d[1])) : NaN;
    const mn = mnistFamilies(tagged, scale).filter((m) => Number.isFinite(m.transition.Nstar));
    // MNIST N* by the authors' adaptive search where the scale has one (midpoint of its interval, in
    // log N), else from the width grids
    const searches = jammingPoints.filter((j) => Number.isFinite(j.Nlow) && Number.isFinite(j.Nhigh));
    const mP = searches.length >= 2 ? searches.map((j) => j.P) : mn.map((m) => m.P);
    const mN = searches.length >= 2 ? searches.map((j) => Math.sqrt(j.Nlow * j.Nhigh)) : mn.map((m) => m.transition.Nstar);
    const mfit = powerLawFit(mP, mN);
    const decided = l2.length >= 2 && depthRatios.length >= 2;
    const ok = decided && fit.slope >= 0.9 && fit.slope <= 1.1 && spread <= 1.2;
    const interval = (lo: number, hi: number) => (Number.isFinite(lo) ? ` [${fmt(lo)}, ${fmt(hi)}]` : ' (2 points: no interval)');
    const rows = [
      ...fams.map((f) => ({ P: f.transition.Pstar, Nstar: f.N, NstarLow: f.N, NstarHigh: f.N, series: `random, L = ${f.family.L}` })),
      ...mn.map((m) => ({ P: m.P, Nstar: m.transition.Nstar, NstarLow: m.transition.Nlow, NstarHigh: m.transition.Nhigh, series: `MNIST width grid, L = ${m.L}` })),
      ...searches.map((j, i) => ({ P: mP[i], Nstar: mN[i], NstarLow: j.Nlow, NstarHigh: j.Nhigh, series: 'MNIST adaptive search' })),
    ];
    return {
      verdict: decided ? (ok ? 'pass' : 'fail') : 'inconclusive',
      measured: `random L = 2: exponent ${fmt(fit.slope)}${interval(fit.slopeLow, fit.slopeHigh)}; N*/P by depth ${depthRatios.map(([L, r]) => `L=${L}: ${fmt(r)}`).join(', ')} (spread ${fmt(spread)}); MNIST exponent ${fmt(mfit.slope)}${interval(mfit.slopeLow, mfit.slopeHigh)} vs 3/4`,
      details: [
        table(['random family', 'N', 'P* (50% jammed)', 'P* interval', 'N*/P'], fams.map((f) => [`L = ${f.family.L}, d = h = ${f.family.width}`, f.N, f.transition.Pstar, `[${fmt(f.transition.Plow)}, ${fmt(f.transition.Phigh)}]`, f.N / f.transition.Pstar])),
        '',
        table(['MNIST P', 'L', 'N* (50%)', 'N* interval (largest N jammed, smallest N all fitted)', 'N*/P'], mn.map((m) => [m.P, m.L, m.transition.Nstar, `[${fmt(m.transition.Nlow)}, ${fmt(m.transition.Nhigh)}]`, m.transition.Nstar / m.P])),
        '',
        jammingPoints.length
          ? table(['adaptive search (authors\' rule + bisection)', 'N* interval', 'probes (h: fitted/jammed/runs)'], jammingPoints.map((j) => [j.label, `[${fmt(j.Nlow)}, ${fmt(j.Nhigh)}]`, j.probes.map((p) => `${p.h}: ${p.fitted}/${p.jammed}/${p.runs}`).join(', ')]))
          : '',
      ].join('\n'),
      figures: [
        {
          name: 'claim6-jamming-line',
          caption: 'N* against P on log-log axes: random data (fixed-N sweeps, N* = N at P*) and MNIST (width sweeps at fixed P), with fitted exponents.',
          spec: jammingLine(rows, [
            ...(l2.length >= 2 ? [{ series: 'random, L = 2', exponent: fit.slope, prefactor: fit.prefactor }] : []),
            ...(mP.length >= 2 ? [{ series: searches.length >= 2 ? 'MNIST adaptive search' : `MNIST width grid, L = ${mn[0].L}`, exponent: mfit.slope, prefactor: mfit.prefactor }] : []),
          ]),
        },
      ],
      values: { randomExponent: fit, depthRatios, depthSpread: spread, mnistExponent: mfit },
    };
  },
};

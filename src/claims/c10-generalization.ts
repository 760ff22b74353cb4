import type { Claim } from './claim.ts';
import { mnistFamilies } from './select.ts';
import { table, fmt } from '../report/markdown.ts';
import { mean, sem } from '../stats/describe.ts';
import { spearman } from '../stats/spearman.ts';
import { testErrorVsN } from '../report/figures.ts';

export const claim10: Claim = {
  id: 10,
  title: 'Generalization: a cusp of the test error at N*',
  statement: 'As N grows at fixed P (MNIST parity) the test error decays, rises to a cusp at N*, then decreases monotonically for N > N* towards a plateau.',
  source: 'arXiv:1810.09665 Fig. 1; talk "Generalization"',
  paperValue: 'local maximum of the test error at N*, monotone decrease above',
  passRule: 'On the first MNIST width sweep (the one with most seeds): the mean test error over seeds has a local maximum with N in [N*/1.5, 1.5 N*] that exceeds both the lowest mean error over [N*/4, N*/1.5] and the error at the width nearest 3 N* by more than two standard errors (of the difference), and the test error decreases for N > 1.5 N* (Spearman rho < 0 over the runs there, one-sided p < 0.05). The other sweeps are reported.',
  uses: ['mnist'],
  evaluate(tagged, scale) {
    const fams = mnistFamilies(tagged, scale);
    const analyse = (m: (typeof fams)[number]) => {
      const Ns = m.transition.Nstar;
      const byN = new Map<number, number[]>();
      for (const t of m.records) if (t.record.test) byN.set(t.record.results.N, [...(byN.get(t.record.results.N) ?? []), t.record.test.error]);
      const pts = [...byN.entries()].sort((a, b) => a[0] - b[0]).map(([N, e]) => ({ N, mean: mean(e), sem: e.length > 1 ? sem(e) : NaN, n: e.length }));
      if (!Number.isFinite(Ns) || pts.length < 4) return { m, Ns, pts, ok: false, decided: false, note: 'no transition or too few widths' };
      const inWin = (p: { N: number }, lo: number, hi: number) => p.N >= lo && p.N <= hi;
      const peakCands = pts.filter((p, i) => inWin(p, Ns / 1.5, 1.5 * Ns) && (i === 0 || p.mean >= pts[i - 1].mean) && (i === pts.length - 1 || p.mean >= pts[i + 1].mean));
      const peak = peakCands.sort((a, b) => b.mean - a.mean)[0];
      const below = pts.filter((p) => inWin(p, Ns / 4, Ns / 1.5));
      const low = below.sort((a, b) => a.mean - b.mean)[0];
      const far = pts.reduce((a, b) => (Math.abs(Math.log(b.N / (3 * Ns))) < Math.abs(Math.log(a.N / (3 * Ns))) ? b : a));
      const se = (a: { sem: number }, b: { sem: number }) => Math.sqrt((a.sem || 0) ** 2 + (b.sem || 0) ** 2);
      const aboveRuns = m.records.filter((t) => t.record.test && t.record.results.N > 1.5 * Ns);
      const sp = spearman(aboveRuns.map((t) => t.record.results.N), aboveRuns.map((t) => t.record.test!.error));
      const peakOk = !!peak && !!low && peak.mean - low.mean > 2 * se(peak, low) && far.N > 1.5 * Ns && peak.mean - far.mean > 2 * se(peak, far);
      const decOk = sp.rho < 0 && sp.pNegative < 0.05;
      return { m, Ns, pts, peak, low, far, sp, ok: peakOk && decOk, decided: !!low && far.N > 1.5 * Ns && aboveRuns.length >= 3, note: '' };
    };
    const results = fams.map(analyse);
    const main = results[0];
    const rows = fams.flatMap((m) => {
      const r = results.find((x) => x.m === m)!;
      return r.pts.map((p) => ({ NoverNstar: p.N / r.Ns, testError: p.mean, sem: p.sem, series: `P = ${m.P}, L = ${m.L}` }));
    });
    const line = (r: (typeof results)[number]) =>
      r.peak
        ? `P = ${r.m.P}: N* = ${fmt(r.Ns)}, peak ${fmt(r.peak.mean)} at N = ${r.peak.N} vs low ${fmt(r.low?.mean ?? NaN)} below and ${fmt(r.far?.mean ?? NaN)} at N = ${r.far?.N}; Spearman rho above 1.5 N* = ${fmt(r.sp?.rho ?? NaN)} (p = ${fmt(r.sp?.pNegative ?? NaN)})`
        : `P = ${r.m.P}: no local maximum of the mean test error within [N*/1.5, 1.5 N*] (N* = ${fmt(r.Ns)}) ${r.note}`;
    return {
      verdict: !main || !main.decided ? (main && main.peak === undefined && Number.isFinite(main.Ns) ? 'fail' : 'inconclusive') : main.ok ? 'pass' : 'fail',
      measured: results.map(line).join('; '),
      details: results
        .map((r) => `MNIST P = ${r.m.P}, L = ${r.m.L} (N* = ${fmt(r.Ns)}):\n\n${table(['N', 'N/N*', 'mean test error', 'SEM', 'seeds'], r.pts.map((p) => [p.N, p.N / r.Ns, p.mean, p.sem, p.n]))}`)
        .join('\n\n'),
      figures: rows.length ? [{ name: 'claim10-test-error', caption: 'Mean test error (MNIST parity) against N/N*, error bars one standard error; the line marks N = N*.', spec: testErrorVsN(rows) }] : [],
      values: { sweeps: results.map((r) => ({ P: r.m.P, Nstar: r.Ns, points: r.pts, spearman: r.sp, pass: r.ok })) },
    };
  },
};

import { describe, it, expect } from 'vitest';
import { renderDetails } from '../../src/report/details.ts';
import { claim6 } from '../../src/claims/c06-location.ts';
import { fixedNSweep, mnistSweep, scaleOf, seedsFrom } from './fixtures.ts';
import type { FixedNFamily, MnistFamily } from '../../src/experiment/scales.ts';
import { familyN } from '../../src/experiment/scales.ts';

/**
 * Claim 6 on synthetic sweeps where the truth is set: P* over N as a function of N and L for random
 * data, N* as a function of P for MNIST.
 * Each seed s of k jams above its own threshold, spread by +-20% around the truth, so the
 * bootstrap over seeds has something to resample.
 */
const ratios = [1.8, 2, 2.2, 2.4, 2.6, 2.8, 3, 3.2, 3.4];
const seeds = seedsFrom(100, 8);
const l2: FixedNFamily[] = [12, 16, 20, 24].map((width) => ({ L: 2, width, ratios, seeds }));
const l3: FixedNFamily = { L: 3, width: 14, ratios, seeds }; // N = 602, nearest L = 2: N = 528
const narrow: FixedNFamily = { L: 3, width: 7, ratios, seeds }; // N = 154: outside the regime
const mnist: MnistFamily[] = [1000, 3000].map((P) => ({ P, L: 2, widths: Array.from({ length: 40 }, (_, i) => i + 3), seeds: seedsFrom(100, 6), dataSeed: 0, nTest: 100 }));

function world(opts: { pstarOverN?: (N: number, L: number) => number; mnistExponent?: number } = {}) {
  const pn = opts.pstarOverN ?? (() => 2.6);
  const b = opts.mnistExponent ?? 0.75;
  const fams = [...l2, l3, narrow];
  const tagged = [
    ...fams.flatMap((f) => fixedNSweep(f, ({ ratio, N, s, k }) => (ratio > pn(N, f.L) * (1 + 0.2 * ((s + 0.5) / k - 0.5)) ? { liveNDelta: Math.round(0.6 * N) } : {}))),
    ...mnist.flatMap((m) => mnistSweep(m, ({ N, s, k }) => (N < 190 * (m.P / 1000) ** b * (1 + 0.3 * ((s + 0.5) / k - 0.5)) ? { liveNDelta: Math.round(0.3 * N) } : {}))),
  ];
  return { tagged, scale: scaleOf({ fixedN: fams, mnist }) };
}

describe('claim 6: location, in the regime, depths at equal N', () => {
  it('passes when P*/N is the same at every N and depth and the MNIST line is sub-linear', () => {
    const { tagged, scale } = world();
    const r = claim6.decide(tagged, scale, []);
    expect(r.verdict, r.measured).toBe('pass');
    const v = r.values as { depthPairs: { N: number; refN: number }[] };
    expect(v.depthPairs.map((p) => [p.N, p.refN])).toEqual([[familyN(l3), familyN(l2[1])]]);
    expect(r.trends[0].paper).toBe(3);
    expect(r.trends[0].points.find((p) => p.N === familyN(narrow))!.inRegime).toBe(false);
  });
  it('fails when the deeper family jams at a P*/N 1.5 times that of the L = 2 family of equal N', () => {
    const { tagged, scale } = world({ pstarOverN: (_N, L) => (L === 3 ? 1.6 * 2 : 2) });
    const r = claim6.decide(tagged, scale, []);
    expect(r.verdict).toBe('fail');
    expect(r.measured).toMatch(/\(b\) depth at equal N \(fail\): L = 3, N = 602 vs L = 2, N = 528: P\*\/N ratio 1\.\d+ .*\(fail\)/);
  });
  it('fails when N* grows like P^1.25 (P*/N falling with N), not linearly', () => {
    const { tagged, scale } = world({ pstarOverN: (N) => 2.8 * (N / 300) ** -0.2 });
    const r = claim6.decide(tagged, scale, []);
    expect(r.verdict).toBe('fail');
    expect(r.measured).toMatch(/\(a\) random L = 2 in the regime: exponent 1\.2\d* .*\(fail\)/);
  });
  it('fails when the MNIST line is super-linear (N* ~ P^1.4)', () => {
    const { tagged, scale } = world({ mnistExponent: 1.4 });
    const r = claim6.decide(tagged, scale, []);
    expect(r.verdict).toBe('fail');
    expect(r.measured).toMatch(/\(c\) MNIST in the regime: exponent 1\.\d+ .*\(fail\)/);
  });
  it('a deeper family of equal N but narrow layers is compared with N_eff when dead units matter', () => {
    // L = 5, d = h = 8 (N = 328): a quarter of its weights dead; it jams at P* = 2.6 N_eff
    const l5: FixedNFamily = { L: 5, width: 8, ratios: [1.6, 1.8, 2, 2.2, 2.4, 2.6], seeds };
    const base = world();
    const tagged = [...base.tagged, ...fixedNSweep(l5, ({ ratio, N, s, k }) => ({ effectiveN: Math.round(0.75 * N), ...(ratio > 0.75 * 2.6 * (1 + 0.2 * ((s + 0.5) / k - 0.5)) ? { liveNDelta: Math.round(0.6 * N) } : {}) }))];
    const r = claim6.decide(tagged, scaleOf({ fixedN: [...base.scale.fixedN, l5], mnist }), []);
    expect(r.verdict, r.measured).toBe('pass');
    expect(r.measured).toMatch(/L = 5, N = 328 vs L = 2, N = 300: P\*\/N ratio (0\.9\d+|1\.0\d*) \S+ \S+ \(pass\)/);
    expect(renderDetails(r.details)).toMatch(/\| L = 5, d = h = 8, N = 328 \| decides \| 328 \| 246 \|/);
  });
  it('a narrow deeper family (outside the regime) that disagrees does not decide', () => {
    const { tagged, scale } = world({ pstarOverN: (N, L) => (L === 3 && N < 200 ? 1.4 : 2.6) });
    expect(claim6.decide(tagged, scale, []).verdict).toBe('pass');
  });
});

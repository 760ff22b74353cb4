import { describe, it, expect } from 'vitest';
import { renderDetails } from '../../src/report/details.ts';
import { claim6 } from '../../src/claims/c06-location.ts';
import { fixedNSweep, mnistSweep, scaleOf, seedsFrom } from './fixtures.ts';
import type { FixedNFamily, MnistFamily } from '../../src/experiment/scales.ts';
import { familyN } from '../../src/experiment/scales.ts';

/**
 * Claim 6 on synthetic sweeps where the truth is set: P* over N as a function of N and L for random
 * data, N* as a function of P for MNIST.
 * Each seed s of k jams above its own threshold, spread by +-20% around the truth, so the jammed
 * fraction rises over several grid points and the logistic fit has a slope to find.
 */
const ratios = [1.8, 2, 2.2, 2.4, 2.6, 2.8, 3, 3.2, 3.4];
const seeds = seedsFrom(100, 8);
const l2: FixedNFamily[] = [12, 16, 20, 24].map((width) => ({ L: 2, width, ratios, seeds }));
const l3: FixedNFamily = { L: 3, width: 14, ratios, seeds }; // N = 602, nearest L = 2: N = 528 (a factor 1.14)
const narrow: FixedNFamily = { L: 3, width: 7, ratios, seeds }; // N = 154, width 7: outside the regime
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

describe('claim 6: location, in the regime, depths at equal width and N', () => {
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
    expect(r.measured).toMatch(/\(b\) depth at equal width and N \(fail\): L = 3, N = 602 vs L = 2, N = 528: P\*\/N ratio 1\.\d+ .*\(fail\)/);
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
  it('the full scale\'s pair: L = 3, h = 12 (N = 444) against L = 2, h = 15 (N = 465); passes at equal P*/N, fails at 1.5 times it', () => {
    const pair: FixedNFamily[] = [{ L: 2, width: 15, ratios, seeds }, { L: 3, width: 12, ratios, seeds }, { L: 2, width: 24, ratios, seeds }];
    const run = (deep: number) => {
      const tagged = pair.flatMap((f) => fixedNSweep(f, ({ ratio, N, s, k }) => (ratio > (f.L === 3 ? deep : 2) * (1 + 0.2 * ((s + 0.5) / k - 0.5)) ? { liveNDelta: Math.round(0.6 * N) } : {})));
      return claim6.decide(tagged, scaleOf({ fixedN: pair }), []);
    };
    const same = run(2);
    expect((same.values as { depthPairs: { N: number; refN: number; verdict: string }[] }).depthPairs).toMatchObject([{ N: 444, refN: 465, verdict: 'pass' }]);
    const deeperLater = run(3);
    expect(deeperLater.verdict).toBe('fail');
    expect(deeperLater.measured).toMatch(/L = 3, N = 444 vs L = 2, N = 465: P\*\/N ratio 1\.\d+ .*\(fail\)/);
  });
  it('a deeper family with layers narrower than 12 is outside the depth regime, and one with no L = 2 family within a factor 1.2 in N is undecided', () => {
    // L = 5, d = h = 8 (N = 328) jamming at half the P*/N: the old rule compared it (with N_eff); now it does not decide
    const l5: FixedNFamily = { L: 5, width: 8, ratios, seeds };
    const base = world();
    const tagged = [...base.tagged, ...fixedNSweep(l5, ({ ratio, N }) => (ratio > 1.9 ? { liveNDelta: Math.round(0.6 * N) } : {}))];
    const r = claim6.decide(tagged, scaleOf({ fixedN: [...base.scale.fixedN, l5], mnist }), []);
    expect(r.verdict, r.measured).toBe('pass');
    expect(renderDetails(r.details)).toMatch(/\| L = 5, d = h = 8, N = 328 \| outside the regime \|/);
    // L = 3, d = h = 30 (N = 2730): no L = 2 family of the world within a factor 1.2
    const far: FixedNFamily = { L: 3, width: 30, ratios, seeds };
    const t2 = [...base.tagged, ...fixedNSweep(far, ({ ratio, N }) => (ratio > 2.6 ? { liveNDelta: Math.round(0.6 * N) } : {}))];
    const v = claim6.decide(t2, scaleOf({ fixedN: [...base.scale.fixedN, far], mnist }), []).values as { depthPairs: { N: number; verdict: string }[] };
    expect(v.depthPairs.find((p) => p.N === familyN(far))!.verdict).toBe('inconclusive');
  });
  it('the old defect is gone: every seed agreeing, P* between two grid points, the interval of P*/N holds both of them', () => {
    // every seed fitted at P/N = 2.4, jammed at 2.6: the midpoint rule gave the interval [2.498, 2.498]
    const fam = l2[0];
    const tagged = fixedNSweep(fam, ({ ratio, N }) => (ratio > 2.5 ? { liveNDelta: Math.round(0.6 * N) } : {}));
    const r = claim6.decide(tagged, scaleOf({ fixedN: [fam] }), []);
    const [f] = (r.values as { families: { PstarOverN: number; interval: { low: number; high: number } }[] }).families;
    expect(f.PstarOverN).toBeGreaterThan(2.4);
    expect(f.PstarOverN).toBeLessThan(2.6);
    expect(f.interval.low).toBeLessThanOrEqual(2.4);
    expect(f.interval.high).toBeGreaterThanOrEqual(2.6);
  });
  it('states the new rule', () => {
    expect(claim6.passRule).toMatch(/^P\* from a Firth-penalised logistic fit of the jammed fraction in log P over every run .*95% interval by parametric bootstrap \(1000 resamples\)/);
    expect(claim6.ruleChange).toMatch(/Was: .*Now: .*Why: /s);
  });
  it('a narrow deeper family (outside the regime) that disagrees does not decide', () => {
    const { tagged, scale } = world({ pstarOverN: (N, L) => (L === 3 && N < 200 ? 1.4 : 2.6) });
    expect(claim6.decide(tagged, scale, []).verdict).toBe('pass');
  });
});

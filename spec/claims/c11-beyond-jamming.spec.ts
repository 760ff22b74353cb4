import { describe, it, expect } from 'vitest';
import { claim11, plateauFit, fluctuation, ensembleGain, ensembleOf } from '../../src/claims/c11-beyond-jamming.ts';
import { heldOutLabels, errorOf } from '../../src/claims/heldOut.ts';
import { mnistSweep, scaleOf, seedsFrom, type RunSpec } from './fixtures.ts';
import type { MnistFamily } from '../../src/experiment/scales.ts';
import { createRng } from '../../src/util/prng.ts';

/**
 * Claim 11 on synthetic networks beyond jamming. Every network of a width sees the same held-out
 * set (one data seed; only the initialisation differs) and outputs f = y (m + sigma(N) z): m is the
 * infinite-width margin of the pattern, with a density rising linearly through 0, and z a fresh
 * standard normal per network and pattern. Then eps(N) - eps_inf = sigma^2 / 16 (the density's
 * slope times sigma^2 / 2), so sigma ~ N^(-1/4) gives the papers' N^(-1/2), and averaging over
 * networks removes most of the excess, most where sigma is largest: just beyond N*.
 */
const P = 1000;
const nTest = 30_000;
const widths = [4, 6, 8, 10, 12, 16, 20, 24, 32, 40, 48, 64];
const fam: MnistFamily = { P, L: 2, widths, seeds: seedsFrom(100, 8), dataSeed: 100, nTest };
const Nstar = 200;
const labels = Array.from({ length: nTest }, (_, i) => ((P + i) % 2 === 0 ? 1 : -1));
// margins: quantiles of the density (m + 1.5)/8 on [-1.5, 2.5], in a scrambled order
const margins = Array.from({ length: nTest }, (_, i) => 4 * Math.sqrt(((i * 7919) % nTest + 0.5) / nTest) - 1.5);

function world(sigma: (N: number) => number, opts: { sameData?: boolean; outputs?: boolean } = {}) {
  const tagged = mnistSweep(fam, ({ h, N, seed, s, k }): Partial<RunSpec> => {
    const jammed = N < Nstar * (1 + 0.2 * ((s + 0.5) / k - 0.5));
    const rng = createRng(seed * 1009 + h);
    const outputs = margins.map((m, i) => labels[i] * (m + sigma(N) * rng.normal()));
    const error = errorOf(outputs, labels);
    return {
      ...(jammed ? { liveNDelta: Math.round(0.3 * N) } : {}),
      data: { kind: 'mnist', P, d: 10, seed: opts.sameData === false ? seed : 7, nTest },
      test: { P: nTest, error, loss: 0.1, ...(opts.outputs === false ? {} : { outputs }) },
    };
  });
  return { tagged, scale: scaleOf({ mnist: [fam] }) };
}

const papers = (N: number) => 0.5 * (N / 432) ** -0.25;

describe('claim 11: beyond jamming (1901.01608)', () => {
  it('the plateau fit recovers a = 1/2 and a = 1 from exact curves', () => {
    const Ns = [400, 800, 1600, 3200, 6400];
    expect(plateauFit(Ns, Ns.map((N) => 0.1 + 2 * N ** -0.5)).a).toBeCloseTo(0.5, 1);
    expect(plateauFit(Ns, Ns.map((N) => 0.1 + 30 * N ** -1)).a).toBeCloseTo(1, 1);
  });
  it('held-out labels follow the interleaved parity order and reproduce the stored error', () => {
    const { tagged } = world(papers);
    const r = tagged[tagged.length - 1].record;
    expect(heldOutLabels(r)).toEqual(labels);
    const wrong = { ...r, test: { ...r.test!, error: r.test!.error + 0.01 } };
    expect(heldOutLabels(wrong as typeof r)).toBeUndefined();
  });
  it('fluctuation and ensemble gain on a hand-checked case', () => {
    const rs = [[1, -1, 3], [3, 1, 3]].map((outputs) => ({ test: { outputs } }) as never);
    const e = ensembleOf(10, rs, [1, 1, 1]);
    expect(fluctuation(e)).toBeCloseTo(Math.sqrt((2 + 2 + 0) / 3), 12);
    // labels +1: single errors 1/3 and 0, the average [2, 0, 3] errs on one pattern (f = 0 counts as an error)
    expect(ensembleGain(e)).toBeCloseTo(1 / 6 - 1 / 3, 12);
    // a resample that draws the first network twice: no spread, no gain
    expect(fluctuation(e, [2, 0])).toBe(0);
    expect(ensembleGain(e, [2, 0])).toBe(0);
  });
  it('passes when fluctuations fall like N^(-1/4), the error approaches its plateau like N^(-1/2), and ensembles help most near N*', () => {
    const { tagged, scale } = world(papers);
    const r = claim11.decide(tagged, scale, []);
    expect(r.verdict, r.measured).toBe('pass');
    expect(r.measured).toMatch(/eps_inf = [\d.]+ \(error of the averaged output at the largest width\)/);
    expect(r.trends[0].powerLaw?.exponent).toBe(-0.25);
  });
  it('fails when the fluctuations do not depend on N', () => {
    const { tagged, scale } = world(() => 0.4);
    const r = claim11.decide(tagged, scale, []);
    expect(r.verdict, r.measured).toBe('fail');
    expect((r.values as { parts: { fluctuations: string } }).parts.fluctuations).toBe('fail');
  });
  it('fails when the fluctuations fall like N^(-1/2)', () => {
    const { tagged, scale } = world((N) => 0.5 * (N / 432) ** -0.5);
    expect(claim11.decide(tagged, scale, []).verdict).toBe('fail');
  });
  it('without held-out outputs, (b) and (c) cannot be measured: inconclusive, never pass', () => {
    const { tagged, scale } = world(papers, { outputs: false });
    const r = claim11.decide(tagged, scale, []);
    expect(r.verdict).toBe('inconclusive');
    expect(r.measured).toMatch(/no held-out outputs/);
  });
  it('is inconclusive when each seed has its own held-out set (no fluctuation between initialisations to measure)', () => {
    const { tagged, scale } = world(papers, { sameData: false });
    const r = claim11.decide(tagged, scale, []);
    expect(r.verdict).toBe('inconclusive');
    expect(r.measured).toMatch(/same held-out set/);
  });
});

import { describe, it, expect } from 'vitest';
import { claim10 } from '../../src/claims/c10-generalization.ts';
import { mnistSweep, scaleOf, seedsFrom, jitter, type RunSpec } from './fixtures.ts';
import type { MnistFamily } from '../../src/experiment/scales.ts';

/**
 * Claim 10 on synthetic MNIST width sweeps. The sweep with most seeds (P = 1000, N* about 200) has
 * the papers' curve: decay, a cusp at N*, a slow decrease above; early stopping follows the same
 * curve without the cusp. A smaller sweep listed first (P = 300, 3 seeds) has no cusp: the rule
 * names the sweep with most seeds, and the claim must read that one.
 */
const widths = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 20, 24, 28, 32, 40, 48];
const small: MnistFamily = { P: 300, L: 2, widths, seeds: seedsFrom(100, 3), dataSeed: 0, nTest: 100 };
const main: MnistFamily = { P: 1000, L: 2, widths, seeds: seedsFrom(100, 10), dataSeed: 0, nTest: 100 };
const Nstar = 200;

const smooth = (N: number) => 0.1 + 0.25 * Math.exp(-N / 40) + 0.02 * Math.sqrt(Nstar / N);
const bump = (N: number) => 0.04 * Math.exp(-(Math.log(N / Nstar) ** 2) / (2 * 0.2 ** 2));

function sweep(m: MnistFamily, Ns: number, final: (N: number) => number, early: ((N: number) => number) | undefined) {
  return mnistSweep(m, ({ N, seed, s, k }): Partial<RunSpec> => {
    const noise = (t: number) => 0.004 * jitter(seed, N, t);
    const jammed = N < Ns * (1 + 0.2 * ((s + 0.5) / k - 0.5));
    return {
      ...(jammed ? { liveNDelta: Math.round(0.3 * N) } : {}),
      test: {
        P: 100,
        error: final(N) + noise(1),
        loss: 0.1,
        ...(early ? { earlyStopped: { step: 1000, validationError: early(N), error: early(N) + noise(2), finalErrorSameHalf: final(N) + noise(3) } } : {}),
      },
    };
  });
}

const world = (opts: { early?: (N: number) => number; final?: (N: number) => number } = {}) => {
  const final = opts.final ?? ((N: number) => smooth(N) + bump(N));
  const early = 'early' in opts ? opts.early : smooth;
  const tagged = [...sweep(small, 70, (N) => 0.2 + 0.2 * Math.exp(-N / 30), early), ...sweep(main, Nstar, final, early)];
  return { tagged, scale: scaleOf({ mnist: [small, main] }) };
};

describe('claim 10: the cusp at N*, on the sweep with most seeds, and the early-stopping control', () => {
  it('passes when the test error has a cusp at N* that early stopping removes', () => {
    const { tagged, scale } = world();
    const r = claim10.decide(tagged, scale, []);
    expect(r.verdict, r.measured).toBe('pass');
    expect(r.measured).toMatch(/MNIST P = 1000, L = 2 \(decides\)/);
    expect((r.values as { decidingSweep: { P: number } }).decidingSweep.P).toBe(1000);
  });
  it('reads the sweep with the most seeds, not the first one (which has no cusp)', () => {
    const { tagged, scale } = world();
    const r = claim10.decide(tagged, scale, []);
    const sweeps = (r.values as { sweeps: { P: number; verdict: string }[] }).sweeps;
    expect(sweeps[0]).toMatchObject({ P: 300, verdict: 'fail' });
    expect(r.verdict).toBe('pass');
  });
  it('reports the cusp height as how far the peak stands above both sides: none for the early-stopped curve, which only decreases', () => {
    const { tagged, scale } = world();
    const r = claim10.decide(tagged, scale, []);
    const [end, early] = r.trends!;
    const at = (t: typeof end) => t.points.find((p) => p.series === 'MNIST P = 1000, L = 2')!;
    expect(at(end).value).toBeGreaterThan(0.01);
    // smooth(N) decreases, so the early-stopped error at N* is above that near 3 N* but not above the low below N*
    expect(at(early).value).toBeLessThanOrEqual(0);
  });
  it('fails when early stopping leaves the peak in place', () => {
    const { tagged, scale } = world({ early: (N) => smooth(N) + bump(N) });
    const r = claim10.decide(tagged, scale, []);
    expect(r.verdict, r.measured).toBe('fail');
    expect((r.values as { sweeps: { P: number; control: string }[] }).sweeps[1].control).toBe('fail');
  });
  it('fails without a cusp at N*', () => {
    const { tagged, scale } = world({ final: smooth });
    expect(claim10.decide(tagged, scale, []).verdict).toBe('fail');
  });
  it('is inconclusive (not pass) when the records carry no early-stopped errors', () => {
    const { tagged, scale } = world({ early: undefined });
    expect(claim10.decide(tagged, scale, []).verdict).toBe('inconclusive');
  });
});

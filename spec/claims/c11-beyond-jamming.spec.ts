import { describe, it, expect } from 'vitest';
import {
  claim11,
  plateauFit,
  fluctuationFit,
  widthsBeyond,
  normPeak,
  FIT_FROM,
} from '../../src/claims/c11-beyond-jamming.ts';
import {
  countsOf,
  ensembleError,
  ensembleGain,
  ensembleOf,
  ensembles,
  extrapolatedError,
  fluctuation,
  gainAtSize,
  gainBySize,
  indices,
  meanOutputNorm,
} from '../../src/claims/ensemble.ts';
import { bca, normalQuantile } from '../../src/claims/bca.ts';
import { bootstrap } from '../../src/claims/intervals.ts';
import { heldOutLabels, errorOf } from '../../src/claims/heldOut.ts';
import { normalCdf } from '../../src/stats/distributions.ts';
import { jitter, mnistSweep, scaleOf, seedsFrom, type RunSpec } from './fixtures.ts';
import type { MnistFamily } from '../../src/experiment/scales.ts';
import type { ClaimOutcome } from '../../src/claims/claim.ts';
import { createRng } from '../../src/util/prng.ts';

/**
 * Claim 11 on synthetic networks beyond jamming. Every network of a width sees the same held-out
 * set (one data seed; only the initialisation differs) and outputs f = y (m + s z): m is the
 * infinite-width margin of the pattern, with a density rising linearly through 0, and z a fresh
 * standard normal per network and pattern. Then eps(N) - eps_inf = s^2 / 16 (the density's slope
 * times s^2 / 2), so s ~ N^(-1/4) far from N* gives the papers' N^(-1/2), and averaging over
 * networks removes most of the excess, most where s is largest: just beyond N*. Near N* the
 * fluctuations diverge (1901.01608: ||f|| ~ (N - N*)^(-1)), capped at 30 and cut off well before
 * FIT_FROM N*, so that the far law alone sets sigma in the fit window. Each network's s carries its
 * own factor exp(0.2 sqrt(3) u), u uniform in [-1, 1] (networks differ, as real ones do).
 */
const P = 1000;
const nTest = 20_000;
const widths = [3, 4, 5, 6, 8, 10, 12, 16, 24, 32, 48, 64, 96, 128];
const fam: MnistFamily = { P, L: 2, widths, seeds: seedsFrom(100, 8), dataSeed: 100, nTest };
const Nstar = 100;
const labels = Array.from({ length: nTest }, (_, i) => ((P + i) % 2 === 0 ? 1 : -1));
// margins: quantiles of the density (m + 1.5)/8 on [-1.5, 2.5], in a scrambled order
const margins = Array.from({ length: nTest }, (_, i) => 4 * Math.sqrt(((i * 7919) % nTest + 0.5) / nTest) - 1.5);
const divergence = (N: number) => Math.min(30, Nstar / Math.abs(N - Nstar)) * Math.exp(-((N / (3 * Nstar)) ** 2));

interface World {
  /** s far from N*, without the divergence */
  far: (N: number) => number;
  diverges?: boolean;
  sameData?: boolean;
  outputs?: boolean;
}

function world({ far, diverges = true, sameData = true, outputs: keep = true }: World) {
  const tagged = mnistSweep(fam, ({ h, N, seed, s, k }): Partial<RunSpec> => {
    const jammed = N < Nstar * (1 + 0.2 * ((s + 0.5) / k - 0.5));
    const rng = createRng(seed * 1009 + h);
    const scale = Math.hypot(far(N), diverges ? divergence(N) : 0) * Math.exp(0.2 * Math.sqrt(3) * jitter(seed, h));
    const outputs = margins.map((m, i) => labels[i] * (m + scale * rng.normal()));
    const error = errorOf(outputs, labels);
    return {
      ...(jammed ? { liveNDelta: Math.round(0.3 * N) } : {}),
      data: { kind: 'mnist', P, d: 10, seed: sameData ? 7 : seed, nTest },
      test: { P: nTest, error, loss: 0.1, ...(keep ? { outputs } : {}) },
    };
  });
  return { tagged, scale: scaleOf({ mnist: [fam] }) };
}

const papers = (N: number) => 0.5 * (N / 2000) ** -0.25;
/** slope -1 from 1.5 N* to 7 N*, the papers' -1/4 beyond (and flat below 1.5 N*) */
const crossover = (N: number) => {
  const x = Math.max(N, 1.5 * Nstar) / (7 * Nstar);
  return x <= 1 ? papers(7 * Nstar) / x : papers(N);
};

type Parts = { plateau: string; fluctuations: string; ensembles: string; norm: string };
const partsOf = (r: ClaimOutcome) => (r.values as { parts: Parts }).parts;

let papersOutcome: ClaimOutcome | undefined;
const decidedPapers = () => {
  if (!papersOutcome) {
    const { tagged, scale } = world({ far: papers });
    papersOutcome = claim11.decide(tagged, scale, []);
  }
  return papersOutcome;
};

describe('claim 11: beyond jamming (1901.01608)', () => {
  it('the plateau fit recovers a = 1/2 and a = 1 from exact curves', () => {
    const Ns = [400, 800, 1600, 3200, 6400];
    expect(plateauFit(Ns, Ns.map((N) => 0.1 + 2 * N ** -0.5)).a).toBeCloseTo(0.5, 1);
    expect(plateauFit(Ns, Ns.map((N) => 0.1 + 30 * N ** -1)).a).toBeCloseTo(1, 1);
  });
  it('held-out labels follow the interleaved parity order and reproduce the stored error', () => {
    const { tagged } = world({ far: papers });
    const r = tagged[tagged.length - 1].record;
    expect(heldOutLabels(r)).toEqual(labels);
    const wrong = { ...r, test: { ...r.test!, error: r.test!.error + 0.01 } };
    expect(heldOutLabels(wrong as typeof r)).toBeUndefined();
  });
  it('fluctuation, ||f_bar||, the ensemble gain and the plateau on a hand-checked case', () => {
    const rs = [[1, -1, 3], [3, 1, 3]].map((outputs) => ({ test: { outputs } }) as never);
    const e = ensembleOf(10, rs, [1, 1, 1]);
    expect(fluctuation(e)).toBeCloseTo(Math.sqrt((2 + 2 + 0) / 3), 12);
    // the averaged output [2, 0, 3]
    expect(meanOutputNorm(e)).toBeCloseTo(Math.sqrt((4 + 0 + 9) / 3), 12);
    // labels +1: single errors 1/3 and 0, the average errs on one pattern (f = 0 counts as an error)
    expect(ensembleError(e)).toBeCloseTo(1 / 3, 12);
    expect(ensembleGain(e)).toBeCloseTo(1 / 6 - 1 / 3, 12);
    // the plateau: eps_avg = eps_inf + (eps_single - eps_inf) / 2, so eps_inf = 2 (1/3) - 1/6
    expect(extrapolatedError(e)).toBeCloseTo(1 / 2, 12);
    // variance with reliability weights: a network drawn twice does not shrink the spread of two
    expect(fluctuation(e, [2, 1])).toBeCloseTo(fluctuation(e), 12);
    // one distinct network: no spread and no plateau to read, and no gain
    expect(fluctuation(e, [2, 0])).toBeNaN();
    expect(extrapolatedError(e, [2, 0])).toBeNaN();
    expect(ensembleGain(e, [2, 0])).toBe(0);
  });
  it('the inverse normal CDF and the BCa pieces', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.5)).toBe(0);
    for (const p of [1e-6, 0.01, 0.3, 0.9, 0.999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
    // the mean of a symmetric sample: no bias to correct, and the resamples are bootstrap()'s
    const xs = Array.from({ length: 40 }, (_, i) => Math.sin(i * 1.7));
    const mean = (s: readonly number[]) => s.reduce((a, b) => a + b, 0) / s.length;
    const r = bca(xs, mean, 5);
    const p = bootstrap(xs, mean, 5);
    expect([r.percentile.low, r.percentile.high]).toEqual([p.low, p.high]);
    expect(Math.abs(r.z0)).toBeLessThan(0.15);
    expect(r.low).toBeLessThan(r.estimate);
    expect(r.high).toBeGreaterThan(r.estimate);
  });
  it('the gain: where the percentile interval excludes the estimate, the BCa interval of the size-corrected gain contains it', () => {
    // eight nearly alike networks on 5000 patterns, as at N = 840 in the full report
    const n = 5000;
    const y = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : -1));
    const m = Array.from({ length: n }, (_, i) => 4 * Math.sqrt(((i * 7919) % n + 0.5) / n) - 1.5);
    const runs = Array.from({ length: 8 }, (_, j) => {
      const rng = createRng(9000 + j);
      const s = 0.6 * Math.exp(0.05 * Math.sqrt(3) * jitter(9, j, 1));
      const shift = 0.02 * Math.sqrt(3) * jitter(9, j, 2);
      return { test: { outputs: m.map((mi, i) => y[i] * (mi + shift + s * rng.normal())) } } as never;
    });
    const e = ensembleOf(100, runs, y);
    const estimate = ensembleGain(e);
    // resampled with replacement, the ensembles shrink: the gains sit below the estimate
    const percentile = bootstrap(indices(e), (d) => ensembleGain(e, countsOf(e, d)), 7);
    expect(percentile.high).toBeLessThan(estimate);
    // BCa of that same gain reads the shrinkage as a bias of the estimate: it moves wholly above it
    const textbook = bca(indices(e), (d) => ensembleGain(e, countsOf(e, d)), 7);
    expect(textbook.low).toBeGreaterThan(estimate);
    // each resample's gain put back on 8 networks (gainBySize), then BCa: the estimate is inside
    const G = gainBySize(e);
    expect(G[7]).toBeCloseTo(estimate, 12);
    expect(G[0]).toBe(0);
    const sized = bca(indices(e), (d) => gainAtSize(e, countsOf(e, d), G), 7);
    expect(sized.estimate).toBe(estimate);
    expect(sized.low).toBeLessThan(estimate);
    expect(sized.high).toBeGreaterThan(estimate);
    expect(Math.abs(sized.z0)).toBeLessThan(0.5);
  });
  it('passes when fluctuations fall like N^(-1/4), the error approaches its plateau like N^(-1/2), ensembles help most near N*, and ||f|| peaks there', () => {
    const r = decidedPapers();
    expect(r.verdict, r.measured).toBe('pass');
    expect(partsOf(r)).toEqual({ plateau: 'pass', fluctuations: 'pass', ensembles: 'pass', norm: 'pass' });
    expect(r.measured).toMatch(/eps_inf = [\d.]+ \(the averaged output at the largest width, extrapolated/);
    expect(r.measured).toMatch(/over 5 widths N >= 10 N\*/);
    expect(r.trends[0].powerLaw?.exponent).toBe(-0.25);
    expect(r.figures.map((f) => f.name)).toEqual(['claim11-fluctuations', 'claim11-output-norm']);
  });
  it('fails when the fluctuations do not depend on N', () => {
    const { tagged, scale } = world({ far: () => 0.4 });
    const r = claim11.decide(tagged, scale, []);
    expect(r.verdict, r.measured).toBe('fail');
    expect(partsOf(r).fluctuations).toBe('fail');
  });
  it('fails when the fluctuations fall like N^(-1/2)', () => {
    const { tagged, scale } = world({ far: (N) => 0.5 * (N / 2000) ** -0.5 });
    const r = claim11.decide(tagged, scale, []);
    expect(r.verdict, r.measured).toBe('fail');
    expect(partsOf(r).fluctuations).toBe('fail');
  });
  it('fails when ||f|| does not peak near N*', () => {
    // the same fluctuations without the divergence: ||f|| is largest at the narrowest networks
    const { tagged, scale } = world({ far: papers, diverges: false });
    const r = claim11.decide(tagged, scale, []);
    expect(r.verdict, r.measured).toBe('fail');
    expect(partsOf(r)).toEqual({ plateau: 'pass', fluctuations: 'pass', ensembles: 'pass', norm: 'fail' });
    expect(r.measured).toMatch(/\|\|f\|\| is largest at N = 42 \(0\.\d+ N\*\), outside/);
  });
  it('(d) needs the peak two standard errors above every width at N >= 3 N*', () => {
    const pt = (N: number, mean: number, sem: number) => ({ N, mean, sem, n: 8 });
    const curve = [pt(60, 3, 0.1), pt(102, 10, 1), pt(152, 5, 0.5), pt(432, 2, 0.1), pt(840, 1.5, 0.1)];
    expect(normPeak(curve, 100).verdict).toBe('pass');
    expect(normPeak(curve.map((p) => (p.N === 432 ? pt(432, 8.5, 0.5) : p)), 100).verdict).toBe('fail');
    expect(normPeak(curve.filter((p) => p.N < 300), 100).verdict).toBe('inconclusive');
    // the reported slope: log ||f|| on log(N - N*) over N* < N < 10 N*
    const law = [150, 200, 400, 800].map((N) => pt(N, 50 / (N - 100), 0.01));
    expect(normPeak(law, 100).slope).toBeCloseTo(-1, 12);
  });
  it('the fits ignore the widths below 10 N*: slope -1 up to 7 N* and -1/4 beyond passes (from 1.5 N* it would fail)', () => {
    const { tagged, scale } = world({ far: crossover });
    const r = claim11.decide(tagged, scale, []);
    expect(r.verdict, r.measured).toBe('pass');
    expect(partsOf(r).fluctuations).toBe('pass');
    // the old window, N >= 1.5 N*: the crossover steepens the slope far past -1/4
    const Ns = (r.values as { sweeps: { Nstar: number }[] }).sweeps[0].Nstar;
    const ens = ensembles(tagged.map((t) => t.record)).filter((e) => e.N >= 1.5 * Ns && e.k >= 3);
    const old = fluctuationFit(ens, 1);
    expect(old.slope).toBeLessThan(-0.4);
    expect(old.interval.high).toBeLessThan(-0.25);
    expect(old.interval.high - old.interval.low).toBeLessThan(0.5);
  });
  it('decides only on sweeps with 3 widths of 3 networks at N >= 10 N*', () => {
    const records = world({ far: papers, outputs: false }).tagged.map((t) => t.record);
    expect(widthsBeyond(records, 99)).toBe(5);
    expect(widthsBeyond(records.filter((r) => r.results.N < 3000), 99)).toBe(2);
    expect(widthsBeyond(records.filter((r) => r.item.config.seed < 102), 99)).toBe(0);
    expect(FIT_FROM).toBe(10);
  });
  it('without held-out outputs, (b), (c) and (d) cannot be measured: inconclusive, never pass', () => {
    const { tagged, scale } = world({ far: papers, outputs: false });
    const r = claim11.decide(tagged, scale, []);
    expect(r.verdict).toBe('inconclusive');
    expect(r.measured).toMatch(/no held-out outputs/);
  });
  it('is inconclusive when each seed has its own held-out set (no fluctuation between initialisations to measure)', () => {
    const { tagged, scale } = world({ far: papers, sameData: false });
    const r = claim11.decide(tagged, scale, []);
    expect(r.verdict).toBe('inconclusive');
    // (d) reads each network on its own held-out set
    const undecided = 'inconclusive';
    expect(partsOf(r)).toEqual({ plateau: undecided, fluctuations: undecided, ensembles: undecided, norm: 'pass' });
    expect(r.measured).toMatch(/same held-out set/);
  });
});

interface HeldOutWidth {
  N: number;
  seeds: number[];
  errors: number[];
  fNorms: (number | null)[];
  ensemble: {
    seeds: number[];
    error: number;
    meanError: number;
    sigma: number;
    fBarNorm: number;
    fMean: number[];
    fStd: number[];
  } | null;
}
interface Sweep {
  Nstar: number;
  plateau: { epsInf: number };
  fluctuations: { points: { N: number; sigma: number }[] };
  ensembles: { points: { N: number; gain: number }[] };
  norm: { points: { N: number; mean: number }[] };
  heldOut: { n: number; labels: string; widths: HeldOutWidth[] };
}

describe('claim 11: results.json holds what recomputes it', () => {
  it('sigma, ||f_bar||, ||f|| and the errors of the averaged outputs, from the stored per-pattern summaries', () => {
    const r = decidedPapers();
    const text = JSON.stringify(r.values);
    const sweep = (JSON.parse(text) as { sweeps: Sweep[] }).sweeps[0];
    const { n, widths: stored } = sweep.heldOut;
    expect(n).toBe(nTest);
    const y = [...sweep.heldOut.labels].map((c) => (c === '+' ? 1 : -1));
    expect(y).toEqual(labels);
    expect(stored.map((w) => w.N)).toEqual([...new Set(stored.map((w) => w.N))]);
    const rms = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + x * x, 0) / xs.length);
    for (const w of stored) {
      const e = w.ensemble!;
      expect(w.seeds).toEqual(seedsFrom(100, 8));
      expect(e.fMean.every((x) => Number(x.toPrecision(6)) === x)).toBe(true);
      // sigma: the rms of the per-pattern standard deviations; ||f_bar||: that of the means
      expect(rms(e.fStd) / e.sigma).toBeCloseTo(1, 5);
      expect(rms(e.fMean) / e.fBarNorm).toBeCloseTo(1, 5);
      // the averaged output errs where y f_bar <= 0: the same count, exactly
      expect(e.fMean.filter((f, i) => y[i] * f <= 0).length / n).toBe(e.error);
      expect(e.meanError).toBeCloseTo(w.errors.reduce((a, b) => a + b, 0) / w.errors.length, 12);
      // every network once: mean_j ||f_j||^2 = ||f_bar||^2 + (k - 1)/k sigma^2
      const k = e.seeds.length;
      const norms = w.fNorms as number[];
      expect(norms.reduce((s, v) => s + v * v, 0) / k).toBeCloseTo(e.fBarNorm ** 2 + ((k - 1) / k) * e.sigma ** 2, 6);
      // and they are the claim's numbers
      const point = sweep.fluctuations.points.find((p) => p.N === w.N);
      if (point) expect(point.sigma).toBe(e.sigma);
      const gain = sweep.ensembles.points.find((p) => p.N === w.N);
      if (gain) expect(gain.gain).toBeCloseTo(e.meanError - e.error, 12);
      const norm = sweep.norm.points.find((p) => p.N === w.N)!;
      expect(norm.mean).toBeCloseTo(norms.reduce((a, b) => a + b, 0) / k, 12);
    }
    // (a)'s plateau: the averaged output at the largest width, less its excess (1/k of the single networks')
    const last = stored[stored.length - 1].ensemble!;
    const k = last.seeds.length;
    expect(sweep.plateau.epsInf).toBeCloseTo((last.error - last.meanError / k) / (1 - 1 / k), 12);
    // the size: two 6-digit numbers per pattern and width, about 17 bytes
    expect(text.length / (n * stored.length)).toBeLessThan(20);
  });
});

import { describe, it, expect } from 'vitest';
import { claim3, MIN_DECIDING, resolvedNegatives, standingOf } from '../../src/claims/c03-stability-bound.ts';
import { fixedNSweep, linearTagged, scaleOf, seedsFrom, softplusTagged, type SmoothRunSpec } from './fixtures.ts';
import type { FixedNFamily, Scale, SoftplusFamily } from '../../src/experiment/scales.ts';
import type { TaggedRecord } from '../../src/experiment/plan.ts';

/**
 * Claim 3 (SCIENCE.md, "Claim 3"; rule changed): N_-(Hp) <= N_Delta decided on softplus minima with a
 * smooth certificate and N_Delta < Ntot, where a saddle could violate it; minima with N_Delta >= Ntot
 * cannot (N_- <= Ntot) and are reported; linear (L = 0) minima are a control of the counting (Hp = 0),
 * never evidence; N_- is counted at the resolution the minimum is known to.
 */
const fam: SoftplusFamily = { d: 6, h: 6, L: 2, beta: 2, Ps: [130, 150], seeds: seedsFrom(100, 6) }; // N = 78
const N = 78;
const Ntot = 91;
const scale: Scale = { ...scaleOf({}), softplus: [fam], linear: { d: 20, ratios: [2], seeds: seedsFrom(100, 3) } };
const decide = (t: TaggedRecord[], s: Scale = scale) => claim3.decide(t, s, []);

/** A softplus minimum of the family: N_Delta live patterns, N_-(Hp) = nNeg, H >= 0 at the threshold. */
const minimum = (P: number, seed: number, nDelta: number, nNeg: number, more: Partial<SmoothRunSpec> = {}): TaggedRecord =>
  softplusTagged({ P, N, Ntot, seed, d: fam.d, h: fam.h, L: fam.L, beta: fam.beta, liveNDelta: nDelta, spectra: { nNegHp: nNeg, nNegH: 0, rankH0: nDelta }, ...more });

/** Minima at both P of the family with N_- = N_Delta / 2 < N_Delta < Ntot. */
const healthy = (): TaggedRecord[] => fam.Ps.flatMap((P) => fam.seeds.map((seed) => minimum(P, seed, 40, 20)));

describe('claim 3: decided on softplus minima with N_Delta < Ntot', () => {
  it('passes on minima with N_- <= N_Delta < Ntot (at least MIN_DECIDING of them)', () => {
    const t = healthy();
    expect(t.length).toBeGreaterThanOrEqual(MIN_DECIDING);
    const r = decide(t);
    expect(r.verdict, r.measured).toBe('pass');
    expect(r.values.deciding).toBe(t.length);
    expect(r.measured).toMatch(/12\/12 deciding softplus minima/);
    expect(claim3.ruleChange).toMatch(/Was: .*Now: .*Why: /s);
  });

  it('FAILS on a saddle that slipped through as a minimum: N_- > N_Delta, N_Delta < Ntot', () => {
    const t = [...healthy(), minimum(150, 200, 30, 31)];
    const r = decide(t);
    expect(r.verdict, r.measured).toBe('fail');
    expect(r.values.violations).toBe(1);
  });

  it('fails on one violation even with fewer than MIN_DECIDING minima', () => {
    expect(decide([minimum(150, 100, 10, 25)]).verdict).toBe('fail');
  });

  it('is inconclusive with fewer than MIN_DECIDING deciding minima and no violation', () => {
    const r = decide(healthy().slice(0, MIN_DECIDING - 1));
    expect(r.verdict).toBe('inconclusive');
  });

  it('a minimum with N_Delta >= Ntot does not count as evidence: only such minima are inconclusive', () => {
    // N_- <= Ntot < N_Delta whatever the spectrum: nothing could violate the bound there
    const t = fam.Ps.flatMap((P) => fam.seeds.map((seed) => minimum(P, seed, Ntot + 20, 45)));
    expect(standingOf(t[0].record)).toBe('cannot violate');
    const r = decide(t);
    expect(r.verdict, r.measured).toBe('inconclusive');
    expect(r.values.deciding).toBe(0);
    expect(r.values.cannotViolate).toBe(t.length);
    // N_Delta = Ntot exactly cannot violate either
    expect(standingOf(minimum(130, 1, Ntot, 10).record)).toBe('cannot violate');
  });

  it('linear (L = 0) runs alone are inconclusive: a control of the counting, never evidence', () => {
    const lin = seedsFrom(100, 12).map((seed) => linearTagged({ P: 40, seed, d: 20, N: 20, liveNDelta: 30, spectra: { nNegHp: 0, nNegH: 0, rankH0: 20 } }));
    const r = decide(lin);
    expect(r.verdict, r.measured).toBe('inconclusive');
    expect(r.values.deciding).toBe(0);
    expect(r.measured).toMatch(/linear control 12\/12 with N_- = 0/);
    expect(r.trends[1].points[0]).toMatchObject({ value: 1, inRegime: false, n: 12 });
    // a linear run with N_- > 0 (Hp = 0, so a counting fault) is reported, not a verdict on the claim
    const bad = [...lin, linearTagged({ P: 40, seed: 300, d: 20, N: 20, liveNDelta: 30, spectra: { nNegHp: 3, nNegH: 0, rankH0: 20 } })];
    const rb = decide([...healthy(), ...bad]);
    expect(rb.verdict).toBe('pass');
    expect(rb.values.linearNonzero).toBe(1);
  });

  it('dead-pattern runs, budget runs and minima without a smooth certificate are set apart, not evidence', () => {
    const t = [
      ...healthy(),
      minimum(150, 300, 30, 31, { liveNDelta: 1, deadPatterns: 30, liveLoss: 1e-5, deadLoss: 0.02 }),
      minimum(150, 301, 30, 31, { verdict: 'budget' }),
      minimum(150, 302, 30, 31, { certificate: 'kinked' }),
    ];
    const r = decide(t);
    expect(r.verdict, r.measured).toBe('pass');
    expect(r.values).toMatchObject({ deciding: 12, dead: 1, budget: 1, notSmooth: 1 });
  });

  it('ReLU minima of the fixed-N families are reported outside the regime, never decide', () => {
    const relu: FixedNFamily = { L: 2, width: 12, ratios: [1.5, 2, 3, 3.5], seeds: seedsFrom(100, 3) };
    const t = fixedNSweep(relu, ({ ratio, N: n }) => (ratio < 2.75 ? {} : { liveNDelta: Math.round(0.6 * n) }));
    const r = claim3.decide(t, scaleOf({ fixedN: [relu] }), []);
    expect(r.verdict).toBe('inconclusive');
    expect(r.trends[0].points.every((p) => !p.inRegime)).toBe(true);
    expect(r.values.relu).toBe(6);
  });

  it('the per-size rows: the deciding minima in the regime, the others outside it', () => {
    const t = [...healthy(), minimum(150, 400, Ntot + 5, 40)];
    const pts = decide(t).trends[0].points;
    const inRegime = pts.filter((p) => p.inRegime);
    expect(inRegime).toHaveLength(1);
    expect(inRegime[0]).toMatchObject({ N, value: 1, n: 12 });
    expect(pts.find((p) => /cannot violate/.test(p.series))).toMatchObject({ inRegime: false, n: 1 });
  });
});

describe('claim 3 counts N_-(Hp) at the resolution of the minimum', () => {
  // the measured case (d = h = 8, L = 1, beta = 1, P = 160): H has eigenvalues down to -6e-7 (the
  // certificate allows -1e-6 lambda_max), Hp has 32 below tol but only 3 below -(tol + 6e-7)
  const tol = 1.25e-10;
  const eigHp = [-2.9e-6, -8.19e-7, -7.22e-7, ...Array.from({ length: 29 }, (_, i) => -2.5e-7 * 0.7 ** i), ...Array.from({ length: 49 }, () => 1e-3)];
  const slack = { nNegHp: 32, nNegH: 26, minEigH: -6.07e-7, rankH0: 17, tolerance: tol, scale: 69.6 };

  it('H with eigenvalues below -tol: the count is of Hp below -(tol + |lambda_min(H)|), from the stored eigenvalues', () => {
    const m = minimum(160, 101, 19, 32, { spectra: { ...slack, eigHp } });
    expect(resolvedNegatives(m.record)).toBe(3);
    expect(standingOf(m.record)).toBe('deciding');
    const r = decide([m, ...healthy()]);
    expect(r.verdict, r.measured).toBe('pass');
  });

  it('without stored eigenvalues such a minimum is unresolved: reported, not evidence', () => {
    const m = minimum(160, 101, 19, 32, { spectra: slack });
    expect(resolvedNegatives(m.record)).toBeUndefined();
    expect(standingOf(m.record)).toBe('unresolved');
    const r = decide([m, ...healthy()]);
    expect(r.verdict).toBe('pass');
    expect(r.values.unresolved).toBe(1);
  });

  it('H >= 0 at the threshold: the record count decides; a violation there fails', () => {
    const m = minimum(160, 7, 19, 20, { spectra: { nNegHp: 20, nNegH: 0, minEigH: 0, rankH0: 19, tolerance: tol } });
    expect(resolvedNegatives(m.record)).toBe(20);
    expect(decide([m, ...healthy()]).verdict).toBe('fail');
  });

  it('a saddle that passed as a minimum (H below the allowance of the certificate): counted at the allowance, it fails', () => {
    // lambda_min(H) = -0.1 scale, far below -1e-6 scale: the count is not relaxed beyond the allowance
    const eig = [...Array.from({ length: 25 }, () => -0.05), ...Array.from({ length: 66 }, () => 1)];
    const m = minimum(160, 9, 20, 25, { spectra: { nNegHp: 25, nNegH: 10, minEigH: -0.1, scale: 1, rankH0: 20, tolerance: tol, eigHp: eig } });
    expect(resolvedNegatives(m.record)).toBe(25);
    expect(decide([m, ...healthy()]).verdict).toBe('fail');
  });

  it('a saddle with stored eigenvalues: Hp far below -(tol + |lambda_min(H)|) more often than N_Delta fails', () => {
    const eig = [...Array.from({ length: 25 }, () => -1), ...Array.from({ length: 66 }, () => 1)];
    const m = minimum(160, 8, 20, 25, { spectra: { nNegHp: 25, nNegH: 3, minEigH: -1e-7, rankH0: 20, tolerance: tol, eigHp: eig } });
    expect(resolvedNegatives(m.record)).toBe(25);
    expect(decide([m, ...healthy()]).verdict).toBe('fail');
  });
});

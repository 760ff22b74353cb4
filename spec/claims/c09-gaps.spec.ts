import { describe, it, expect } from 'vitest';
import { claim9, liveGaps, smallGapExponent, CONTACT } from '../../src/claims/c09-gaps.ts';
import { fixedNSweep, scaleOf, seedsFrom, type RunSpec } from './fixtures.ts';
import type { FixedNFamily } from '../../src/experiment/scales.ts';
import { createRng } from '../../src/util/prng.ts';

/**
 * Claim 9 on synthetic minima whose Delta are drawn from the papers' laws: on the Delta > 0 side
 * F(x) = x^(1 + theta), on the other F(h) = h^(1 - gamma) (inverse-CDF draws, seeded).
 */
function deltas(P: number, seed: number, theta: number, gamma: number, live: number): number[] {
  const rng = createRng(seed);
  // the laws above the resolution CONTACT (an end point resolves no smaller gap): inverse CDF of
  // F(x) = x^a truncated to (CONTACT, 1)
  const draw = (a: number) => (CONTACT ** a + rng.uniform() * (1 - CONTACT ** a)) ** (1 / a);
  return Array.from({ length: P }, (_, i) => (i < live ? draw(1 + theta) : -draw(1 - gamma)));
}
const fams: FixedNFamily[] = [
  { L: 2, width: 8, ratios: [2, 2.5, 3, 3.5], seeds: seedsFrom(100, 6) }, // outside the regime
  { L: 2, width: 12, ratios: [2, 2.5, 3, 3.5], seeds: seedsFrom(100, 6) },
  { L: 2, width: 16, ratios: [2, 2.5, 3, 3.5], seeds: seedsFrom(100, 6) }, // the largest: decides
];
const law = (theta: number, gamma: number) => ({ ratio, N, P, seed }: { ratio: number; N: number; P: number; seed: number }): Partial<RunSpec> => {
  if (ratio < 2.75) return {};
  const live = Math.round(0.6 * N);
  return { liveNDelta: live, deltas: deltas(P, seed * 7 + N + 13 * P, theta, gamma, live) };
};
const evaluate = (l: ReturnType<typeof law>) => claim9.decide(fams.flatMap((f) => fixedNSweep(f, l)), scaleOf({ fixedN: fams }), []);

describe('claim 9: gap exponents on the largest family of the regime', () => {
  it('the estimator recovers a known exponent', () => {
    const xs = Array.from({ length: 20000 }, (_, i) => ((i + 0.5) / 20000) ** (1 / 1.3));
    expect(smallGapExponent(xs)).toBeCloseTo(0.3, 1);
  });
  it('passes on Delta drawn with theta = 0.3 and gamma = 0.2, deciding at the largest family in the regime', () => {
    const r = evaluate(law(0.3, 0.2));
    expect(r.verdict, r.measured).toBe('pass');
    expect(r.measured).toMatch(/at N = 528/);
    expect(r.trends.map((t) => t.paper)).toEqual([0.3, 0.2]);
  });
  it('fails on theta = 1 (a flat density of small gaps would be theta = 0, a linear one 1)', () => {
    expect(evaluate(law(1, 0.2)).verdict).toBe('fail');
  });
  it('fails on gamma = 0.6', () => {
    expect(evaluate(law(0.3, 0.6)).verdict).toBe('fail');
  });
  it('leaves dead patterns (record.deadIndices) out of the Delta > 0 side, and a run with dead patterns but no indices out of that side', () => {
    const withIdx = { deltas: [0.5, 1e-3, -0.2, 0.7], deadIndices: [1], results: { deadPatterns: 1 } } as never;
    expect(liveGaps(withIdx)).toEqual([0.5, 0.7]);
    const without = { deltas: [0.5, 1e-3, -0.2, 0.7], results: { deadPatterns: 1 } } as never;
    expect(liveGaps(without)).toEqual([]);
  });
  it('dead patterns with tiny Delta do not move theta when their indices are recorded', () => {
    const dead = (l: ReturnType<typeof law>) => (p: Parameters<ReturnType<typeof law>>[0]): Partial<RunSpec> => {
      const base = l(p);
      if (!base.deltas) return base;
      // 40 dead patterns at Delta ~ 2e-4 (a constant output just below the margin), listed by index
      const d = [...base.deltas];
      const idx = Array.from({ length: 40 }, (_, i) => d.length - 1 - i);
      for (const i of idx) d[i] = 2e-4 * (1 + i / 1000);
      return { ...base, deltas: d, deadPatterns: 40, deadLoss: 1e-9, deadIndices: idx };
    };
    const tagged = fams.flatMap((f) => fixedNSweep(f, dead(law(0.3, 0.2))));
    expect(claim9.decide(tagged, scaleOf({ fixedN: fams }), []).verdict).toBe('pass');
    // counted with the live ones, the dead patterns would pull theta far from 0.3
    const all = tagged.filter((t) => t.record.deltas && t.record.results.N === 528).flatMap((t) => t.record.deltas!.filter((d) => d > 0));
    expect(Math.abs(smallGapExponent(all) - 0.3)).toBeGreaterThan(0.2);
  });
});

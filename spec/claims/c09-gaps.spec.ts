import { existsSync, readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { claim9, liveGaps, smallGapExponent, CONTACT, MIN_SEEDS } from '../../src/claims/c09-gaps.ts';
import { fixedNSweep, scaleOf, seedsFrom, type RunSpec } from './fixtures.ts';
import type { FixedNFamily } from '../../src/experiment/scales.ts';
import type { TaggedRecord } from '../../src/experiment/plan.ts';
import { committedRecord } from '../../src/run/record.ts';
import { createRng } from '../../src/util/prng.ts';

/**
 * Claim 9 on synthetic minima whose Delta are drawn from the papers' laws: on the Delta > 0 side
 * F(x) = x^(1 + theta), on the other F(h) = h^(1 - gamma) (inverse-CDF draws, seeded). Every seed
 * fits up to P/N = 2.4 and jams from 2.42 on, so P* lies between 2.4 N and 2.42 N, and the window
 * [1.00, 1.05] P* holds the ratios 2.42, 2.45 and 2.5; 2.7 to 3.5 fill the farther distance bins.
 */
function deltas(P: number, seed: number, theta: number, gamma: number, live: number): number[] {
  const rng = createRng(seed);
  // the laws above the resolution CONTACT (an end point resolves no smaller gap): inverse CDF of
  // F(x) = x^a truncated to (CONTACT, 1)
  const draw = (a: number) => (CONTACT ** a + rng.uniform() * (1 - CONTACT ** a)) ** (1 / a);
  return Array.from({ length: P }, (_, i) => (i < live ? draw(1 + theta) : -draw(1 - gamma)));
}
const RATIOS = [2, 2.4, 2.42, 2.45, 2.5, 2.7, 3, 3.5];
const family = (width: number, seeds = MIN_SEEDS): FixedNFamily => ({ L: 2, width, ratios: RATIOS, seeds: seedsFrom(100, seeds) });
// width 8 is outside the regime; 16 (N = 528) is the largest and decides
const fams: FixedNFamily[] = [family(8), family(12), family(16)];
type Point = { ratio: number; N: number; P: number; seed: number };
const law = (theta: number, gamma: number) => ({ ratio, N, P, seed }: Point): Partial<RunSpec> => {
  if (ratio < 2.41) return {};
  const live = Math.round(0.6 * N);
  return { liveNDelta: live, deltas: deltas(P, seed * 7 + N + 13 * P, theta, gamma, live) };
};
const sweep = (l: ReturnType<typeof law>, fs = fams) => fs.flatMap((f) => fixedNSweep(f, l));
const evaluate = (l: ReturnType<typeof law>, fs = fams) => claim9.decide(sweep(l, fs), scaleOf({ fixedN: fs }), []);
/** the numbers of the claim, as results.json writes them (NaN as null) */
const numbers = (v: Record<string, unknown>) => JSON.parse(JSON.stringify({ N: v.N, theta: v.theta, thetaInterval: v.thetaInterval, gamma: v.gamma, gammaInterval: v.gammaInterval, runs: v.runs, seeds: v.seeds, families: v.families, bins: v.bins }));

describe('claim 9: gap exponents at 1.00 to 1.05 P* on the largest family of the regime', () => {
  it('the estimator recovers a known exponent', () => {
    const xs = Array.from({ length: 20000 }, (_, i) => ((i + 0.5) / 20000) ** (1 / 1.3));
    expect(smallGapExponent(xs)).toBeCloseTo(0.3, 1);
  });
  it('passes on Delta drawn with theta = 0.3 and gamma = 0.2, deciding at the largest family in the regime', () => {
    const r = evaluate(law(0.3, 0.2));
    expect(r.verdict, r.measured).toBe('pass');
    expect(r.measured).toMatch(/from 24 certified minima of 8 seeds at 1.00 to 1.05 P\*, N = 528/);
    expect(r.trends.map((t) => t.paper)).toEqual([0.3, 0.2]);
  });
  it('fails on theta = 1 (a flat density of small gaps would be theta = 0, a linear one 1)', () => {
    expect(evaluate(law(1, 0.2)).verdict).toBe('fail');
  });
  it('fails on gamma = 0.6', () => {
    expect(evaluate(law(0.3, 0.6)).verdict).toBe('fail');
  });
  it(`is inconclusive with fewer than ${MIN_SEEDS} seeds at 1.00 to 1.05 P*, and says so`, () => {
    // theta = 1: had it decided, it would fail
    const few = [family(8, MIN_SEEDS - 1), family(12, MIN_SEEDS - 1), family(16, MIN_SEEDS - 1)];
    const r = evaluate(law(1, 0.2), few);
    expect(r.verdict, r.measured).toBe('inconclusive');
    expect(r.measured).toMatch(/the largest, N = 528: 21 minima of 7 seeds/);
  });
  it(`decides on the largest family of the regime with ${MIN_SEEDS} seeds at jamming, the larger ones reported`, () => {
    const r = evaluate(law(0.3, 0.2), [family(8), family(12), family(16, MIN_SEEDS - 1)]);
    expect(r.verdict, r.measured).toBe('pass');
    expect(r.values.N).toBe(300);
  });
  it('only the minima at 1.00 to 1.05 P* decide: farther ones, drawn from other laws, move the distance bins and not the verdict', () => {
    const cutOff = (p: Point): Partial<RunSpec> => (p.ratio > 2.6 ? law(1, 0.6)(p) : law(0.3, 0.2)(p));
    const r = evaluate(cutOff);
    expect(r.verdict, r.measured).toBe('pass');
    const bins = r.values.bins as { lo: number; hi: number; runs: number; theta: number }[];
    expect(bins.map((b) => [b.lo, b.hi, b.runs])).toEqual([[0, 0.05, 24], [0.1, 0.25, 16], [0.25, 0.5, 8]]);
    expect(bins[0].theta).toBeCloseTo(0.3, 1);
    expect(bins[1].theta).toBeCloseTo(1, 0);
    const fig = r.figures.find((f) => f.name === 'claim9-exponents-vs-distance');
    expect(fig?.plot.kind === 'exponentVsDistance' && fig.plot.papers.map((p) => p.value)).toEqual([0.3, 0.2]);
    const gap = r.figures.find((f) => f.name === 'claim9-gap-distribution');
    expect(gap?.plot.kind === 'gapDistribution' && gap.plot.opts?.papers?.map((p) => p.exponent)).toEqual([0.3, -0.2]);
  });
  it('leaves dead patterns (record.deadIndices) out of the Delta > 0 side, and a run with dead patterns but no indices out of that side', () => {
    const withIdx = { deltas: [0.5, 1e-3, -0.2, 0.7], deadIndices: [1], results: { deadPatterns: 1 } } as never;
    expect(liveGaps(withIdx)).toEqual([0.5, 0.7]);
    const without = { deltas: [0.5, 1e-3, -0.2, 0.7], results: { deadPatterns: 1 } } as never;
    expect(liveGaps(without)).toEqual([]);
  });
  it('dead patterns with tiny Delta do not move theta when their indices are recorded', () => {
    const dead = (l: ReturnType<typeof law>) => (p: Point): Partial<RunSpec> => {
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
    const all = tagged.filter((t) => t.record.deltas && t.record.results.N === 528 && t.record.results.P <= 1320).flatMap((t) => t.record.deltas!.filter((d) => d > 0));
    expect(Math.abs(smallGapExponent(all) - 0.3)).toBeGreaterThan(0.2);
  });
});

describe('claim 9 is recomputed from results.json', () => {
  it('from the records as results.json keeps them (the Delta of the runs it reads, exactly), the same numbers', () => {
    const tagged = sweep(law(0.3, 0.2));
    const scale = scaleOf({ fixedN: fams });
    const r = claim9.decide(tagged, scale, []);
    const keep = new Set(r.values.deltaRuns as string[]);
    // the window of every family (3 x 24) and the deciding family's farther bins (24)
    expect(keep.size).toBe(96);
    const committed: TaggedRecord[] = JSON.parse(JSON.stringify(tagged.map((t) => ({ tag: t.tag, record: committedRecord(t.record, keep.has(t.record.key)) }))));
    expect(committed.filter((t) => t.record.deltas).length).toBe(keep.size);
    const again = claim9.decide(committed, scale, []);
    expect(again.verdict).toBe(r.verdict);
    expect(numbers(again.values)).toEqual(numbers(r.values));
    // with every Delta stripped (results.json before), nothing could be recomputed
    expect(claim9.decide(tagged.map((t) => ({ tag: t.tag, record: committedRecord(t.record) })), scale, []).verdict).toBe('inconclusive');
  });

  const path = new URL('../../reports/results.json', import.meta.url);
  const committed = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { runs: TaggedRecord[]; claims: { id: number; values: Record<string, unknown> }[] }) : undefined;
  const values = committed?.claims.find((c) => c.id === 9)?.values;
  // results.json written before claim 9 listed its runs (deltaRuns) kept no Delta: nothing to recompute there
  it.skipIf(!values?.deltaRuns)('from the committed reports/results.json: its theta and gamma', () => {
    const runs = committed!.runs;
    const keys = new Set(values!.deltaRuns as string[]);
    expect(runs.filter((t) => keys.has(t.record.key) && t.record.deltas).length, 'every run claim 9 read keeps its Delta').toBe(keys.size);
    // the families as the tags name them (the fields fixedNFamilies reads)
    const fixed = runs.filter((t) => t.tag.kind === 'fixedN').map((t) => t.tag as { L: number; width: number });
    const fs = [...new Map(fixed.map((t) => [`${t.L}/${t.width}`, { L: t.L, width: t.width, ratios: [], seeds: [] }])).values()];
    const again = claim9.decide(runs, scaleOf({ fixedN: fs }), []);
    expect(numbers(again.values)).toEqual(numbers(values!));
  });
});

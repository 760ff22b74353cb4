import { describe, it, expect } from 'vitest';
import { renderDetails } from '../../src/report/details.ts';
import { claim7, windowOf } from '../../src/claims/c07-sharpness.ts';
import { fixedNSweep, scaleOf, seedsFrom, type RunSpec } from './fixtures.ts';
import type { FixedNFamily } from '../../src/experiment/scales.ts';

/**
 * Claim 7 on synthetic sweeps: seed s of k jams above P/N = 2.6 + W(N) ((s + 1/2)/k - 1/2), so the
 * 10%-90% window is about 0.8 W(N). W ~ N^(-1/2) narrows; a W growing with N widens.
 */
const ratios = Array.from({ length: 25 }, (_, i) => Math.round((1.4 + 0.1 * i) * 10) / 10);
const seeds = seedsFrom(100, 10);
const fams: FixedNFamily[] = [12, 16, 20, 24].map((width) => ({ L: 2, width, ratios, seeds }));
const narrow: FixedNFamily = { L: 2, width: 8, ratios, seeds };

type Law = (p: { ratio: number; N: number; s: number; k: number }) => Partial<RunSpec>;
const sharp = (W: (N: number) => number): Law => ({ ratio, N, s, k }) => (ratio > 2.6 + W(N) * ((s + 0.5) / k - 0.5) ? { liveNDelta: Math.round(0.6 * N) } : {});
const evaluate = (law: Law, families = fams) => claim7.decide(families.flatMap((f) => fixedNSweep(f, law)), scaleOf({ fixedN: families }), []);
const narrowing = sharp((N) => 1.6 * Math.sqrt(300 / N));

describe('claim 7: the window narrows with N, and N_Delta/N is bimodal', () => {
  it('passes when the window shrinks like N^(-1/2) and every certified minimum has N_Delta/N above C0', () => {
    const r = evaluate(narrowing);
    expect(r.verdict, r.measured).toBe('pass');
    const w = (r.values as { windows: { N: number; width: number }[] }).windows;
    expect(w[w.length - 1].width).toBeLessThan(w[0].width);
  });
  it('fails when the window widens with N', () => {
    const r = evaluate(sharp((N) => 0.5 * Math.sqrt(N / 300)));
    expect(r.verdict, r.measured).toBe('fail');
  });
  it('does not pass when the window stays the same', () => {
    expect(evaluate(sharp(() => 1)).verdict).not.toBe('pass');
  });
  it('fails on one certified minimum in the gap (live N_Delta/N = 0.2)', () => {
    const r = evaluate((p) => (p.N === 820 && p.ratio === 3.5 && p.s === 3 ? { liveNDelta: Math.round(0.2 * p.N) } : narrowing(p)));
    expect(r.verdict).toBe('fail');
    expect(renderDetails(r.details)).toMatch(/Certified minima in the gap/);
  });
  it('ignores the gap of a family outside the regime, reported in its row', () => {
    const r = evaluate((p) => (p.N === 136 && p.ratio === 3.5 ? { liveNDelta: Math.round(0.2 * p.N) } : narrowing(p)), [narrow, ...fams]);
    expect(r.verdict).toBe('pass');
    expect(renderDetails(r.details)).toMatch(/N = 136 \| outside the regime/);
  });
  it('sets a dead-pattern run in the gap apart, and says the verdict would fail if it counted', () => {
    const r = evaluate((p) => (p.N === 528 && p.ratio === 3.5 && p.s === 0 ? { liveNDelta: 5, deadPatterns: 100, liveLoss: 1e-4, deadLoss: 0.1 } : narrowing(p)));
    expect(r.verdict).toBe('pass');
    expect(r.measured).toMatch(/1 dead-pattern runs and 0 budget runs set apart/);
    expect(r.measured).toMatch(/would fail if the 1 dead-pattern runs counted as jammed minima/);
  });
  it('a window whose two crossings fall between the same grid points is only a bound', () => {
    const coarse: FixedNFamily = { L: 2, width: 12, ratios: [2, 3], seeds };
    const rs = fixedNSweep(coarse, sharp(() => 0.2)).map((t) => t.record);
    expect(windowOf(rs, 300).gridLimited).toBe(true);
  });
  it('does not fail on a widening read from a largest family whose window is only bounded by its grid', () => {
    // the full scale's N = 528 family has two ratios (2, 3.5): its window reads as the grid's step
    const fine: FixedNFamily = { L: 2, width: 12, ratios, seeds };
    const coarse: FixedNFamily = { L: 2, width: 16, ratios: [2, 3.5], seeds };
    const r = evaluate(sharp(() => 0.3), [fine, coarse]);
    expect(r.measured).toMatch(/N = 528 is only bounded by its grid/);
    expect(r.verdict, r.measured).not.toBe('fail');
  });
});

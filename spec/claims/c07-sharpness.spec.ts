import { describe, it, expect } from 'vitest';
import { renderDetails } from '../../src/report/details.ts';
import { claim7, windowOf } from '../../src/claims/c07-sharpness.ts';
import { fixedNSweep, scaleOf, seedsFrom, type RunSpec } from './fixtures.ts';
import type { FixedNFamily } from '../../src/experiment/scales.ts';

/**
 * Claim 7 on synthetic sweeps: seed s of k jams above P/N = 2.6 + W(N) ((s + 1/2)/k - 1/2), so the
 * 10%-90% window is about 0.8 W(N) (the logistic fit reads it from every run). W ~ N^(-1/2)
 * narrows; a W growing with N widens.
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
  it('the old defect is gone: a window the grid does not resolve (every seed agreeing between two grid points) has an interval from 0, never of zero width', () => {
    const coarse: FixedNFamily = { L: 2, width: 12, ratios: [1.5, 2, 3, 3.5], seeds };
    const rs = fixedNSweep(coarse, sharp(() => 0.2)).map((t) => t.record);
    const w = windowOf(rs, 300);
    expect(w.transition.Pstar / 300).toBeGreaterThan(2);
    expect(w.transition.Pstar / 300).toBeLessThan(3);
    expect(w.width).toBeGreaterThan(0);
    const r = evaluate(sharp(() => 0.2), [coarse]);
    const [win] = (r.values as { windows: { interval: { low: number; high: number } }[] }).windows;
    expect(win.interval.low).toBe(0);
    expect(win.interval.high).toBeGreaterThan(0);
  });
  it('is undecided when the smallest family\'s window is not resolved by its grid (the ratio\'s interval reaches infinity)', () => {
    const coarse: FixedNFamily = { L: 2, width: 12, ratios: [2, 3], seeds };
    const fine: FixedNFamily = { L: 2, width: 24, ratios, seeds };
    const r = evaluate(sharp((N) => (N < 400 ? 0.2 : 0.1)), [coarse, fine]);
    const n = (r.values as { narrowing: { interval: { high: number }; verdict: string } }).narrowing;
    expect(n.interval.high).toBe(Infinity);
    expect(n.verdict).toBe('inconclusive');
  });
  it('does not fail on a widening read from a largest family whose window the grid does not resolve', () => {
    // the last full scale's N = 528 family had two ratios (2, 3.5): its window may be a step
    const fine: FixedNFamily = { L: 2, width: 12, ratios, seeds };
    const coarse: FixedNFamily = { L: 2, width: 16, ratios: [2, 3.5], seeds };
    const r = evaluate(sharp(() => 0.3), [fine, coarse]);
    const n = (r.values as { narrowing: { interval: { low: number } } }).narrowing;
    expect(n.interval.low).toBe(0);
    expect(r.verdict, r.measured).not.toBe('fail');
  });
  it('states the new rule', () => {
    expect(claim7.passRule).toMatch(/^P\* and the 10%-90% window .*from a Firth-penalised logistic fit of the jammed fraction in log P over every run .*95% interval by parametric bootstrap \(1000 resamples\)/);
    expect(claim7.ruleChange).toMatch(/Was: .*Now: .*Why: /s);
  });
});

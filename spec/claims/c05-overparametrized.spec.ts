import { describe, it, expect } from 'vitest';
import { claim5 } from '../../src/claims/c05-overparametrized.ts';
import { fixedNSweep, scaleOf, seedsFrom, type RunSpec } from './fixtures.ts';
import type { FixedNFamily } from '../../src/experiment/scales.ts';

/**
 * Claim 5: every seed fitted at N >= 1.5 N*, N* from the logistic fit and taken at the top of its
 * interval; N* < 2P on the whole interval. Dead-pattern runs there are listed apart, budget runs
 * count as not fitted; the measured line says when the other counting would change the verdict.
 */
const fam: FixedNFamily = { L: 2, width: 12, ratios: [1, 1.5, 2, 2.5, 3, 3.5], seeds: seedsFrom(100, 4) }; // N = 300, P* = 2.75 N
const papers = ({ ratio, N }: { ratio: number; N: number }): Partial<RunSpec> => (ratio < 2.75 ? {} : { liveNDelta: Math.round(0.6 * N) });
const evaluate = (law: (p: { ratio: number; N: number; s: number }) => Partial<RunSpec>) => claim5.decide(fixedNSweep(fam, law), scaleOf({ fixedN: [fam] }), []);

describe('claim 5: fitted above 1.5 N*', () => {
  it('passes when every seed at P <= P*/1.5 is fitted; the interval of N*/P holds the whole grid gap (every seed agrees: the old rule gave zero width)', () => {
    const r = evaluate(papers);
    expect(r.verdict, r.measured).toBe('pass');
    expect(claim5.ruleChange).toMatch(/Was: .*Now: .*Why: /s);
    expect(claim5.passRule).toMatch(/P\* from a Firth-penalised logistic fit of the jammed fraction in log P over every run.*95% interval by parametric bootstrap \(1000 resamples\)/);
    // every seed fitted at P/N = 2.5, jammed at 3: N/P* lies in (1/3, 1/2.5), and the interval holds both ends
    const [sw] = (r.values as { sweeps: { ratio: number; interval: { low: number; high: number } }[] }).sweeps;
    expect(sw.ratio).toBeGreaterThan(1 / 3);
    expect(sw.ratio).toBeLessThan(1 / 2.5);
    expect(sw.interval.low).toBeLessThanOrEqual(300 / Math.round(3 * 300));
    expect(sw.interval.high).toBeGreaterThanOrEqual(300 / Math.round(2.5 * 300));
  });
  it('fails where N* > 2P on the whole interval (fixed N: P* < N/2)', () => {
    const low: FixedNFamily = { L: 2, width: 12, ratios: [0.2, 0.3, 0.4, 0.5, 0.6], seeds: seedsFrom(100, 4) };
    const r = claim5.decide(fixedNSweep(low, ({ ratio, N }) => (ratio < 0.35 ? {} : { liveNDelta: Math.round(0.6 * N) })), scaleOf({ fixedN: [low] }), []);
    expect(r.verdict, r.measured).toBe('fail');
    expect(r.measured).toMatch(/N\* < 2P: NO/);
  });
  it('leaves N* < 2P undecided (and the claim inconclusive) where the interval straddles 2', () => {
    const edge: FixedNFamily = { L: 2, width: 12, ratios: [0.2, 0.4, 0.6, 0.8], seeds: seedsFrom(100, 4) };
    const r = claim5.decide(fixedNSweep(edge, ({ ratio, N }) => (ratio < 0.5 ? {} : { liveNDelta: Math.round(0.6 * N) })), scaleOf({ fixedN: [edge] }), []);
    expect(r.measured).toMatch(/N\* < 2P: undecided/);
    expect(r.verdict, r.measured).toBe('inconclusive');
  });
  it('fails on a certified minimum with loss > 0 at P = N (far above N*)', () => {
    expect(evaluate((p) => (p.ratio === 1 && p.s === 0 ? { liveNDelta: 100 } : papers(p))).verdict).toBe('fail');
  });
  it('lists a dead-pattern run apart and says the verdict would fail if it counted as a minimum with loss > 0', () => {
    const r = evaluate((p) => (p.ratio === 1 && p.s === 0 ? { liveNDelta: 1, deadPatterns: 12, liveLoss: 1e-5, deadLoss: 0.02 } : papers(p)));
    expect(r.verdict).toBe('pass');
    expect(r.measured).toMatch(/1 dead-pattern runs and 0 budget runs set apart/);
    expect(r.measured).toMatch(/would fail if the 1 dead-pattern runs over 1.5 N\* counted as minima with loss > 0/);
  });
  it('counts a budget run as not fitted (the seed was not shown to fit), and says it would pass if set apart', () => {
    const r = evaluate((p) => (p.ratio === 1 && p.s === 0 ? { verdict: 'budget', liveNDelta: 2 } : papers(p)));
    expect(r.verdict).toBe('fail');
    expect(r.measured).toMatch(/would pass if the 1 budget runs over 1.5 N\* were set apart/);
  });
});

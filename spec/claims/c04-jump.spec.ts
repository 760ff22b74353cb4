import { describe, it, expect } from 'vitest';
import { renderDetails } from '../../src/report/details.ts';
import { claim4 } from '../../src/claims/c04-jump.ts';
import { fixedNSweep, scaleOf, seedsFrom, jitter, type RunSpec } from './fixtures.ts';
import type { FixedNFamily } from '../../src/experiment/scales.ts';

/**
 * Claim 4 on synthetic sweeps: the papers' world (certified minima with N_-(Hp) = N/2 and live
 * N_Delta >= 0.6 N, all fitted below P* = 2.75 N) passes; a certified minimum near N* with few live
 * unsatisfied patterns, or C0 far from 0.5, fails; runs set apart are counted and the measured
 * line says when counting them the other way would change the verdict.
 */
const ratios = [1.5, 2, 2.5, 3, 3.5, 4];
const wide: FixedNFamily = { L: 2, width: 12, ratios, seeds: seedsFrom(100, 6) }; // N = 300
const wider: FixedNFamily = { L: 2, width: 16, ratios, seeds: seedsFrom(100, 6) }; // N = 528
const narrow: FixedNFamily = { L: 2, width: 8, ratios, seeds: seedsFrom(100, 6) }; // N = 136: outside the regime

const papers = ({ ratio, N, seed }: { ratio: number; N: number; seed: number }): Partial<RunSpec> =>
  ratio < 2.75 ? {} : { liveNDelta: Math.round((0.6 + 0.1 * (ratio - 3) + 0.02 * jitter(seed, N)) * N), spectra: { nNegHp: Math.round((0.5 + 0.02 * jitter(N, seed, 1)) * N) } };

type Law = (p: { ratio: number; N: number; seed: number; s: number }) => Partial<RunSpec>;
const world = (law: Law = papers, fams = [wide, wider]) => {
  const scale = scaleOf({ fixedN: fams });
  return { scale, tagged: fams.flatMap((f) => fixedNSweep(f, law)) };
};

describe('claim 4: the jump, on certified minima, per family of the regime', () => {
  it('passes where every certified minimum has C0 about 0.5 and live N_Delta/N > 0.4 near N*', () => {
    const { scale, tagged } = world();
    const r = claim4.decide(tagged, scale, []);
    expect(r.verdict, r.measured).toBe('pass');
    expect(r.measured).toMatch(/0 dead-pattern runs and 0 budget runs set apart/);
    expect(r.trends.map((t) => t.paper)).toEqual([0.5, 1]);
    expect(r.trends[0].points.every((p) => p.low <= p.value && p.value <= p.high)).toBe(true);
  });
  it('fails on one certified minimum near N* with live N_Delta/N = 0.2 (a continuous onset)', () => {
    const { scale, tagged } = world((p) => (p.N === 528 && p.ratio === 3 && p.s === 0 ? { liveNDelta: Math.round(0.2 * p.N), spectra: { nNegHp: p.N / 2 } } : papers(p)));
    const r = claim4.decide(tagged, scale, []);
    expect(r.verdict).toBe('fail');
    expect(renderDetails(r.details)).toMatch(/the finding that fails the rule/);
  });
  it('fails where N_-(Hp)/N is about 0.3, not 0.5', () => {
    const { scale, tagged } = world((p) => ({ ...papers(p), ...(p.ratio >= 2.75 ? { spectra: { nNegHp: Math.round(0.3 * p.N) } } : {}) }));
    expect(claim4.decide(tagged, scale, []).verdict).toBe('fail');
  });
  it('does not let a family outside the regime decide, and says so in its row', () => {
    const { scale, tagged } = world((p) => (p.N === 136 && p.ratio === 3 ? { liveNDelta: 10, spectra: { nNegHp: 20 } } : papers(p)), [narrow, wide, wider]);
    const r = claim4.decide(tagged, scale, []);
    expect(r.verdict).toBe('pass');
    expect(renderDetails(r.details)).toMatch(/L = 2, d = h = 8, N = 136 \| outside the regime/);
    expect(r.trends[0].points.find((p) => p.N === 136)!.inRegime).toBe(false);
  });
  it('sets dead-pattern runs apart, counts them, and says the verdict would fail if they counted as jammed minima', () => {
    // near N*, a "minimum" whose loss is carried by 30 dead patterns and 3 live ones
    const { scale, tagged } = world((p) => (p.N === 300 && p.ratio === 3 && p.s === 1 ? { liveNDelta: 3, deadPatterns: 30, liveLoss: 1e-4, deadLoss: 0.05, spectra: { nNegHp: 40 } } : papers(p)));
    const r = claim4.decide(tagged, scale, []);
    expect(r.verdict).toBe('pass');
    expect(r.measured).toMatch(/1 dead-pattern runs and 0 budget runs set apart/);
    expect(r.measured).toMatch(/would fail if the 1 dead-pattern runs counted as jammed minima/);
  });
  it('never counts a budget run as a minimum, and says what counting it would do', () => {
    const { scale, tagged } = world((p) => (p.N === 300 && p.ratio === 3 && p.s === 2 ? { verdict: 'budget', liveNDelta: 20, liveLoss: 1e-3 } : papers(p)));
    const r = claim4.decide(tagged, scale, []);
    expect(r.verdict).toBe('pass');
    expect(r.measured).toMatch(/0 dead-pattern runs and 1 budget runs set apart/);
    expect(r.measured).toMatch(/would fail if the 1 budget runs counted as jammed minima/);
  });
  it('is inconclusive with no family in the regime', () => {
    const { scale, tagged } = world(papers, [narrow]);
    expect(claim4.decide(tagged, scale, []).verdict).toBe('inconclusive');
  });
});

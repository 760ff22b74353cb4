import { describe, it, expect } from 'vitest';
import { decideClaims, claimsById } from '../../src/claims/decide.ts';
import { countedAs } from '../../src/claims/budgetCounting.ts';
import { fixedNSweep, scaleOf, seedsFrom, jitter, runRecord, type RunSpec } from './fixtures.ts';
import type { FixedNFamily } from '../../src/experiment/scales.ts';

/**
 * A budget run's outcome is unknown: every claim is decided with the budget runs counted as fitted
 * and as certified minima, and its verdict stands only where both agree (decide.ts).
 */
const ratios = [1.5, 2, 2.5, 3, 3.5, 4];
const fams: FixedNFamily[] = [12, 16].map((width) => ({ L: 2, width, ratios, seeds: seedsFrom(100, 6) }));
const scale = scaleOf({ fixedN: fams });
const papers = ({ ratio, N, seed }: { ratio: number; N: number; seed: number }): Partial<RunSpec> =>
  ratio < 2.75 ? {} : { liveNDelta: Math.round((0.6 + 0.02 * jitter(seed, N)) * N), spectra: { nNegHp: Math.round(0.5 * N) } };

describe('claims decided with budget runs counted both ways', () => {
  it('a budget run counted as fitted has loss 0 and no spectra; as a minimum, a passed certificate', () => {
    const r = runRecord({ P: 900, N: 300, seed: 1, verdict: 'budget', liveNDelta: 20, liveLoss: 1e-3 });
    const f = countedAs(r, 'fitted');
    expect([f.results.verdict, f.results.loss, f.results.nDelta, f.spectra]).toEqual(['fitted', 0, 0, undefined]);
    const j = countedAs(countedAs(r, 'jammed'), 'jammed');
    expect(j.results.verdict).toBe('jammed');
    expect(j.results.liveNDelta).toBe(20);
  });
  it('without budget runs the verdict is the claim\'s own, and nothing is added', () => {
    const tagged = fams.flatMap((f) => fixedNSweep(f, papers));
    const [r] = decideClaims(claimsById([4]), tagged, scale);
    expect(r.outcome.verdict).toBe('pass');
    expect(r.outcome.values.budgetWays).toBeUndefined();
  });
  it('a budget run in the gap near N* makes claim 4 inconclusive: it passes counted as fitted and fails counted as a minimum', () => {
    const tagged = fams.flatMap((f) =>
      fixedNSweep(f, (p) => (p.N === 300 && p.ratio === 3 && p.s === 2 ? { verdict: 'budget', liveNDelta: 20, liveLoss: 1e-3 } : papers(p))),
    );
    const [r] = decideClaims(claimsById([4]), tagged, scale);
    expect(r.outcome.values.verdictSetApart).toBe('pass');
    expect(r.outcome.verdict, r.outcome.measured).toBe('inconclusive');
    expect(r.outcome.measured).toMatch(/budget runs \(1\) counted as fitted: pass; as certified minima: fail \(they disagree: inconclusive\)/);
  });
  it('where both ways agree the verdict stands and both are reported', () => {
    const tagged = fams.flatMap((f) =>
      fixedNSweep(f, (p) => (p.N === 300 && p.ratio === 4 && p.s === 2 ? { verdict: 'budget', liveNDelta: 250, liveLoss: 1e-1, spectra: { nNegHp: 150 } } : papers(p))),
    );
    const [r] = decideClaims(claimsById([4]), tagged, scale);
    expect(r.outcome.verdict, r.outcome.measured).toBe('pass');
    expect(r.outcome.measured).toMatch(/counted as fitted: pass; as certified minima: pass$/);
  });
});

describe('a cross-entropy run is never recounted', () => {
  it('its loss never reaches 0, so budget is its known outcome and claim 1 still passes', () => {
    const fam: FixedNFamily = { L: 2, width: 12, ratios: [1.5, 3], seeds: seedsFrom(100, 2) };
    const ce = runRecord({ P: 100, N: 300, seed: 0, verdict: 'budget', liveNDelta: 50, liveLoss: 1e-3 });
    const ceRecord = { ...ce, item: { ...ce.item, config: { ...ce.item.config, loss: { kind: 'crossEntropy', kappa: 1 } } } } as typeof ce;
    const tagged = [...fixedNSweep(fam, papers), { tag: { kind: 'crossEntropy' as const, P: 100, seed: 0 }, record: ceRecord }];
    const [r] = decideClaims(claimsById([1]), tagged, scaleOf({ fixedN: [fam] }));
    expect(r.outcome.verdict, r.outcome.measured).toBe('pass');
    expect(r.outcome.values.budgetWays).toBeUndefined();
  });
});

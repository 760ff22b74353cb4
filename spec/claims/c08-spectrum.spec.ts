import { describe, it, expect } from 'vitest';
import { claim8 } from '../../src/claims/c08-spectrum.ts';
import { fixedNSweep, scaleOf, seedsFrom, jitter, type RunSpec } from './fixtures.ts';
import type { FixedNFamily } from '../../src/experiment/scales.ts';

/**
 * Claim 8 on synthetic sweeps: above P* = 2.5 N the live loss grows with P/N over three decades and
 * max|lambda(Hp)| = c loss^e with 10% scatter. e = 1/2 is the papers' sqrt(loss); e = 1 must fail.
 */
const fams: FixedNFamily[] = [12, 16].map((width) => ({ L: 2, width, ratios: [1.5, 2, 3, 3.5, 4, 5], seeds: seedsFrom(100, 5) }));
const law = (e: number) => ({ ratio, N, seed }: { ratio: number; N: number; seed: number }): Partial<RunSpec> => {
  if (ratio < 2.5) return {};
  const loss = 1e-4 * 10 ** (1.2 * (ratio - 2.5)) * (1 + 0.3 * jitter(seed, N, 2));
  return { liveNDelta: Math.round(0.6 * N), liveLoss: loss, spectra: { maxAbsHp: 2 * loss ** e * (1 + 0.1 * jitter(seed, N, 3)) } };
};
const evaluate = (e: number, extra?: (p: { ratio: number; N: number; seed: number; s: number }) => Partial<RunSpec> | undefined) =>
  claim8.decide(fams.flatMap((f) => fixedNSweep(f, (p) => extra?.(p) ?? law(e)(p))), scaleOf({ fixedN: fams }), []);

describe('claim 8: the scale of Hp goes like sqrt(loss) into the jammed phase', () => {
  it('passes when max|lambda(Hp)| ~ loss^(1/2) within every family and fitted runs have H = 0', () => {
    const r = evaluate(0.5);
    expect(r.verdict, r.measured).toBe('pass');
    expect(r.trends[0].paper).toBe(0.5);
  });
  it('fails when max|lambda(Hp)| ~ loss^1', () => {
    const r = evaluate(1);
    expect(r.verdict, r.measured).toBe('fail');
  });
  it('fails when the scale of Hp does not move with the loss (loss^0)', () => {
    expect(evaluate(0).verdict).toBe('fail');
  });
  it('fails when a fitted run carries loss (H would not vanish)', () => {
    const bad = fams.flatMap((f) => fixedNSweep(f, law(0.5)));
    expect(bad[0].record.results.verdict).toBe('fitted');
    (bad[0].record.results as { loss: number }).loss = 1e-3;
    expect(claim8.decide(bad, scaleOf({ fixedN: fams }), []).verdict).toBe('fail');
  });
  it('leaves out dead-pattern runs (their loss is not Hp\'s) and counts them', () => {
    const r = evaluate(0.5, (p) => (p.ratio === 4 && p.s === 1 ? { liveNDelta: 2, deadPatterns: 50, liveLoss: 1e-6, deadLoss: 0.1, spectra: { maxAbsHp: 1 } } : undefined));
    expect(r.verdict).toBe('pass');
    expect(r.measured).toMatch(/2 dead-pattern runs and 0 budget runs set apart/);
  });
});

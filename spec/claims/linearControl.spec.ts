import { describe, it, expect } from 'vitest';
import { coverSeparable, linearControl } from '../../src/claims/linearControl.ts';
import { runRecord } from './fixtures.ts';
import type { TaggedRecord } from '../../src/experiment/plan.ts';

/** The linear model against the perceptron at margin 0 (SCIENCE.md, "The linear-model control"). */
describe('the linear-model control', () => {
  it("Cover's count: separable for P <= n, one half at P = 2n, falling past it", () => {
    expect(coverSeparable(21, 21)).toBe(1);
    expect(coverSeparable(42, 21)).toBeCloseTo(0.5, 12);
    expect(coverSeparable(4, 2)).toBeCloseTo(0.5, 12); // 2^-3 (1 + 3) = 1/2
    expect(coverSeparable(5, 2)).toBeCloseTo(5 / 16, 12); // 2^-4 (1 + 4)
    expect(coverSeparable(60, 21)).toBeLessThan(0.01);
  });
  const lin = (P: number, seed: number, nDelta: number): TaggedRecord => ({
    tag: { kind: 'linear', P, d: 20, seed },
    record: runRecord({ P, N: 20, seed, L: 0, liveNDelta: nDelta, spectra: { nNegHp: 0 } }),
  });
  it('counts the runs with loss > 0 in the gap, the smallest N_Delta/N and any negative eigenvalue of Hp', () => {
    const c = linearControl([lin(20, 1, 0), lin(50, 1, 24), lin(60, 1, 30), lin(60, 2, 4)]);
    expect([c.runs, c.withLoss, c.inGap, c.minNDeltaOverN, c.negativeHp]).toEqual([4, 3, 1, 0.2, 0]);
    expect(c.byP.map((p) => [p.P, p.runs, p.fitted])).toEqual([[20, 1, 1], [50, 1, 0], [60, 2, 0]]);
  });
});

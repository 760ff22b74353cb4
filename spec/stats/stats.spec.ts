import { describe, it, expect } from 'vitest';
import { mean, sd, sem, quantile } from '../../src/stats/describe.ts';
import { linearFit, powerLawFit } from '../../src/stats/regression.ts';
import { spearman } from '../../src/stats/spearman.ts';
import { tCdf, tQuantile975, normalCdf, incompleteBeta } from '../../src/stats/distributions.ts';

// Known values from R / scipy (quoted to the digits checked).
describe('statistics used by the claims', () => {
  it('describe', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(sd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.13809, 5);
    expect(sem([1, 2, 3, 4])).toBeCloseTo(0.645497, 6);
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
  });
  it('t and normal distributions', () => {
    expect(tCdf(2.228, 10)).toBeCloseTo(0.975, 4); // qt(0.975, 10) = 2.228139
    expect(tCdf(-1.5, 3)).toBeCloseTo(0.1152919, 6); // closed form for 3 dof: 1/2 + (t/(sqrt3 (1 + t^2/3)) + atan(t/sqrt3))/pi
    expect(tQuantile975(30)).toBeCloseTo(2.042272, 3);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(incompleteBeta(0.3, 2, 3)).toBeCloseTo(0.3483, 4); // pbeta(0.3, 2, 3)
  });
  it('linear and power-law fits recover exact lines; the slope interval covers the truth on noisy data', () => {
    const f = linearFit([0, 1, 2, 3], [1, 3, 5, 7]);
    expect(f.slope).toBeCloseTo(2, 12);
    expect(f.intercept).toBeCloseTo(1, 12);
    const p = powerLawFit([1, 2, 4, 8], [3, 6 * 2 ** -0.25, 12 * 4 ** -0.25, 24 * 8 ** -0.25].map((v, i) => v));
    expect(p.slope).toBeCloseTo(0.75, 10);
    const g = linearFit([1, 2, 3, 4, 5], [1.1, 1.9, 3.2, 3.8, 5.1]);
    expect(g.slopeLow).toBeLessThan(1);
    expect(g.slopeHigh).toBeGreaterThan(1);
    expect(g.slope).toBeCloseTo(0.99, 10); // lm(y ~ x): 0.99
  });
  it('Spearman: perfect monotone data, and a known value', () => {
    expect(spearman([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]).rho).toBe(-1);
    const s = spearman([1, 2, 3, 4, 5, 6], [6, 5, 4, 1, 3, 2]);
    expect(s.rho).toBeCloseTo(-0.8285714, 6); // cor(x, y, method = "spearman")
    expect(s.pNegative).toBeCloseTo(0.02103, 3); // cor.test(..., alternative = "less", exact = FALSE)
  });
});

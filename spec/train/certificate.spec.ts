/**
 * The non-smooth certificate behind a ReLU "jammed" verdict (src/train/minimumCertificate.ts) and
 * its parts: the min-norm point of a convex hull, gradient sampling, and the default's Adam with
 * plateau decays, which must follow adam0's trajectory bit for bit until its first plateau.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { assertProperty } from '../support/fc.ts';
import { minNormHull } from '../../src/train/minNormHull.ts';
import { gradientSampling } from '../../src/train/gradientSampling.ts';
import { certifyMinimum, CERTIFICATE_RULE } from '../../src/train/minimumCertificate.ts';
import { plateauAdam, DEFAULT_PLATEAU_ADAM } from '../../src/train/plateauAdam.ts';
import { adam0, DEFAULT_ADAM0, ADAM0_RULE } from '../../src/train/adam0.ts';
import { objectiveLandscape } from '../../src/train/objectiveLandscape.ts';
import type { Landscape } from '../../src/train/landscape.ts';
import { createRng } from '../../src/util/prng.ts';
import { makeArchitecture } from '../../src/model/architecture.ts';
import { initialParameters } from '../../src/model/init.ts';
import { randomData } from '../../src/data/random.ts';
import { quadraticHinge } from '../../src/loss/losses.ts';

describe('minNormHull', () => {
  it('is the point of the hull closest to 0: in the hull, and no vertex lies beyond its supporting plane (up to the gap)', () =>
    assertProperty(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1e6 }), (m, n, seed) => {
        const rng = createRng(seed);
        const g = Array.from({ length: m }, () => Float64Array.from({ length: n }, () => rng.normal() + 0.3));
        const r = minNormHull(g);
        let sum = 0;
        for (const l of r.lambda) {
          expect(l).toBeGreaterThanOrEqual(0);
          sum += l;
        }
        expect(sum).toBeCloseTo(1, 12);
        const pp = r.norm * r.norm;
        // optimality: g_i . p >= |p|^2 for every vertex (first-order condition over the simplex)
        for (const gi of g) {
          let d = 0;
          for (let k = 0; k < n; k++) d += gi[k] * r.point[k];
          expect(d).toBeGreaterThanOrEqual(pp - 1e-9 * (1 + pp));
        }
        for (const gi of g) expect(r.norm).toBeLessThanOrEqual(Math.hypot(...gi) + 1e-12);
      }),
    ));
  it('known cases: a triangle around 0, a segment at distance 1', () => {
    const v = (...a: number[]) => Float64Array.from(a);
    expect(minNormHull([v(1, 0), v(-1, 1), v(-1, -1)]).norm).toBeLessThan(1e-5);
    expect(minNormHull([v(1, 1), v(1, -1)]).norm).toBeCloseTo(1, 12);
  });
});

/** f(x, y) = |x| + (y - y0)^2 + 1: a kink in x; a minimum at (0, y0), not at (0, y0 - 1). */
function kinkLandscape(y0: number): Landscape & { gradientScale(): number } {
  return {
    n: 2,
    evaluate: (t) => ({ value: Math.abs(t[0]) + (t[1] - y0) ** 2 + 1, gradient: Float64Array.of(Math.sign(t[0]), 2 * (t[1] - y0)), nDelta: 1 }),
    gradientScale: () => 1,
  };
}

describe('gradient sampling', () => {
  it('finds 0 in the hull at a kinked minimum and a descent direction at a kink that is not one', () => {
    const f = kinkLandscape(1);
    const gradAt = (t: Float64Array) => f.evaluate(t).gradient;
    const at = gradientSampling(f, Float64Array.of(0, 1), gradAt(Float64Array.of(0, 1)), [1e-3], 3, 1, createRng(1));
    expect(at[0].ratio).toBeLessThan(1e-2);
    const off = gradientSampling(f, Float64Array.of(0, 0), gradAt(Float64Array.of(0, 0)), [1e-3], 3, 1, createRng(1));
    // the y-gradient (-2) survives every convex combination: not stationary, descent along +y
    expect(off[0].ratio).toBeGreaterThan(1.9);
    expect(off[0].direction[1]).toBeGreaterThan(1.9);
  });
  it('the certificate fails at the non-stationary kink and passes at the minimum', () => {
    const bad = certifyMinimum(kinkLandscape(1), Float64Array.of(0, 0), 2, 0);
    expect(bad.certificate.passed).toBe(false);
    expect(bad.better!.value).toBeLessThan(2);
    const good = certifyMinimum(kinkLandscape(1), Float64Array.of(0, 1), 1, 0);
    expect(good.certificate.sampling.every((l) => l.ratio <= CERTIFICATE_RULE.stationarityRtol)).toBe(true);
  });
});

describe('Adam with plateau decays (the default on ReLU)', () => {
  const arch = makeArchitecture({ d: 6, h: 6, L: 2, activation: 'relu', beta: 10, bias: true });
  const obj = { arch, loss: quadraticHinge(1), data: randomData({ P: 120, d: 6, seed: 3 }) };
  const land = objectiveLandscape(obj);
  const theta0 = initialParameters(arch, 3);
  it("follows adam0's trajectory bit for bit until its first plateau", () => {
    const steps = 3000;
    const a = adam0(land, theta0, DEFAULT_ADAM0, { ...ADAM0_RULE, maxEvaluations: steps + 1 });
    const b = plateauAdam(land, theta0, DEFAULT_PLATEAU_ADAM, steps + 1);
    expect(b.decays).toEqual([]);
    expect(b.steps).toBe(a.steps);
    expect(Array.from(b.theta)).toEqual(Array.from(a.theta));
  });
  it('decays the lr on a plateau and stops at one at the floor (a window of 200 steps)', () => {
    const r = plateauAdam(land, theta0, { ...DEFAULT_PLATEAU_ADAM, window: 200, relTol: 0.5 }, 100_000);
    expect(r.reason).toBe('converged');
    expect(r.decays.length).toBe(3);
    expect(r.steps).toBeLessThan(2000);
  });
});

describe('the certificate on a stall that lr 1e-4 leaves slowly (fixtures/certificate)', () => {
  // An N = 136, P = 340 end point that passed the earlier 10k-step restart with lr decays, and that
  // PyTorch's Adam at lr 1e-4 then lowered by 3.6% in 100k steps (scripts/adam-continuation.py):
  // 0.1% per 5k steps, steadily. The restart trial at lr 1e-4 must see it and fail.
  it('fails at the restart trial, hands back the lower point and skips the perturbations', async () => {
    const { readRunFile } = await import('../../src/run/runFile.ts');
    const r = readRunFile(new URL('../../fixtures/certificate/slow-descent-N136-P340-seed103.json', import.meta.url).pathname);
    const land = objectiveLandscape({ arch: r.arch, loss: r.loss, data: r.data });
    const v = land.evaluate(r.theta).value;
    const { certificate, better } = certifyMinimum(land, r.theta, v, 0);
    console.log(`slow-descent fixture: restart trial drop ${(certificate.perturbations[0].drop * 100).toFixed(3)}% after ${certificate.perturbations[0].evaluations} evaluations (allowed ${CERTIFICATE_RULE.maxDrop * 100}%)`);
    expect(certificate.passed).toBe(false);
    expect(certificate.perturbations).toHaveLength(1);
    expect(certificate.perturbations[0].size).toBe(0);
    expect(certificate.perturbations[0].drop).toBeGreaterThan(CERTIFICATE_RULE.maxDrop);
    expect(better!.value).toBeLessThan(v * (1 - CERTIFICATE_RULE.maxDrop));
  }, 60_000);
});

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { makeArchitecture, layout } from '../../src/model/architecture.ts';
import { randomData } from '../../src/data/random.ts';
import { initialParameters } from '../../src/model/init.ts';
import { quadraticHinge } from '../../src/loss/losses.ts';
import { certify } from '../../src/analyse/certificate.ts';
import { endPoint } from '../../src/analyse/endPoint.ts';
import { minimise } from '../../src/train/minimise.ts';
import { gaussianData, perturbedParameters } from '../support/arbitraries.ts';
import { assertProperty, fcParams } from '../support/fc.ts';

/**
 * The default on smooth networks (softplus, L = 0) runs rounds of L-BFGS, Adam escapes, L-BFGS and
 * Newton until the loss is exactly zero, the end point passes the smooth certificate, or the budget
 * is spent (claim 3 decides on these minima; SCIENCE.md, "Slow minimisation near jamming"). No phase
 * cap ends a run as `budget` while evaluations are left.
 */
const smoothArch = fc
  .record({ d: fc.integer({ min: 1, max: 4 }), h: fc.integer({ min: 1, max: 4 }), L: fc.integer({ min: 0, max: 2 }), beta: fc.constantFrom(1, 2, 5) })
  .map(({ d, h, L, beta }) => makeArchitecture({ d, h: L === 0 ? 0 : h, L, activation: 'softplus', beta }));

describe('the smooth default: certified, fitted or out of budget', () => {
  it('never ends budget with evaluations unspent; jammed only at a point that passes the smooth certificate', async () => {
    await assertProperty(
      fc.asyncProperty(smoothArch, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 20, max: 20_000 }), async (arch, P, seed, budget) => {
        const obj = { arch, loss: quadraticHinge(1), data: gaussianData(P, arch.d, seed) };
        const r = await minimise(obj, perturbedParameters(arch, seed), { optimizer: 'default', engine: 'float64', maxEvaluations: budget });
        const Ntot = layout(arch).Ntot;
        // a certificate once begun is charged in full: at most one Hessian (2 Ntot) past the budget
        expect(r.gradientEvaluations).toBeLessThanOrEqual(budget + 2 * Ntot);
        if (r.verdict === 'budget') expect(r.gradientEvaluations).toBeGreaterThanOrEqual(budget);
        if (r.verdict === 'fitted') expect(r.evaluation.value).toBe(0);
        if (r.verdict === 'jammed') expect(certify(endPoint(obj, r.theta, r.evaluation)).kind).toBe('smooth');
        expect(r.phases.reduce((s, p) => s + p.evaluations, 0)).toBe(r.gradientEvaluations);
      }),
      Math.ceil(fcParams.numRuns / 2),
    );
  });

  it('a run fitted in the first round is as before: no certificate, no second round', async () => {
    const arch = makeArchitecture({ d: 8, h: 8, L: 1, activation: 'softplus', beta: 2 });
    const obj = { arch, loss: quadraticHinge(1), data: randomData({ P: 120, d: 8, seed: 100 }) };
    const r = await minimise(obj, initialParameters(arch, 100), { optimizer: 'default', engine: 'float64', maxEvaluations: 500_000 });
    expect(r.verdict).toBe('fitted');
    expect(r.phases.every((p) => !/round|certificate/.test(p.name))).toBe(true);
  });

  it('a full-scale run that the old fixed caps ended as budget after 15k of its 500k evaluations is now certified', async () => {
    // d = 4, h = 6, L = 1, beta = 2, P = 150, seed 100 (reports/results.json at f930338: budget,
    // 15,035 evaluations, gradient norm 0.06): measured, jammed with the smooth certificate after
    // about 105k evaluations in 5 rounds
    const arch = makeArchitecture({ d: 4, h: 6, L: 1, activation: 'softplus', beta: 2 });
    const obj = { arch, loss: quadraticHinge(1), data: randomData({ P: 150, d: 4, seed: 100 }) };
    const r = await minimise(obj, initialParameters(arch, 100), { optimizer: 'default', engine: 'float64', maxEvaluations: 500_000 });
    expect(r.verdict, JSON.stringify(r.phases)).toBe('jammed');
    expect(r.gradientEvaluations).toBeGreaterThan(15_035);
    expect(r.gradientEvaluations).toBeLessThan(500_000);
    expect(certify(endPoint(obj, r.theta, r.evaluation)).kind).toBe('smooth');
    expect(r.phases.at(-1)!.name).toMatch(/smooth certificate \d+: passed/);
  });

  it('deterministic: the same run twice gives the same bits', async () => {
    const arch = makeArchitecture({ d: 4, h: 6, L: 1, activation: 'softplus', beta: 2 });
    const obj = { arch, loss: quadraticHinge(1), data: randomData({ P: 150, d: 4, seed: 100 }) };
    const run = () => minimise(obj, initialParameters(arch, 100), { optimizer: 'default', engine: 'float64', maxEvaluations: 20_000 });
    const [a, b] = [await run(), await run()];
    expect(a.verdict).toBe('budget');
    expect(Array.from(b.theta)).toEqual(Array.from(a.theta));
    expect(b.phases).toEqual(a.phases);
  });
});

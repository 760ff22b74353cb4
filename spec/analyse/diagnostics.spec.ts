/**
 * The classes of unsatisfied patterns (src/analyse/diagnostics.ts): live, contact and dead partition
 * N_Delta; the loss splits into the live and dead parts; dead units and the effective N.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { assertProperty } from '../support/fc.ts';
import { diagnostics, patternClasses, PATTERN_CLASS, LIVE_DELTA_RTOL } from '../../src/analyse/diagnostics.ts';
import { makeArchitecture, layout } from '../../src/model/architecture.ts';
import { initialParameters } from '../../src/model/init.ts';
import { randomData } from '../../src/data/random.ts';
import { quadraticHinge } from '../../src/loss/losses.ts';
import { evaluate } from '../../src/loss/objective.ts';

describe('diagnostics: live, contact and dead patterns', () => {
  it('partition N_Delta, and the loss splits into its live and dead parts', () =>
    assertProperty(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 4, max: 40 }), fc.integer({ min: 0, max: 1000 }), fc.double({ min: -2, max: 2, noNaN: true }), (h, L, P, seed, shift) => {
        const arch = makeArchitecture({ d: 3, h, L });
        const obj = { arch, loss: quadraticHinge(1), data: randomData({ P, d: 3, seed }) };
        const theta = initialParameters(arch, seed);
        // shift every bias: negative shifts kill units and patterns
        const lay = layout(arch);
        for (const layer of lay.layers.slice(0, -1)) for (let i = layer.b; i < layer.b + layer.outDim; i++) theta[i] = shift;
        const ev = evaluate(obj, theta);
        const dg = diagnostics(obj, ev);
        expect(dg.liveNDelta + dg.contactNDelta + dg.deadPatterns).toBe(ev.nDelta);
        expect(Math.abs(dg.liveLoss + dg.deadLoss - ev.value)).toBeLessThanOrEqual(1e-14 * Math.max(1, ev.value));
        expect(dg.deadPatternRun).toBe(dg.deadLoss > dg.liveLoss);
        expect(dg.effectiveN).toBeLessThanOrEqual(lay.N);
        const cls = patternClasses(obj, ev);
        for (let mu = 0; mu < P; mu++) {
          if (!(ev.delta[mu] > 0)) expect(cls[mu]).toBe(PATTERN_CLASS.satisfied);
          else if (cls[mu] === PATTERN_CLASS.live) expect(ev.delta[mu]).toBeGreaterThan(LIVE_DELTA_RTOL);
          else if (cls[mu] === PATTERN_CLASS.contact) expect(ev.delta[mu]).toBeLessThanOrEqual(LIVE_DELTA_RTOL);
        }
      }),
    ));

  it('a first layer switched off everywhere: every unsatisfied pattern dead, its units dead, effective N at most the output weights', () => {
    const arch = makeArchitecture({ d: 3, h: 4, L: 2 });
    const obj = { arch, loss: quadraticHinge(1), data: randomData({ P: 20, d: 3, seed: 1 }) };
    const theta = initialParameters(arch, 1);
    const first = layout(arch).layers[0];
    for (let i = first.b; i < first.b + first.outDim; i++) theta[i] = -100;
    const ev = evaluate(obj, theta);
    const dg = diagnostics(obj, ev);
    expect(dg.deadPatterns).toBe(ev.nDelta);
    expect(dg.liveNDelta).toBe(0);
    expect(dg.deadLoss).toBe(ev.value);
    expect(dg.deadPatternRun).toBe(true);
    expect(dg.deadUnits).toBeGreaterThanOrEqual(4);
    // the second layer sees a constant input: its units are constant (not dead), and only their
    // output weights remain
    expect(dg.effectiveN).toBeLessThanOrEqual(4);
  });

  it('the untouched network: no dead pattern, effective N = N', () => {
    const arch = makeArchitecture({ d: 6, h: 6, L: 2 });
    const obj = { arch, loss: quadraticHinge(1), data: randomData({ P: 30, d: 6, seed: 2 }) };
    const ev = evaluate(obj, initialParameters(arch, 2));
    const dg = diagnostics(obj, ev);
    expect(dg.deadUnits).toBe(0);
    expect(dg.effectiveN).toBe(layout(arch).N);
    expect(dg.deadPatternRun).toBe(false);
  });
});

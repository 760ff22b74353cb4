/**
 * One end point, each analysis once (src/analyse/endPoint.ts): the smooth certificate and the
 * spectra read the same eigenvalues of H, the Hessian is built once, and every number equals the
 * one computed directly.
 */
import { describe, it, expect } from 'vitest';
import { endPoint } from '../../src/analyse/endPoint.ts';
import { certify } from '../../src/analyse/certificate.ts';
import { hessianSpectra } from '../../src/analyse/hessianSpectra.ts';
import { diagnostics, deadPatternIndices } from '../../src/analyse/diagnostics.ts';
import { symmetricEigenvalues } from '../../src/analyse/spectrum.ts';
import { hessianSplit } from '../../src/loss/hessian.ts';
import { makeArchitecture } from '../../src/model/architecture.ts';
import { initialParameters } from '../../src/model/init.ts';
import { randomData } from '../../src/data/random.ts';
import { quadraticHinge } from '../../src/loss/losses.ts';
import { evaluate } from '../../src/loss/objective.ts';

function instance(activation: 'relu' | 'softplus') {
  const arch = makeArchitecture({ d: 4, h: 5, L: 2, activation });
  const obj = { arch, loss: quadraticHinge(1), data: randomData({ P: 30, d: 4, seed: 3 }) };
  const theta = initialParameters(arch, 7);
  return { obj, theta, ev: evaluate(obj, theta) };
}

describe('endPoint: what is measured at a run\'s end, each once', () => {
  it.each(['relu', 'softplus'] as const)('%s: the certificate and the spectra share one decomposition of H, and agree with the direct computations', (activation) => {
    const { obj, theta, ev } = instance(activation);
    const point = endPoint(obj, theta, ev);
    const c = certify(point);
    const sp = point.spectra();
    // the same arrays, not equal copies: H was built once and decomposed once
    expect(sp.eigH).toBe(point.eigH());
    expect(point.hessian()).toBe(point.hessian());
    expect(point.diagnostics()).toBe(point.diagnostics());
    // and the same numbers as computing everything afresh
    const direct = hessianSpectra(obj, theta, hessianSplit(obj, theta, ev));
    for (const k of ['eigH', 'eigH0', 'eigHp'] as const) expect(Array.from(sp[k])).toEqual(Array.from(direct[k]));
    expect([sp.nNegHp, sp.nNegH, sp.rankH0, sp.scale, sp.tolerance]).toEqual([direct.nNegHp, direct.nNegH, direct.rankH0, direct.scale, direct.tolerance]);
    const eig = symmetricEigenvalues(hessianSplit(obj, theta, ev).H, sp.n);
    expect([c.lambdaMin, c.lambdaMax]).toEqual([eig[0], eig[eig.length - 1]]);
    expect(c.kinks).toBe(diagnostics(obj, ev).kinks);
    expect(point.diagnostics()).toEqual(diagnostics(obj, ev));
    expect(point.deadPatternIndices()).toEqual(deadPatternIndices(obj, ev));
  });

  it('builds nothing that is not asked for: diagnostics alone leave the Hessian unbuilt', () => {
    const { obj, theta, ev } = instance('relu');
    const point = endPoint(obj, theta, ev);
    point.diagnostics();
    expect(point.timing).toEqual({ hessianSeconds: 0, spectraSeconds: 0 });
    point.spectra();
    expect(point.timing.hessianSeconds).toBeGreaterThan(0);
  });
});

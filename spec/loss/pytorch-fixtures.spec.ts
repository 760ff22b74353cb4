import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { makeArchitecture, layout } from '../../src/model/architecture.ts';
import { makeDataset } from '../../src/data/dataset.ts';
import { makeLoss, type LossKind } from '../../src/loss/losses.ts';
import { evaluate } from '../../src/loss/objective.ts';
import { hessianSplit } from '../../src/loss/hessian.ts';
import { symmetricEigenvalues } from '../../src/analyse/spectrum.ts';

/**
 * The second implementation: fixtures/pytorch/cases.json was computed by an independent PyTorch
 * float64 script (torch.func.hessian of the loss; per-pattern vmap(jacrev/hessian) for H0 and Hp).
 * Both sides are exact in float64, so agreement is to rounding: 1e-11 relative to each quantity's
 * largest entry leaves room for different summation orders over at most 25 patterns and 127 parameters.
 */
interface RefCase {
  name: string;
  arch: { d: number; h: number; L: number; activation: 'relu' | 'softplus'; beta: number | null; bias: boolean };
  loss: { kind: LossKind; kappa: number };
  P: number;
  x: number[][];
  y: number[];
  params: number[];
  f: number[];
  delta: number[];
  lossValue: number;
  nDelta: number;
  gradient: number[];
  H0: number[][];
  Hp: number[][];
  H: number[][];
  eigH: number[];
  eigH0: number[];
  eigHp: number[];
}

const ref = JSON.parse(readFileSync(new URL('../../fixtures/pytorch/cases.json', import.meta.url), 'utf8')) as {
  cases: RefCase[];
};
const TOL = 1e-11;

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return den === 0 ? num : num / den;
}

describe('agreement with the PyTorch float64 reference (fixtures/pytorch)', () => {
  it('has the cases the spec relies on', () => {
    expect(ref.cases.length).toBeGreaterThanOrEqual(16);
  });
  for (const c of ref.cases) {
    it(c.name, () => {
      const arch = makeArchitecture({ ...c.arch, beta: c.arch.beta ?? 10 });
      expect(layout(arch).Ntot).toBe(c.params.length);
      const data = makeDataset(c.name, Float64Array.from(c.x.flat()), Float64Array.from(c.y), c.arch.d);
      const obj = { arch, loss: makeLoss(c.loss.kind, c.loss.kappa), data };
      const theta = Float64Array.from(c.params);
      const ev = evaluate(obj, theta);
      expect(maxRelDiff(ev.trace.f, c.f)).toBeLessThan(TOL);
      expect(maxRelDiff(ev.delta, c.delta)).toBeLessThan(TOL);
      expect(Math.abs(ev.value - c.lossValue)).toBeLessThanOrEqual(TOL * Math.abs(c.lossValue));
      expect(ev.nDelta).toBe(c.nDelta);
      expect(maxRelDiff(ev.gradient, c.gradient)).toBeLessThan(TOL);
      const { H0, Hp, H, n } = hessianSplit(obj, theta, ev);
      expect(maxRelDiff(H0, c.H0.flat())).toBeLessThan(TOL);
      expect(maxRelDiff(Hp, c.Hp.flat())).toBeLessThan(TOL);
      expect(maxRelDiff(H, c.H.flat())).toBeLessThan(TOL);
      // spectra: absolute error relative to the spectral scale of H
      const scale = Math.max(1e-300, ...c.eigH.map(Math.abs));
      for (const [m, want] of [[H, c.eigH], [H0, c.eigH0], [Hp, c.eigHp]] as const) {
        const got = symmetricEigenvalues(m, n);
        let err = 0;
        for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(got[i] - want[i]));
        expect(err / scale).toBeLessThan(1e-10);
      }
      if (c.nDelta === 0 && c.loss.kind !== 'crossEntropy') {
        expect(H.every((v) => v === 0)).toBe(true);
        expect(ev.gradient.every((v) => v === 0)).toBe(true);
      }
      if (c.arch.L === 0) expect(Hp.every((v) => v === 0)).toBe(true);
    });
  }
});

import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { assertProperty } from '../support/fc.ts';
import { problemArb, perturbedParameters, gaussianData } from '../support/arbitraries.ts';
import { evaluate } from '../../src/loss/objective.ts';
import { hessianSplit } from '../../src/loss/hessian.ts';
import { hessianSpectra } from '../../src/analyse/hessianSpectra.ts';
import { makeArchitecture, layout } from '../../src/model/architecture.ts';
import { forward } from '../../src/model/forward.ts';
import { quadraticHinge } from '../../src/loss/losses.ts';

// Claim 2 (SCIENCE.md): H = H0 + Hp, H0 PSD with rank <= N_Delta, H = 0 at zero loss; Hp = 0 for L = 0.
describe('claim 2: structure of the exact Hessian', () => {
  it('H = H0 + Hp entry by entry; all three symmetric; H0 PSD with rank(H0) <= N_Delta', () => {
    assertProperty(
      fc.property(problemArb(), ({ obj, theta }) => {
        const s = hessianSplit(obj, theta);
        const sp = hessianSpectra(obj, theta, s);
        const n = s.n;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            expect(s.H[i * n + j]).toBe(s.H0[i * n + j] + s.Hp[i * n + j]);
            expect(s.H0[i * n + j]).toBe(s.H0[j * n + i]);
            expect(s.Hp[i * n + j]).toBe(s.Hp[j * n + i]);
          }
        }
        expect(sp.eigH0[0]).toBeGreaterThanOrEqual(-sp.tolerance);
        expect(sp.rankH0).toBeLessThanOrEqual(s.evaluation.nDelta);
      }),
    );
  });

  it('Hp = 0 exactly for the linear model (L = 0)', () => {
    assertProperty(
      fc.property(problemArb({ maxL: 0 }), ({ obj, theta }) => {
        expect(hessianSplit(obj, theta).Hp.every((v) => v === 0)).toBe(true);
      }),
    );
  });

  it('H = H0 = Hp = 0 and gradient = 0 exactly when every Delta < 0', () => {
    assertProperty(
      fc.property(problemArb(), ({ obj, theta }) => {
        // Make every margin exceed kappa: output weights 0, output bias y-independent won't do with
        // alternating labels, so give all patterns label +1 and a large output bias.
        const lay = layout(obj.arch);
        const out = lay.layers[lay.layers.length - 1];
        fc.pre(out.b >= 0);
        const t = Float64Array.from(theta);
        for (let i = 0; i < out.inDim; i++) t[out.w + i] = 0;
        t[out.b] = obj.loss.kappa + 1;
        const data = { ...obj.data, y: new Float64Array(obj.data.P).fill(1) };
        const o = { ...obj, data };
        const s = hessianSplit(o, t);
        expect(s.evaluation.nDelta).toBe(0);
        expect(s.evaluation.value).toBe(0);
        expect(s.evaluation.gradient.every((v) => v === 0)).toBe(true);
        expect(s.H.every((v) => v === 0)).toBe(true);
        expect(s.H0.every((v) => v === 0)).toBe(true);
        expect(s.Hp.every((v) => v === 0)).toBe(true);
      }),
    );
  });
});

describe('Weyl bounds (the step from claim 2 to claim 3)', () => {
  it('N_-(Hp) - rank(H0) <= N_-(H) <= N_-(Hp), hence N_-(Hp) - N_Delta <= N_-(H)', () => {
    assertProperty(
      fc.property(problemArb(), ({ obj, theta }) => {
        const sp = hessianSpectra(obj, theta);
        const nDelta = evaluate(obj, theta).nDelta;
        // Weyl: adding a PSD matrix of rank r moves at most r eigenvalues from below 0 to above.
        expect(sp.nNegH).toBeLessThanOrEqual(sp.nNegHp);
        expect(sp.nNegHp - sp.rankH0).toBeLessThanOrEqual(sp.nNegH);
        expect(sp.nNegHp - nDelta).toBeLessThanOrEqual(sp.nNegH);
      }),
    );
  });
});

describe('ReLU rescaling symmetry (why N counts weights only)', () => {
  it('scaling a hidden unit\'s incoming weights and bias by c > 0 and its outgoing weights by 1/c leaves f unchanged', () => {
    assertProperty(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.nat(),
        fc.nat(),
        (d, h, L, bias, seed, c, lPick, uPick) => {
          const arch = makeArchitecture({ d, h, L, bias });
          const theta = perturbedParameters(arch, seed);
          const data = gaussianData(7, d, seed + 1);
          const lay = layout(arch);
          const l = 1 + (lPick % L); // hidden layer
          const u = uPick % h; // unit
          const t = Float64Array.from(theta);
          const into = lay.layers[l - 1];
          for (let i = 0; i < into.inDim; i++) t[into.w + u * into.inDim + i] *= c;
          if (into.b >= 0) t[into.b + u] *= c;
          const outOf = lay.layers[l];
          for (let o = 0; o < outOf.outDim; o++) t[outOf.w + o * outOf.inDim + u] /= c;
          const f0 = forward(arch, theta, data.x, data.P);
          const f1 = forward(arch, t, data.x, data.P);
          for (let mu = 0; mu < data.P; mu++) expect(Math.abs(f1[mu] - f0[mu])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(f0[mu])));
        },
      ),
    );
  });

  it('the symmetry fails for softplus (a control: the spec can tell the two apart)', () => {
    const arch = makeArchitecture({ d: 3, h: 4, L: 1, activation: 'softplus', beta: 1 });
    const theta = perturbedParameters(arch, 3);
    const data = gaussianData(5, 3, 4);
    const t = Float64Array.from(theta);
    const lay = layout(arch);
    for (let i = 0; i < 3; i++) t[lay.layers[0].w + i] *= 2;
    t[lay.layers[0].b] *= 2;
    t[lay.layers[1].w] /= 2;
    const f0 = forward(arch, theta, data.x, data.P);
    const f1 = forward(arch, t, data.x, data.P);
    expect(Math.max(...f0.map((v, i) => Math.abs(v - f1[i])))).toBeGreaterThan(1e-6);
  });
});

describe('a deliberately wrong Hessian is caught', () => {
  it('dropping the curvature term of Hp breaks H = finite differences of the gradient', () => {
    // Mutation check kept as a test: Gauss-Newton (H0 alone) is not the Hessian below jamming.
    const arch = makeArchitecture({ d: 3, h: 4, L: 2, activation: 'softplus', beta: 2 });
    const obj = { arch, loss: quadraticHinge(1), data: gaussianData(9, 3, 5) };
    const theta = perturbedParameters(arch, 11);
    const s = hessianSplit(obj, theta);
    const n = s.n;
    const step = 1e-6;
    let errH = 0;
    let errH0 = 0;
    for (let j = 0; j < n; j++) {
      const up = Float64Array.from(theta);
      up[j] += step;
      const dn = Float64Array.from(theta);
      dn[j] -= step;
      const gu = evaluate(obj, up).gradient;
      const gd = evaluate(obj, dn).gradient;
      for (let i = 0; i < n; i++) {
        const fd = (gu[i] - gd[i]) / (2 * step);
        errH = Math.max(errH, Math.abs(s.H[i * n + j] - fd));
        errH0 = Math.max(errH0, Math.abs(s.H0[i * n + j] - fd));
      }
    }
    expect(errH).toBeLessThan(1e-6);
    expect(errH0).toBeGreaterThan(1e-3);
  });
});

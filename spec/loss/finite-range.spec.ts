import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { derivative, parse } from 'mathjs';
import { assertProperty } from '../support/fc.ts';
import { problemArb } from '../support/arbitraries.ts';
import { makeLoss, quadraticHinge, linearHinge, crossEntropy } from '../../src/loss/losses.ts';
import { evaluate } from '../../src/loss/objective.ts';
import { makeArchitecture } from '../../src/model/architecture.ts';
import { makeDataset } from '../../src/data/dataset.ts';

// Claim 1 (SCIENCE.md): finite range of the hinges, infinite range of cross-entropy.
// |Delta| >= 1e-150 or 0: below ~1e-162, Delta^2/2 underflows to 0 in float64 although Delta > 0
// (a representational limit, not a property of the loss; N_Delta still counts such a pattern).
const deltaArb = fc.oneof(
  fc.constant(0),
  fc.double({ min: 1e-150, max: 50, noNaN: true }),
  fc.double({ min: -50, max: -1e-150, noNaN: true }),
  fc.double({ min: -50, max: 50, noNaN: true }).filter((d) => d === 0 || Math.abs(d) >= 1e-150),
);

describe('claim 1: finite range', () => {
  for (const loss of [quadraticHinge(1), linearHinge(1), quadraticHinge(0.5)]) {
    it(`${loss.kind} (kappa ${loss.kappa}): ell and ell' vanish exactly when Delta <= 0, and only then`, () => {
      assertProperty(
        fc.property(deltaArb, (d) => {
          if (d <= 0) {
            expect(loss.ell(d)).toBe(0);
            expect(loss.dEll(d)).toBe(0);
          } else {
            expect(loss.ell(d)).toBeGreaterThan(0);
            expect(loss.dEll(d)).toBeGreaterThan(0);
          }
        }),
      );
    });
  }

  it('the quadratic hinge is C1 at 0: ell and ell\' tend to 0 from above', () => {
    const q = quadraticHinge();
    for (const eps of [1e-3, 1e-6, 1e-9, 1e-12]) {
      expect(q.ell(eps)).toBeLessThan(eps);
      expect(q.dEll(eps)).toBeLessThanOrEqual(eps);
      expect(q.ell(-eps)).toBe(0);
    }
  });

  it('cross-entropy is never 0, however large the margin that float64 can represent', () => {
    const ce = crossEntropy();
    assertProperty(fc.property(fc.double({ min: -700, max: 50, noNaN: true }), (d) => {
      expect(ce.ell(d)).toBeGreaterThan(0);
      expect(ce.dEll(d)).toBeGreaterThan(0);
    }));
  });

  it('the total loss is 0 exactly when every margin y f >= kappa', () => {
    assertProperty(
      fc.property(problemArb(), ({ obj, theta }) => {
        const ev = evaluate(obj, theta);
        const allSatisfied = Array.from(ev.delta).every((d) => d <= 0);
        expect(ev.value === 0).toBe(allSatisfied);
        expect(ev.nDelta === 0).toBe(allSatisfied);
      }),
    );
  });
});

describe('claim 1 at the boundary', () => {
  it('a network whose every margin is exactly kappa has loss 0; a hair less and it is positive', () => {
    // linear model with zero weights: f = b for every pattern, labels all +1, so y f = b
    const arch = makeArchitecture({ d: 3, h: 0, L: 0 });
    const data = makeDataset('ones', new Float64Array(12).fill(0.5), new Float64Array(4).fill(1), 3);
    const obj = { arch, loss: quadraticHinge(1), data };
    const at = (b: number) => evaluate(obj, Float64Array.from([0, 0, 0, b]));
    expect(at(1).value).toBe(0);
    expect(at(1).nDelta).toBe(0);
    expect(at(1 - 1e-9).value).toBeGreaterThan(0);
    expect(at(1 - 1e-9).nDelta).toBe(4);
    expect(at(5).value).toBe(0);
  });
});

describe('loss derivatives agree with mathjs symbolic differentiation', () => {
  const cases = [
    { loss: quadraticHinge(1), expr: '0.5 * D^2' },
    { loss: linearHinge(1), expr: 'D' },
    { loss: crossEntropy(1), expr: 'log(1 + exp(D - 1))' },
  ];
  for (const { loss, expr } of cases) {
    it(`${loss.kind}: ell' and ell'' equal d/dDelta of ${expr} on Delta > 0`, () => {
      const e0 = parse(expr);
      const e1 = derivative(e0, 'D');
      const e2 = derivative(e1, 'D');
      const [f0, f1, f2] = [e0, e1, e2].map((e) => e.compile());
      assertProperty(
        fc.property(fc.double({ min: 1e-3, max: 20, noNaN: true }), (D) => {
          const tol = (v: number) => 1e-12 * Math.max(1, Math.abs(v));
          expect(Math.abs(loss.ell(D) - f0.evaluate({ D }))).toBeLessThanOrEqual(tol(f0.evaluate({ D })));
          expect(Math.abs(loss.dEll(D) - f1.evaluate({ D }))).toBeLessThanOrEqual(tol(f1.evaluate({ D })));
          expect(Math.abs(loss.d2Ell(D) - f2.evaluate({ D }))).toBeLessThanOrEqual(tol(f2.evaluate({ D })));
        }),
      );
    });
  }

  it('rejects an unknown loss and a negative kappa with a message naming the field', () => {
    expect(() => makeLoss('hinge3' as never)).toThrow(/loss: got "hinge3"; allowed: quadratic, linear, crossEntropy/);
    expect(() => makeLoss('quadratic', -1)).toThrow(/kappa: got -1/);
  });
});

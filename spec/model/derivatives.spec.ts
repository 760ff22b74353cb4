import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { assertProperty } from '../support/fc.ts';
import { problemArb, lossArb, kinkDistance } from '../support/arbitraries.ts';
import { evaluate } from '../../src/loss/objective.ts';
import { hessianSplit } from '../../src/loss/hessian.ts';

/**
 * Every derivative against central finite differences (float64). Step 1e-6 gives truncation error
 * ~1e-12 * |f'''| and rounding ~1e-16/1e-6 = 1e-10 relative; ReLU cases are kept at least 1e-3
 * from any kink so the step never crosses one; tolerance 1e-6 relative to the scale is wide enough.
 */
const STEP = 1e-6;
const KINK_MARGIN = 1e-3;

function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 1e-8;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(a[i]), Math.abs(b[i]));
  }
  return num / den;
}

/** ReLU and hinge derivatives are valid only away from kinks (pre-activations) and Delta = 0. */
function smoothHere(c: ReturnType<typeof evaluate>, relu: boolean, hinge: boolean): boolean {
  if (relu && kinkDistance(c.trace) < KINK_MARGIN) return false;
  if (hinge) for (const d of c.delta) if (Math.abs(d) < KINK_MARGIN) return false;
  return true;
}

describe('gradient of the loss', () => {
  it('matches central finite differences (L 0..3, relu/softplus, biases on/off, three losses)', () => {
    assertProperty(
      fc.property(problemArb({ loss: lossArb }), ({ obj, theta }) => {
        const ev = evaluate(obj, theta);
        fc.pre(smoothHere(ev, obj.arch.activation === 'relu', obj.loss.kind !== 'crossEntropy'));
        const fd = new Float64Array(theta.length);
        for (let i = 0; i < theta.length; i++) {
          const t = Float64Array.from(theta);
          t[i] += STEP;
          const up = evaluate(obj, t).value;
          t[i] -= 2 * STEP;
          const down = evaluate(obj, t).value;
          fd[i] = (up - down) / (2 * STEP);
        }
        expect(relErr(ev.gradient, fd)).toBeLessThan(1e-6);
      }),
    );
  });
});

describe('exact Hessian H = H0 + Hp', () => {
  it('matches finite differences of the exact gradient, and is symmetric', () => {
    assertProperty(
      fc.property(problemArb({ loss: lossArb }), ({ obj, theta }) => {
        const ev = evaluate(obj, theta);
        fc.pre(smoothHere(ev, obj.arch.activation === 'relu', obj.loss.kind !== 'crossEntropy'));
        const { H, n } = hessianSplit(obj, theta, ev);
        const fd = new Float64Array(n * n);
        for (let j = 0; j < n; j++) {
          const t = Float64Array.from(theta);
          t[j] += STEP;
          const up = evaluate(obj, t).gradient;
          t[j] -= 2 * STEP;
          const down = evaluate(obj, t).gradient;
          for (let i = 0; i < n; i++) fd[i * n + j] = (up[i] - down[i]) / (2 * STEP);
        }
        expect(relErr(H, fd)).toBeLessThan(1e-6);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(H[i * n + j]).toBe(H[j * n + i]);
      }),
    );
  });
});

/**
 * The minimisers (src/train/adamRun.ts, adam0.ts, fire.ts, lbfgs.ts) against the Landscape
 * contract: accuracy on strictly convex quadratics (what "machine precision" means differs by
 * method, see each test), the StopWatch reasons ('zero' at the first exactly-zero loss, 'budget'
 * never reported as 'converged'), exact evaluation counts, determinism, input validation, and a
 * tiny real network fitted to loss exactly 0.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { assertProperty, fcParams } from '../support/fc.ts';
import { createRng } from '../../src/util/prng.ts';
import { orthogonal, initialParameters } from '../../src/model/init.ts';
import { makeArchitecture, layout } from '../../src/model/architecture.ts';
import { randomData } from '../../src/data/random.ts';
import { quadraticHinge } from '../../src/loss/losses.ts';
import { evaluate, type Objective } from '../../src/loss/objective.ts';
import type { Landscape, LandscapePoint, MinimiserResult, Progress, StopRule } from '../../src/train/landscape.ts';
import { adamRun, constantLr, DEFAULT_ADAM_RUN, type AdamRunOptions } from '../../src/train/adamRun.ts';
import {
  adam0,
  adam0Schedule,
  adam0ScheduleScaled,
  adam0RuleScaled,
  ADAM0_RULE,
  ADAM0_LR0,
  ADAM0_DECAY_EVERY,
  ADAM0_LR_FLOOR,
  DEFAULT_ADAM0,
} from '../../src/train/adam0.ts';
import { fire, DEFAULT_FIRE } from '../../src/train/fire.ts';
import { lbfgs, DEFAULT_LBFGS } from '../../src/train/lbfgs.ts';
import { inputError } from '../support/inputError.ts';

// ---------------------------------------------------------------------------------------------
// Test landscapes. Every one counts its evaluate calls, so result.evaluations is checked exactly.

interface Counted extends Landscape {
  calls: number;
  /** index (1-based) of the first evaluation that returned value 0 with nDelta 0, or 0 */
  firstZero: number;
}

function counted(n: number, fn: (theta: Float64Array) => LandscapePoint): Counted {
  const c: Counted = {
    n,
    calls: 0,
    firstZero: 0,
    evaluate(theta: Float64Array): LandscapePoint {
      c.calls++;
      const p = fn(theta);
      if (c.firstZero === 0 && p.value === 0 && p.nDelta === 0) c.firstZero = c.calls;
      return p;
    },
  };
  return c;
}

interface Quadratic {
  readonly f: Counted;
  readonly xStar: Float64Array;
  readonly theta0: Float64Array;
  readonly kappa: number;
}

/**
 * f(x) = 1/2 (x - x*)^T A (x - x*), A = Q diag(lambda) Q^T with Q a seeded random orthogonal
 * matrix and lambda_i = kappa^(-i/(n-1)): lambda_max = 1, lambda_min = 1/kappa. x* and theta0 are
 * independent standard normal vectors. nDelta = 1 always: a quadratic is never "fitted".
 */
function quadratic(n: number, kappa: number, seed: number): Quadratic {
  const rng = createRng(seed);
  const Q = orthogonal(n, n, rng);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += Q[i * n + k] * (n === 1 ? 1 : Math.pow(kappa, -k / (n - 1))) * Q[j * n + k];
      A[i * n + j] = s;
    }
  }
  const xStar = new Float64Array(n);
  const theta0 = new Float64Array(n);
  for (let i = 0; i < n; i++) xStar[i] = rng.normal();
  for (let i = 0; i < n; i++) theta0[i] = rng.normal();
  const e = new Float64Array(n);
  const f = counted(n, (theta) => {
    for (let i = 0; i < n; i++) e[i] = theta[i] - xStar[i];
    const gradient = new Float64Array(n);
    let v = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A[i * n + j] * e[j];
      gradient[i] = s;
      v += e[i] * s;
    }
    return { value: 0.5 * v, gradient, nDelta: 1 };
  });
  return { f, xStar, theta0, kappa: n === 1 ? 1 : kappa };
}

/**
 * A landscape with a finite range, like the quadratic hinge: f = 1/2 sum_i w_i max(0, 1 - x_i)^2,
 * exactly 0 (with zero gradient) once every x_i >= 1; nDelta counts the x_i < 1.
 */
function hinge(n: number, seed: number, unitWeights = false): Counted {
  const rng = createRng(seed);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = unitWeights ? 1 : 0.5 + rng.uniform();
  return counted(n, (theta) => {
    const gradient = new Float64Array(n);
    let v = 0;
    let nDelta = 0;
    for (let i = 0; i < n; i++) {
      const d = 1 - theta[i];
      if (d > 0) {
        nDelta++;
        v += 0.5 * w[i] * d * d;
        gradient[i] = -w[i] * d;
      }
    }
    return { value: v, gradient, nDelta };
  });
}

const dist = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
  return Math.sqrt(s);
};
const distInf = (a: Float64Array, b: Float64Array): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const norm = (a: Float64Array): number => Math.sqrt(a.reduce((s, x) => s + x * x, 0));

/** no stopping but the budget, an exactly zero gradient or (L-BFGS) two failed line searches */
const noStop = (maxEvaluations: number): StopRule => ({ maxEvaluations, relTol: 0, window: 1e9, gradTol: 0 });

// ---------------------------------------------------------------------------------------------
// The minimisers under one signature, for the shared contract tests.

type Runner = (f: Landscape, theta0: Float64Array, rule: StopRule, onProgress?: (p: Progress) => void, every?: number) => MinimiserResult;

/** Adam: lr 1e-2 for 20k steps, then / 10 every 2000 steps down to 1e-10 (38k steps in all). */
const ADAM_T0 = 20_000;
const ADAM_STAGE = 2_000;
const ADAM_LR_END = 1e-10;
const decayingLr = (t: number): number =>
  t < ADAM_T0 ? 1e-2 : Math.max(1e-2 * Math.pow(10, -1 - Math.floor((t - ADAM_T0) / ADAM_STAGE)), ADAM_LR_END);
const ADAM_DECAY_STEPS = ADAM_T0 + 9 * ADAM_STAGE;
/** Adam's final error in units of its final lr: about 3 maximal steps, (1 - beta1)/sqrt(1 - beta2) = 3.16 each */
const ADAM_ACCURACY = 10;

/** adam0's schedule compressed 50x; at 2000 (125x) runs with kappa >~ 300 end budget-limited, 1e-4 from x* */
const ADAM0_COMPRESSED = 5_000;

const RUNNERS: Record<string, Runner> = {
  'adamRun (constant lr 1e-2)': (f, t, r, p, e) => adamRun(f, t, { ...DEFAULT_ADAM_RUN, lr: constantLr(1e-2) }, r, p, e),
  'adamRun (decaying lr)': (f, t, r, p, e) => adamRun(f, t, { ...DEFAULT_ADAM_RUN, lr: decayingLr }, r, p, e),
  'adam0 (compressed)': (f, t, r, p, e) => adam0(f, t, { ...DEFAULT_ADAM0, decayEvery: ADAM0_COMPRESSED }, r, p, e),
  FIRE: (f, t, r, p, e) => fire(f, t, DEFAULT_FIRE, r, p, e),
  'L-BFGS': (f, t, r, p, e) => lbfgs(f, t, DEFAULT_LBFGS, r, p, e),
};

/** the Adam runs (up to 40k steps each) and the per-minimiser contract properties use fewer runs */
const HALF_RUNS = Math.ceil(fcParams.numRuns / 2);
const QUARTER_RUNS = Math.ceil(fcParams.numRuns / 4);

const quadArb = (minN = 1, maxN = 30) =>
  fc.record({
    n: fc.integer({ min: minN, max: maxN }),
    logKappa: fc.double({ min: 0, max: 3, noNaN: true }),
    seed: fc.integer({ min: 0, max: 0xffffffff }),
  });

// ---------------------------------------------------------------------------------------------

describe('minimisers reach machine precision on strictly convex quadratics (n 1..30, kappa up to 1e3)', () => {
  // Errors are relative to the start: r = |x - x*| / |theta0 - x*| and f / f(theta0).
  // Float64 floor: x - x* is rounded to eps |x*| per component, so the computed gradient carries an
  // error of order eps lambda_max |x*| and x is determined to about eps kappa |x*| ~ 1e-13 relative.

  it('L-BFGS, run until it finds no decrease in float64 (gradTol 0): r <= 1e-10 and f/f0 <= 1e-20', () => {
    // No tolerance is given: the run ends only when two line searches in a row fail, i.e. when
    // float64 admits no further decrease. Observed r ~ 1e-15, f ~ 1e-31.
    assertProperty(
      fc.property(quadArb(), ({ n, logKappa, seed }) => {
        const q = quadratic(n, Math.pow(10, logKappa), seed);
        const f0 = q.f.evaluate(q.theta0).value;
        q.f.calls = 0;
        const r = lbfgs(q.f, q.theta0, DEFAULT_LBFGS, noStop(100_000));
        expect(r.reason === 'converged').toBe(true);
        expect(r.evaluations).toBe(q.f.calls);
        expect(dist(r.theta, q.xStar)).toBeLessThanOrEqual(1e-10 * dist(q.theta0, q.xStar));
        expect(r.point.value).toBeLessThanOrEqual(1e-20 * f0);
      }),
    );
  });

  it('FIRE, stopped at |g| <= 1e-13 lambda_max |theta0 - x*|: r <= 1e-10 and f/f0 <= 1e-20', () => {
    // |x - x*| <= |g| / lambda_min = 1e-13 kappa |theta0 - x*| <= 1e-10 |theta0 - x*|, and
    // f <= |g|^2 / (2 lambda_min) while f0 >= lambda_min |theta0 - x*|^2 / 2: f/f0 <= 1e-26 kappa^2.
    // 1e-13 is ~100 times the rounding floor of the gradient, so it is reached, not hoped for.
    assertProperty(
      fc.property(quadArb(), ({ n, logKappa, seed }) => {
        const q = quadratic(n, Math.pow(10, logKappa), seed);
        const e0 = dist(q.theta0, q.xStar);
        const f0 = q.f.evaluate(q.theta0).value;
        q.f.calls = 0;
        const r = fire(q.f, q.theta0, DEFAULT_FIRE, { ...noStop(200_000), gradTol: 1e-13 * e0 });
        expect(r.reason).toBe('converged');
        expect(r.evaluations).toBe(q.f.calls);
        expect(dist(r.theta, q.xStar)).toBeLessThanOrEqual(1e-10 * e0);
        expect(r.point.value).toBeLessThanOrEqual(1e-20 * f0);
      }),
    );
  });

  // Adam's accuracy is limited by its step size, not by float64. Its step is lr m^/(sqrt(v^) + eps)
  // per coordinate, at most (1 - beta1)/sqrt(1 - beta2) lr = 3.16 lr (Kingma & Ba, sec. 2.1), and
  // at a fixed lr it need not converge on a quadratic: v^ lags behind the shrinking gradient, the
  // normalised step stays O(1) and the iterate ends in a bounded oscillation around x*, of the size
  // of a step or two (observed: up to 0.12 lr at lr 1e-2; at the adam0 floor 1e-7 up to 1.0 lr, the
  // sign flipping every step, and once 3.16 lr, exactly one maximal step, taken when the gradient
  // grew after a quiet spell). So the assertion is in absolute units of the lr:
  // max_i |x_i - x*_i| <= ADAM_ACCURACY lr = 10 lr, with lr the constant one or the final value of a
  // schedule. When a stage is long enough each decay of the lr lets the oscillation die out: the
  // error then falls to ~1e-15, far below the bound.

  it('adamRun, constant lr 1e-2 for 30k steps: max |x - x*| <= 10 lr (an oscillation of size O(lr))', () => {
    assertProperty(
      fc.property(quadArb(), ({ n, logKappa, seed }) => {
        const q = quadratic(n, Math.pow(10, logKappa), seed);
        const r = adamRun(q.f, q.theta0, { ...DEFAULT_ADAM_RUN, lr: constantLr(1e-2) }, noStop(30_001));
        expect(['budget', 'converged']).toContain(r.reason);
        expect(r.evaluations).toBe(q.f.calls);
        expect(distInf(r.theta, q.xStar)).toBeLessThanOrEqual(ADAM_ACCURACY * 1e-2);
      }),
      HALF_RUNS,
    );
  });

  it('adamRun, lr 1e-2 then / 10 every 2000 steps to 1e-10: max |x - x*| <= 1e-9', () => {
    assertProperty(
      fc.property(quadArb(), ({ n, logKappa, seed }) => {
        const q = quadratic(n, Math.pow(10, logKappa), seed);
        const r = adamRun(q.f, q.theta0, { ...DEFAULT_ADAM_RUN, lr: decayingLr }, noStop(ADAM_DECAY_STEPS + 1));
        expect(['budget', 'converged']).toContain(r.reason);
        expect(r.evaluations).toBe(q.f.calls);
        expect(distInf(r.theta, q.xStar)).toBeLessThanOrEqual(ADAM_ACCURACY * ADAM_LR_END);
      }),
      HALF_RUNS,
    );
  });

  it('adam0 with its schedule compressed 50x (lr / 10 every 5000 steps to 1e-7): max |x - x*| <= 1e-6', () => {
    // The authors' lr starts at 1e-4, so Adam can travel only ~1e-4 per step: started 1e-2 from x*
    // (per coordinate). The run ends on the adam0 rule (stall with relTol 1e-6 once at the floor)
    // or its budget of 40k steps. The bound needs enough steps as well as a small lr: Adam's motion
    // along the soft directions of A is slow, and with only 2000 steps per stage runs with
    // kappa >~ 300 ended 1e-4 from x*, far outside it; with 5000, max |x - x*| <= 6e-15 in 60 runs.
    assertProperty(
      fc.property(quadArb(), ({ n, logKappa, seed }) => {
        const q = quadratic(n, Math.pow(10, logKappa), seed);
        const start = new Float64Array(n);
        for (let i = 0; i < n; i++) start[i] = q.xStar[i] + 1e-2 * Math.tanh(q.theta0[i]);
        const r = adam0(q.f, start, { ...DEFAULT_ADAM0, decayEvery: ADAM0_COMPRESSED }, adam0RuleScaled(ADAM0_COMPRESSED));
        expect(['budget', 'converged']).toContain(r.reason);
        expect(r.evaluations).toBe(q.f.calls);
        expect(r.evaluations).toBeLessThanOrEqual(8 * ADAM0_COMPRESSED + 1);
        expect(distInf(r.theta, q.xStar)).toBeLessThanOrEqual(ADAM_ACCURACY * ADAM0_LR_FLOOR);
      }),
      HALF_RUNS,
    );
  });
});

describe('the stopping contract, for every minimiser', () => {
  for (const [name, run] of Object.entries(RUNNERS)) {
    describe(name, () => {
      it("stops at the first evaluation with loss exactly 0 and N_Delta = 0 (reason 'zero')", () => {
        assertProperty(
          fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 0xffffffff }), (n, seed) => {
            // started at 0.9: adam0's lr 1e-4 covers the 0.1 in ~1000 steps, before its first decay
            const f = hinge(n, seed);
            const r = run(f, new Float64Array(n).fill(0.9), noStop(1_000_000));
            expect(r.reason).toBe('zero');
            expect(r.point.value).toBe(0);
            expect(r.point.nDelta).toBe(0);
            expect(f.firstZero).toBe(f.calls);
            expect(r.evaluations).toBe(f.calls);
            for (let i = 0; i < n; i++) expect(r.theta[i]).toBeGreaterThanOrEqual(1);
          }),
          QUARTER_RUNS,
        );
      });

      it("reports 'budget' (never 'converged') when maxEvaluations is reached, with exact counts", () => {
        assertProperty(
          fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 0, max: 0xffffffff }), (budget, seed) => {
            const q = quadratic(30, 1e3, seed);
            const r = run(q.f, q.theta0, noStop(budget));
            expect(r.reason).toBe('budget');
            expect(r.evaluations).toBe(budget);
            expect(q.f.calls).toBe(budget);
            expect(r.theta.length).toBe(30);
          }),
          QUARTER_RUNS,
        );
      });

      it('does not mutate theta0 and gives bit-identical results on a second run', () => {
        const q1 = quadratic(12, 300, 7);
        const q2 = quadratic(12, 300, 7);
        const copy = Float64Array.from(q1.theta0);
        const rule = { maxEvaluations: 3000, relTol: 1e-9, window: 500, gradTol: 1e-12 };
        const a = run(q1.f, q1.theta0, rule);
        const b = run(q2.f, q2.theta0, rule);
        expect(Buffer.from(q1.theta0.buffer).equals(Buffer.from(copy.buffer))).toBe(true);
        expect(Buffer.from(a.theta.buffer, a.theta.byteOffset, a.theta.byteLength).equals(Buffer.from(b.theta.buffer, b.theta.byteOffset, b.theta.byteLength))).toBe(true);
        expect(a.point.value).toBe(b.point.value);
        expect([a.reason, a.steps, a.evaluations]).toEqual([b.reason, b.steps, b.evaluations]);
        expect(a.evaluations).toBe(q1.f.calls);
      });

      it('throws when the landscape returns NaN (at the start or later)', () => {
        for (const at of [1, 4]) {
          const q = quadratic(5, 10, 3);
          const f = counted(5, (theta) => {
            const p = q.f.evaluate(theta);
            return q.f.calls >= at ? { ...p, value: NaN } : p;
          });
          expect(() => run(f, q.theta0, noStop(1000))).toThrow(/diverged/);
        }
      });

      it('reports progress every progressEvery steps and once at the end', () => {
        const q = quadratic(8, 100, 11);
        const seen: Progress[] = [];
        const r = run(q.f, q.theta0, noStop(400), (p) => seen.push(p), 7);
        expect(seen.length).toBeGreaterThan(0);
        const last = seen[seen.length - 1];
        expect(last).toEqual({ step: r.steps, loss: r.point.value, nDelta: r.point.nDelta });
        for (const p of seen.slice(0, -1)) expect(p.step % 7).toBe(0);
      });
    });
  }
});

describe('L-BFGS line search', () => {
  it('a zero loss found at a trial point stops the run there (the first trial here)', () => {
    // f = 1/2 max(0, 1 - x)^2 from x = 0: g = -1, the first trial step 1/|g| lands on x = 1.
    const f = hinge(1, 0, true);
    const r = lbfgs(f, new Float64Array(1), DEFAULT_LBFGS, noStop(100));
    expect(r.reason).toBe('zero');
    expect(r.evaluations).toBe(2);
    expect(f.calls).toBe(2);
    expect(r.theta[0]).toBeGreaterThanOrEqual(1);
  });

  it("returns 'converged' on a kink where no decrease is possible (|x| has its minimum on a kink)", () => {
    // f = sum |x_i - c_i|: piecewise linear; every line search ends on a kink. Two failures in a row
    // (no strong Wolfe point, no decrease in float64) end the run with reason 'converged'.
    const c = [0.3, -1.7, 2.2];
    const f = counted(3, (theta) => {
      const gradient = new Float64Array(3);
      let v = 0;
      for (let i = 0; i < 3; i++) {
        const d = theta[i] - c[i];
        v += Math.abs(d);
        gradient[i] = Math.sign(d);
      }
      return { value: v, gradient, nDelta: 1 };
    });
    const r = lbfgs(f, new Float64Array([1, 1, 1]), DEFAULT_LBFGS, noStop(100_000));
    expect(r.reason).toBe('converged');
    expect(r.evaluations).toBe(f.calls);
    expect(r.evaluations).toBeLessThan(100_000);
    expect(r.point.value).toBeLessThan(1e-6);
  });
});

describe('adam0: the authors protocol', () => {
  it('schedule: lr 1e-4, / 10 every 250k steps, floor 1e-7', () => {
    expect([ADAM0_LR0, ADAM0_DECAY_EVERY, ADAM0_LR_FLOOR]).toEqual([1e-4, 250_000, 1e-7]);
    const at = [0, 249_999, 250_000, 500_000, 750_000, 10_000_000].map(adam0Schedule);
    expect(at).toEqual([1e-4, 1e-4, 1e-5, 1e-6, 1e-7, 1e-7]);
    const s = adam0ScheduleScaled(10);
    expect([0, 9, 10, 20, 30, 1000].map(s)).toEqual([1e-4, 1e-4, 1e-5, 1e-6, 1e-7, 1e-7]);
  });

  it('rule: 2M steps, stall test only once the lr is at its floor', () => {
    expect(ADAM0_RULE).toEqual({ maxEvaluations: 2_000_001, window: 250_000, relTol: 1e-6, gradTol: 0, stallAfter: 750_000 });
    expect(DEFAULT_ADAM0).toEqual({ decayEvery: 250_000, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
  });
});

describe('bad options throw InputError naming the field', () => {
  const q = quadratic(3, 10, 1);
  const rule = noStop(10);
  const cases: [string, () => unknown][] = [
    ['beta1', () => adamRun(q.f, q.theta0, { ...DEFAULT_ADAM_RUN, beta1: 1 }, rule)],
    ['eps', () => adamRun(q.f, q.theta0, { ...DEFAULT_ADAM_RUN, eps: 0 }, rule)],
    ['lr', () => adamRun(q.f, q.theta0, { ...DEFAULT_ADAM_RUN, lr: 1e-3 } as unknown as AdamRunOptions, rule)],
    ['lr(0)', () => adamRun(q.f, q.theta0, { ...DEFAULT_ADAM_RUN, lr: () => NaN }, rule)],
    ['decayEvery', () => adam0(q.f, q.theta0, { ...DEFAULT_ADAM0, decayEvery: 0 }, rule)],
    ['dtMax', () => fire(q.f, q.theta0, { ...DEFAULT_FIRE, dtMax: 1e-3 }, rule)],
    ['fDec', () => fire(q.f, q.theta0, { ...DEFAULT_FIRE, fDec: 1 }, rule)],
    ['m', () => lbfgs(q.f, q.theta0, { ...DEFAULT_LBFGS, m: 0 }, rule)],
    ['c2', () => lbfgs(q.f, q.theta0, { ...DEFAULT_LBFGS, c2: 1e-5 }, rule)],
    ['maxEvaluations', () => lbfgs(q.f, q.theta0, DEFAULT_LBFGS, { ...rule, maxEvaluations: 0 })],
    ['window', () => fire(q.f, q.theta0, DEFAULT_FIRE, { ...rule, window: 0.5 })],
    ['progressEvery', () => fire(q.f, q.theta0, DEFAULT_FIRE, rule, () => {}, 0)],
    ['theta0', () => lbfgs(q.f, new Float64Array(2), DEFAULT_LBFGS, rule)],
  ];
  for (const [field, call] of cases) {
    it(field, () => {
      expect(inputError(call).field).toBe(field);
    });
  }
});

describe('a tiny real network: random data P = 20, d = h = 5, L = 1, quadratic hinge', () => {
  const arch = makeArchitecture({ d: 5, h: 5, L: 1 });
  const obj: Objective = { arch, loss: quadraticHinge(), data: randomData({ P: 20, d: 5, seed: 1 }) };
  const net = (): Counted => counted(layout(arch).Ntot, (theta) => evaluate(obj, theta));
  const rule: StopRule = { maxEvaluations: 200_000, relTol: 1e-9, window: 20_000, gradTol: 0 };
  for (const [name, run] of [
    ['FIRE', (f: Landscape, t: Float64Array) => fire(f, t, DEFAULT_FIRE, rule)],
    ['L-BFGS', (f: Landscape, t: Float64Array) => lbfgs(f, t, DEFAULT_LBFGS, rule)],
    ['adamRun (lr 1e-2)', (f: Landscape, t: Float64Array) => adamRun(f, t, { ...DEFAULT_ADAM_RUN, lr: constantLr(1e-2) }, rule)],
  ] as const) {
    it(`${name} fits it: loss exactly 0, reason 'zero'`, () => {
      // init seed 2 is not fitted by any of the three (loss 0.075-0.12, N_Delta 4-10): at h = 5 some
      // patterns die (SCIENCE.md, pitfalls), so seeds 1 and 3 are used
      for (const seed of [1, 3]) {
        const f = net();
        const r = run(f, initialParameters(arch, seed));
        expect(r.reason).toBe('zero');
        expect(r.point.value).toBe(0);
        expect(evaluate(obj, r.theta).nDelta).toBe(0);
        expect(r.evaluations).toBe(f.calls);
      }
    });
  }
});

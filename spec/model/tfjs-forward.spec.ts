import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assertProperty } from '../support/fc.ts';
import { availableTfjsBackends, selectTfjsBackend, TFJS_BACKENDS, type Tf } from '../../src/kernels/tfjsBackend.ts';
import { tfjsForward, tfjsQuadraticHingeGradient } from '../../src/model/tfjsNetwork.ts';
import { layout, makeArchitecture, type Architecture } from '../../src/model/architecture.ts';
import { forward } from '../../src/model/forward.ts';
import { initialParameters } from '../../src/model/init.ts';
import { createRng } from '../../src/util/prng.ts';
import { InputError } from '../../src/util/errors.ts';

/**
 * The float32 tfjs network against the float64 reference (src/model/forward.ts):
 * - forward: |f_tfjs - f_64| <= 1e-5 * max(1, max|f_64|). float32 has eps = 1.2e-7; with d, h <= 6,
 *   L <= 3 and O(1) weights and inputs each output is a few dozen rounded operations, so ~1e-6 is
 *   the expected worst case; 1e-5 leaves a margin of 10.
 * - gradient: |g_tfjs - g_FD|_inf <= 1e-3 * |g_FD|_2 + 1e-6. g_FD is a float64 central difference
 *   (step 1e-6: truncation ~1e-12 * |f'''|, rounding ~1e-16 / 1e-6 = 1e-10, both negligible), so
 *   the error is the float32 rounding of tfjs (~1e-6 relative): 1e-3 of the gradient norm is
 *   float32-level agreement with a wide margin, and still catches any layout/ordering mistake
 *   (which gives O(1) relative errors). The absolute 1e-6 covers a zero gradient (all patterns
 *   satisfied). A ReLU kink crossed by the FD step would break this; the fixed seed avoids it.
 */

const FORWARD_RTOL = 1e-5;
const GRAD_RTOL = 1e-3;
const GRAD_ATOL = 1e-6;
const FD_STEP = 1e-6;

let tf: Tf;
let backend: string;

beforeAll(async () => {
  ({ tf, backend } = await selectTfjsBackend());
  // recorded in the test output: which backend this machine ran
  console.log(`tfjs backend selected: ${backend} (available: ${(await availableTfjsBackends()).join(', ')})`);
});

type CaseSpec = { L: number; d: number; h: number; P: number; bias: boolean; activation: 'relu' | 'softplus'; beta: number; seed: number };

interface Case {
  arch: Architecture;
  theta: Float64Array;
  x: Float64Array;
  y: Float64Array;
  P: number;
}

const caseArb = fc.record({
  L: fc.integer({ min: 0, max: 3 }),
  d: fc.integer({ min: 1, max: 6 }),
  h: fc.integer({ min: 1, max: 6 }),
  P: fc.integer({ min: 1, max: 10 }),
  bias: fc.boolean(),
  activation: fc.constantFrom<'relu' | 'softplus'>('relu', 'softplus'),
  beta: fc.constantFrom(1, 3, 10),
  seed: fc.integer({ min: 0, max: 0xffffffff }),
});

/** initialParameters (orthogonal, zero biases) plus a seeded perturbation of every parameter. */
function makeCase(c: CaseSpec): Case {
  const arch = makeArchitecture({ d: c.d, h: c.h, L: c.L, bias: c.bias, activation: c.activation, beta: c.beta });
  const lay = layout(arch);
  const theta = initialParameters(arch, c.seed);
  const rng = createRng((c.seed ^ 0x5eed) >>> 0);
  for (const layer of lay.layers) {
    if (layer.b >= 0) for (let o = 0; o < layer.outDim; o++) theta[layer.b + o] = 0.3 * rng.normal();
  }
  for (let k = 0; k < theta.length; k++) theta[k] += 0.05 * rng.normal();
  const x = new Float64Array(c.P * c.d);
  for (let k = 0; k < x.length; k++) x[k] = rng.normal();
  const y = new Float64Array(c.P);
  for (let mu = 0; mu < c.P; mu++) y[mu] = mu % 2 === 0 ? 1 : -1;
  return { arch, theta, x, y, P: c.P };
}

/** float64 quadratic hinge loss from the reference forward pass. */
function hingeLoss64(arch: Architecture, theta: Float64Array, x: Float64Array, y: Float64Array, P: number, kappa: number): number {
  const f = forward(arch, theta, x, P);
  let s = 0;
  for (let mu = 0; mu < P; mu++) {
    const delta = kappa - y[mu] * f[mu];
    if (delta > 0) s += delta * delta;
  }
  return s / (2 * P);
}

function checkForward(c: Case): void {
  const before = tf.memory().numTensors;
  const f32 = tfjsForward(tf, c.arch, c.theta, c.x, c.P);
  expect(tf.memory().numTensors).toBe(before);
  const f64 = forward(c.arch, c.theta, c.x, c.P);
  expect(f32.length).toBe(c.P);
  let maxAbs = 0;
  for (const v of f64) maxAbs = Math.max(maxAbs, Math.abs(v));
  const tol = FORWARD_RTOL * Math.max(1, maxAbs);
  for (let mu = 0; mu < c.P; mu++) expect(Math.abs(f32[mu] - f64[mu])).toBeLessThanOrEqual(tol);
}

describe(`tfjs network (float32) against the float64 reference`, () => {
  it('the selected backend is one of tensorflow, wasm, cpu', () => {
    expect(TFJS_BACKENDS).toContain(backend);
    expect(tf.getBackend()).toBe(backend);
  });

  it('forward agrees with forward.ts to 1e-5 relative (L = 0..3, both activations, with/without bias)', () => {
    assertProperty(fc.property(caseArb, (spec) => checkForward(makeCase(spec))));
  });

  it('the loss and the autodiff gradient agree with float64 central differences (1e-3 of |g|)', () => {
    const kappa = 1;
    assertProperty(
      fc.property(caseArb, (spec) => {
        const c = makeCase(spec);
        const before = tf.memory().numTensors;
        const { loss, gradient } = tfjsQuadraticHingeGradient(tf, c.arch, c.theta, c.x, c.y, c.P, kappa);
        expect(tf.memory().numTensors).toBe(before);
        const loss64 = hingeLoss64(c.arch, c.theta, c.x, c.y, c.P, kappa);
        expect(Math.abs(loss - loss64)).toBeLessThanOrEqual(1e-5 * Math.max(1, loss64));
        const n = c.theta.length;
        expect(gradient.length).toBe(n);
        const gFD = new Float64Array(n);
        const t = Float64Array.from(c.theta);
        for (let k = 0; k < n; k++) {
          const t0 = t[k];
          t[k] = t0 + FD_STEP;
          const lp = hingeLoss64(c.arch, t, c.x, c.y, c.P, kappa);
          t[k] = t0 - FD_STEP;
          const lm = hingeLoss64(c.arch, t, c.x, c.y, c.P, kappa);
          t[k] = t0;
          gFD[k] = (lp - lm) / (2 * FD_STEP);
        }
        let norm = 0;
        for (const g of gFD) norm += g * g;
        const tol = GRAD_RTOL * Math.sqrt(norm) + GRAD_ATOL;
        for (let k = 0; k < n; k++) expect(Math.abs(gradient[k] - gFD[k])).toBeLessThanOrEqual(tol);
      }),
    );
  });

  it('a case with loss exactly zero has a zero gradient', () => {
    const arch = makeArchitecture({ d: 2, h: 3, L: 1 });
    const theta = new Float64Array(layout(arch).Ntot);
    theta[theta.length - 1] = 5; // output bias 5: f = 5, y = +1 -> Delta = 1 - 5 < 0
    const x = new Float64Array([1, 2, -1, 0.5]);
    const { loss, gradient } = tfjsQuadraticHingeGradient(tf, arch, theta, x, new Float64Array([1, 1]), 2, 1);
    expect(loss).toBe(0);
    for (const g of gradient) expect(g).toBe(0);
  });

  it('rejects bad input with InputError and leaks no tensors', () => {
    const arch = makeArchitecture({ d: 2, h: 3, L: 1 });
    const Ntot = layout(arch).Ntot;
    const before = tf.memory().numTensors;
    expect(() => tfjsForward(tf, arch, new Float64Array(Ntot - 1), new Float64Array(4), 2)).toThrow(InputError);
    expect(() => tfjsForward(tf, arch, new Float64Array(Ntot), new Float64Array(3), 2)).toThrow(InputError);
    expect(() => tfjsForward(tf, arch, new Float64Array(Ntot), new Float64Array(0), 0)).toThrow(InputError);
    const bad = new Float64Array(Ntot);
    bad[0] = NaN;
    expect(() => tfjsForward(tf, arch, bad, new Float64Array(4), 2)).toThrow(/theta\[0\]/);
    expect(() => tfjsQuadraticHingeGradient(tf, arch, new Float64Array(Ntot), new Float64Array(4), new Float64Array(3), 2, 1)).toThrow(
      InputError,
    );
    expect(() => tfjsQuadraticHingeGradient(tf, arch, new Float64Array(Ntot), new Float64Array(4), new Float64Array(2), 2, NaN)).toThrow(
      InputError,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the cpu backend gives the same forward pass; an unknown or unavailable backend is refused by name', async () => {
    const available = await availableTfjsBackends();
    expect(available).toContain('cpu');
    const cpu = await selectTfjsBackend('cpu');
    expect(cpu.backend).toBe('cpu');
    const saved = tf;
    try {
      checkForward(makeCase({ L: 2, d: 4, h: 5, P: 7, bias: true, activation: 'softplus', beta: 10, seed: 11 }));
      checkForward(makeCase({ L: 3, d: 3, h: 4, P: 6, bias: true, activation: 'relu', beta: 10, seed: 12 }));
    } finally {
      ({ tf } = await selectTfjsBackend()); // back to the automatic choice
    }
    expect(tf).toBe(saved);
    expect(tf.getBackend()).toBe(backend);
    await expect(selectTfjsBackend('gpu' as 'cpu')).rejects.toThrow(InputError);
    for (const name of TFJS_BACKENDS) {
      if (!available.includes(name)) {
        await expect(selectTfjsBackend(name)).rejects.toThrow(new RegExp(`'${name}' is not available.*available: ${available.join(', ')}`));
      }
    }
    await selectTfjsBackend();
    expect(tf.getBackend()).toBe(backend);
  });
});

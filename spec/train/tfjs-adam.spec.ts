import { beforeAll, describe, expect, it } from 'vitest';
import { selectTfjsBackend, TFJS_BACKENDS, type Tf, type TfjsBackendName } from '../../src/kernels/tfjsBackend.ts';
import { tfjsAdam, type TfjsAdamObjective } from '../../src/train/tfjsAdam.ts';
import { randomData } from '../../src/data/random.ts';
import { layout, makeArchitecture } from '../../src/model/architecture.ts';
import { initialParameters } from '../../src/model/init.ts';
import { linearHinge, quadraticHinge } from '../../src/loss/losses.ts';
import { evaluate } from '../../src/loss/objective.ts';
import { adamState, adamStep } from '../../src/train/adam.ts';
import { InputError } from '../../src/util/errors.ts';

/**
 * tfjsAdam (float32, tfjs) against the float64 reference: src/loss/objective.ts evaluate() for the
 * gradient and src/train/adam.ts adamStep() for the update, same data, init and learning rate.
 *
 * Tolerances. Adam's step is lr * m_hat / (sqrt(v_hat) + eps): per coordinate it is ~lr * sign(g)
 * early on, insensitive to the size of g. So the float32 relative error of the gradient (~1e-6)
 * barely moves the step, except on a coordinate whose |g| is itself at float32 noise level
 * (~1e-7 |g|_inf), where rounding can flip its sign and move that coordinate by up to 2 lr per step.
 * Hence:
 *  - 1 step: coordinates with |g_64| > 1e-4 |g_64|_inf must agree to 2^-23 max|theta| (float32
 *    rounding of theta0 and theta1) + 1e-4 lr (the relative step error eps/|g| and float32 error of
 *    g, both << 1e-4 there); the rest only to 2 lr + rounding (a flip at most reverses their step).
 *  - 10 steps: the test first checks, on the float64 run, that no nonzero |g_i| ever falls below
 *    1e-6 |g|_inf, ten times the float32 noise of g (so no flip is possible on this fixed instance;
 *    measured 1.0e-5; exact zeros come from units inactive on every unsatisfied pattern), then
 *    asks |theta_32 - theta_64| <= 1e-4 max|theta| (~1e-4 relative, as asked; measured ~1e-7).
 *  - 50 steps: the loss trajectory agrees to 1e-3 relative (measured ~4e-7). A loss is robust to a
 *    flipped coordinate: such a coordinate has |g| ~ 0, so it hardly changes the loss.
 */

let tf: Tf;
let backend: string;

const data = randomData({ P: 60, d: 5, seed: 0 });
const arch = makeArchitecture({ d: 5, h: 12, L: 2 });
const obj: TfjsAdamObjective = { arch, loss: quadraticHinge(), data };
const theta0 = initialParameters(arch, 0);
const LR = 1e-3;

beforeAll(async () => {
  ({ tf, backend } = await selectTfjsBackend());
  console.log(`tfjsAdam spec: tfjs backend ${backend}`);
});

/** k float64 Adam steps (evaluate + adamStep); the loss before each step and after the last. */
function reference(k: number, lr: (s: number) => number): { theta: Float64Array; losses: number[]; minRelGrad: number } {
  const theta = Float64Array.from(theta0);
  const s = adamState(theta.length);
  const losses: number[] = [];
  let minRelGrad = Infinity;
  for (let i = 0; i < k; i++) {
    const ev = evaluate(obj, theta);
    losses.push(ev.value);
    const gInf = Math.max(...ev.gradient.map(Math.abs));
    for (const g of ev.gradient) if (g !== 0) minRelGrad = Math.min(minRelGrad, Math.abs(g) / gInf);
    adamStep(theta, ev.gradient, s, lr(i));
  }
  losses.push(evaluate(obj, theta).value);
  return { theta, losses, minRelGrad };
}

const maxAbs = (a: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
};

describe('tfjsAdam: agreement with float64 Adam', () => {
  it('after 1 step: every coordinate with a non-negligible gradient agrees to float32 rounding', async () => {
    const r = await tfjsAdam(obj, theta0, { lr: LR, maxSteps: 1 });
    expect(r.steps).toBe(1);
    expect(r.evaluations).toBe(2);
    expect(r.stoppedAt).toBe('budget');
    const ref = reference(1, () => LR);
    const g0 = evaluate(obj, theta0).gradient;
    const gInf = maxAbs(g0);
    const round = 2 ** -23 * Math.max(maxAbs(theta0), maxAbs(ref.theta));
    let excluded = 0;
    let worst = 0;
    for (let i = 0; i < theta0.length; i++) {
      const diff = Math.abs(r.theta[i] - ref.theta[i]);
      if (Math.abs(g0[i]) > 1e-4 * gInf) {
        worst = Math.max(worst, diff);
        expect(diff, `coordinate ${i}`).toBeLessThanOrEqual(round + 1e-4 * LR);
      } else {
        excluded++;
        expect(diff, `coordinate ${i} (tiny gradient)`).toBeLessThanOrEqual(2 * LR + round);
      }
    }
    console.log(`1 step: max |dtheta| = ${worst.toExponential(2)} (bound ${(round + 1e-4 * LR).toExponential(2)}), ${excluded} tiny-gradient coordinates`);
  });

  it('after 10 steps: parameters agree to 1e-4 relative (no sign flip possible on this instance)', async () => {
    const ref = reference(10, () => LR);
    expect(ref.minRelGrad).toBeGreaterThan(1e-6); // precondition of the tight bound (see header)
    const r = await tfjsAdam(obj, theta0, { lr: LR, maxSteps: 10 });
    let worst = 0;
    for (let i = 0; i < theta0.length; i++) worst = Math.max(worst, Math.abs(r.theta[i] - ref.theta[i]));
    console.log(`10 steps: max |dtheta| = ${worst.toExponential(2)}, min nonzero |g_i|/|g|_inf = ${ref.minRelGrad.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(1e-4 * maxAbs(ref.theta));
    expect(Math.abs(r.lossFloat32 - ref.losses[10])).toBeLessThanOrEqual(1e-3 * ref.losses[10]);
  });

  it('the loss trajectory over 50 steps agrees to 1e-3 relative; onProgress reports every step', async () => {
    const seen: { step: number; loss: number; nDelta: number }[] = [];
    const r = await tfjsAdam(obj, theta0, { lr: LR, maxSteps: 50, progressEvery: 1 }, (p) => seen.push(p));
    const ref = reference(50, () => LR);
    expect(seen.map((p) => p.step)).toEqual(Array.from({ length: 51 }, (_, i) => i));
    let worst = 0;
    for (let s = 0; s <= 50; s++) {
      const rel = Math.abs(seen[s].loss - ref.losses[s]) / ref.losses[s];
      worst = Math.max(worst, rel);
      expect(rel, `step ${s}`).toBeLessThanOrEqual(1e-3);
    }
    expect(seen[50].loss).toBe(r.lossFloat32);
    expect(seen[50].nDelta).toBe(r.nDeltaFloat32);
    console.log(`50 steps: worst relative loss difference ${worst.toExponential(2)}; loss ${ref.losses[0].toFixed(4)} -> ${ref.losses[50].toFixed(4)}`);
  });

  it('honours an lr schedule at every step, called with step = 0, 1, 2, ...', async () => {
    const schedule = (s: number): number => (s < 5 ? 1e-3 : 3e-4);
    const calls: number[] = [];
    const r = await tfjsAdam(obj, theta0, { lr: (s) => (calls.push(s), schedule(s)), maxSteps: 10 });
    expect(calls).toEqual(Array.from({ length: 10 }, (_, i) => i));
    const ref = reference(10, schedule);
    const fixed = reference(10, () => 1e-3);
    let worst = 0;
    let fromFixed = 0;
    for (let i = 0; i < theta0.length; i++) {
      worst = Math.max(worst, Math.abs(r.theta[i] - ref.theta[i]));
      fromFixed = Math.max(fromFixed, Math.abs(r.theta[i] - fixed.theta[i]));
    }
    expect(worst).toBeLessThanOrEqual(1e-4 * maxAbs(ref.theta));
    expect(fromFixed).toBeGreaterThan(100 * worst); // the schedule made a difference
  });
});

describe('tfjsAdam: stopping at N_Delta = 0', () => {
  it('drives a wide network (h = 30) to N_Delta = 0 in float32; float64 sees only contacts', async () => {
    const arch30 = makeArchitecture({ d: 5, h: 30, L: 2 });
    const obj30: TfjsAdamObjective = { arch: arch30, loss: quadraticHinge(), data };
    const t0 = performance.now();
    const r = await tfjsAdam(obj30, initialParameters(arch30, 0), { lr: 1e-3, maxSteps: 20_000 });
    const ms = performance.now() - t0;
    expect(r.stoppedAt).toBe('zero');
    expect(r.lossFloat32).toBe(0);
    expect(r.nDeltaFloat32).toBe(0);
    expect(r.steps).toBeLessThan(20_000);
    expect(r.evaluations).toBe(r.steps + 1);
    const ev = evaluate(obj30, r.theta);
    const positives = Array.from(ev.delta).filter((d) => d > 0);
    const contacts = Array.from(ev.delta).filter((d) => Math.abs(d) < 1e-4).length;
    console.log(
      `h = 30: zero after ${r.steps} steps (${ms.toFixed(0)} ms); float64 at the returned theta: N_Delta = ${ev.nDelta} of P = ${data.P}, ` +
        `loss ${ev.value.toExponential(2)}, max Delta ${positives.length ? Math.max(...positives).toExponential(2) : '-'}, |Delta| < 1e-4: ${contacts}`,
    );
    // Not asserted to be 0: float32 contacts (Delta ~ 0) can land on either side in float64. Every
    // float64 positive must be such a contact: f ~ 1, float32 rounding of f ~ 1e-6, bound 1e-4.
    for (const d of positives) expect(d).toBeLessThan(1e-4);
    expect(ev.nDelta).toBeLessThanOrEqual(data.P / 4);
    expect(ev.value).toBeLessThan(1e-8);
  });

  it('with checkEvery = 10 it stops at a multiple of 10 steps, still with N_Delta = 0', async () => {
    const arch30 = makeArchitecture({ d: 5, h: 30, L: 2 });
    const obj30: TfjsAdamObjective = { arch: arch30, loss: quadraticHinge(), data };
    const r = await tfjsAdam(obj30, initialParameters(arch30, 0), { lr: 1e-2, maxSteps: 5_000, checkEvery: 10 });
    expect(r.stoppedAt).toBe('zero');
    expect(r.steps % 10).toBe(0);
    expect(r.lossFloat32).toBe(0);
  });

  it('maxSteps = 0 returns theta0 rounded to float32, with its float32 loss', async () => {
    const r = await tfjsAdam(obj, theta0, { lr: LR, maxSteps: 0 });
    expect(r.steps).toBe(0);
    expect(r.stoppedAt).toBe('budget');
    expect(Array.from(r.theta)).toEqual(Array.from(Float32Array.from(theta0)));
    const l64 = evaluate(obj, theta0).value;
    expect(Math.abs(r.lossFloat32 - l64)).toBeLessThanOrEqual(1e-5 * l64);
  });
});

describe('tfjsAdam: backend, memory, determinism', () => {
  it('returns the name of the selected backend', async () => {
    const r = await tfjsAdam(obj, theta0, { lr: LR, maxSteps: 2 });
    expect(TFJS_BACKENDS).toContain(r.backend);
    expect(r.backend).toBe(backend);
  });

  it('an explicit cpu backend gives the same result to float32 precision and reports cpu', async () => {
    const viaCpu = await tfjsAdam(obj, theta0, { lr: LR, maxSteps: 5, backend: 'cpu' });
    expect(viaCpu.backend).toBe('cpu');
    const viaDefault = await tfjsAdam(obj, theta0, { lr: LR, maxSteps: 5 });
    expect(viaDefault.backend).toBe(backend); // switched back
    for (let i = 0; i < theta0.length; i++) expect(Math.abs(viaCpu.theta[i] - viaDefault.theta[i])).toBeLessThan(1e-5);
  });

  it('leaks no tensors: numTensors is flat during the run and back to its start value after', async () => {
    const before = tf.memory().numTensors;
    const during: number[] = [];
    await tfjsAdam(obj, theta0, { lr: LR, maxSteps: 30, progressEvery: 1 }, () => during.push(tf.memory().numTensors));
    expect(new Set(during.slice(0, -1)).size).toBe(1); // the same count at every step
    expect(tf.memory().numTensors).toBe(before);
    // nor when the run fails: a schedule going bad mid-run, and a diverging run
    await expect(tfjsAdam(obj, theta0, { lr: (s) => (s < 3 ? LR : NaN), maxSteps: 10 })).rejects.toBeInstanceOf(InputError);
    expect(tf.memory().numTensors).toBe(before);
    await expect(tfjsAdam(obj, theta0, { lr: 1e30, maxSteps: 50 })).rejects.toThrow(/diverged/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('two runs give bit-identical theta (wasm/cpu)', async () => {
    const b: TfjsBackendName = backend === 'wasm' || backend === 'cpu' ? backend : 'cpu';
    const a1 = await tfjsAdam(obj, theta0, { lr: LR, maxSteps: 200, backend: b });
    const a2 = await tfjsAdam(obj, theta0, { lr: LR, maxSteps: 200, backend: b });
    expect(a1.backend).toBe(b);
    expect(Buffer.from(a1.theta.buffer).equals(Buffer.from(a2.theta.buffer))).toBe(true);
    expect(a1.lossFloat32).toBe(a2.lossFloat32);
  });
});

describe('tfjsAdam: bad options throw InputError', () => {
  const bad: [string, () => Promise<unknown>][] = [
    ['maxSteps -1', () => tfjsAdam(obj, theta0, { lr: LR, maxSteps: -1 })],
    ['maxSteps 1.5', () => tfjsAdam(obj, theta0, { lr: LR, maxSteps: 1.5 })],
    ['lr NaN', () => tfjsAdam(obj, theta0, { lr: NaN, maxSteps: 1 })],
    ['lr 0', () => tfjsAdam(obj, theta0, { lr: 0, maxSteps: 1 })],
    ['lr(step) NaN', () => tfjsAdam(obj, theta0, { lr: () => NaN, maxSteps: 1 })],
    ['checkEvery 0', () => tfjsAdam(obj, theta0, { lr: LR, maxSteps: 1, checkEvery: 0 })],
    ['theta0 of the wrong length', () => tfjsAdam(obj, theta0.subarray(1), { lr: LR, maxSteps: 1 })],
    ['backend gpu', () => tfjsAdam(obj, theta0, { lr: LR, maxSteps: 1, backend: 'gpu' as TfjsBackendName })],
    ['data of another d', () => tfjsAdam({ ...obj, data: randomData({ P: 10, d: 3, seed: 0 }) }, theta0, { lr: LR, maxSteps: 1 })],
  ];
  for (const [what, run] of bad) {
    it(what, async () => {
      await expect(run()).rejects.toBeInstanceOf(InputError);
    });
  }

  it('loss linear, naming loss.kind', async () => {
    const p = tfjsAdam({ ...obj, loss: linearHinge() }, theta0, { lr: LR, maxSteps: 1 });
    await expect(p).rejects.toBeInstanceOf(InputError);
    await expect(tfjsAdam({ ...obj, loss: linearHinge() }, theta0, { lr: LR, maxSteps: 1 })).rejects.toThrow(/loss\.kind.*linear/);
  });

  it('the parameter count is the layout Ntot (sanity of the fixture)', () => {
    expect(theta0.length).toBe(layout(arch).Ntot);
  });
});

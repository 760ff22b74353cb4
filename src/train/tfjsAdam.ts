import type { Scalar, Tensor, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs';
import { selectTfjsBackend, type Tf, type TfjsBackendName } from '../kernels/tfjsBackend.ts';
import { layout, type Architecture, type Layout } from '../model/architecture.ts';
import type { Dataset } from '../data/dataset.ts';
import type { Loss } from '../loss/losses.ts';
import type { Progress } from './landscape.ts';
import { network } from '../model/tfjsNetwork.ts';
import { InputError, requireFinite, requireInt } from '../util/errors.ts';

/**
 * Full-batch Adam on the quadratic hinge in TensorFlow.js, float32 (SCIENCE.md: the authors found
 * float32 harmful near jamming, so this is for bulk training only; every run is meant to end with a
 * float64 polish done elsewhere, starting from the returned theta).
 *
 * - The network is the one of src/model/forward.ts (and src/model/tfjsNetwork.ts): one tf.Variable
 *   per W_l (out x in, row-major in the flat layout) and per b_l, created from theta0.
 * - loss = (1/P) sum_mu relu(kappa - y_mu f(x_mu))^2 / 2; gradients by tf.variableGrads.
 * - Adam by hand on tensors, the update of src/train/adam.ts (beta1 0.9, beta2 0.999, eps 1e-8,
 *   bias-corrected), so that an lr schedule lr(step) is honoured at every step.
 * - Stop: N_Delta (the number of mu with Delta_mu > 0, counted on the backend in float32) is read
 *   back, with the loss (two numbers, never the Delta vector), every `checkEvery` steps and at the
 *   step budget; the run stops the moment it is 0 (theta is then NOT updated further). A NaN Delta
 *   counts as unsatisfied, so a diverged run never looks fitted; a non-finite loss read back throws.
 * Every tensor lives inside tf.tidy or is disposed explicitly: the call leaves no tensors behind.
 */

export interface TfjsAdamObjective {
  readonly arch: Architecture;
  readonly loss: Loss;
  readonly data: Dataset;
}

export interface TfjsAdamOptions {
  /** learning rate, or a schedule lr(step) called with step = 0, 1, 2, ... (the number of steps already taken) */
  readonly lr: number | ((step: number) => number);
  /** most Adam steps (integer >= 0) */
  readonly maxSteps: number;
  /** tfjs backend; default: the best available (tensorflow > wasm > cpu) */
  readonly backend?: TfjsBackendName;
  /** read N_Delta back every this many steps (integer >= 1, default 1) */
  readonly checkEvery?: number;
  /** call onProgress every this many steps (integer >= 1, default 1000), and at the end */
  readonly progressEvery?: number;
}

export interface TfjsAdamResult {
  /** float64 copy of the float32 parameters (flat layout) */
  readonly theta: Float64Array;
  /** Adam steps taken */
  readonly steps: number;
  /** loss-and-gradient passes: steps + 1 (the last one, at the returned theta, decides the stop) */
  readonly evaluations: number;
  /** what tf.getBackend() reported */
  readonly backend: string;
  /** 'zero': N_Delta = 0 in float32 at the returned theta; 'budget': maxSteps reached with N_Delta > 0 */
  readonly stoppedAt: 'zero' | 'budget';
  /** the float32 loss at the returned theta */
  readonly lossFloat32: number;
  /** the float32 N_Delta at the returned theta */
  readonly nDeltaFloat32: number;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

export async function tfjsAdam(
  obj: TfjsAdamObjective,
  theta0: Float64Array,
  options: TfjsAdamOptions,
  onProgress?: (p: Progress) => void,
): Promise<TfjsAdamResult> {
  const { arch, loss, data } = obj;
  const lay = validate(obj, theta0, options);
  const lrOf = learningRate(options.lr);
  const maxSteps = options.maxSteps;
  const checkEvery = options.checkEvery ?? 1;
  const progressEvery = options.progressEvery ?? 1000;

  const { tf, backend } = await selectTfjsBackend(options.backend);
  const P = data.P;

  // Everything created here is disposed in the finally block.
  const owned: Tensor[] = [];
  const own = <T extends Tensor>(t: T): T => {
    owned.push(t);
    return t;
  };
  try {
    const X = own(tf.tensor2d(Float32Array.from(data.x), [P, arch.d], 'float32'));
    const Y = own(tf.tensor1d(Float32Array.from(data.y), 'float32'));
    const kappaT = own(tf.scalar(loss.kappa, 'float32'));
    const zeroT = own(tf.scalar(0, 'float32'));
    const invTwoP = own(tf.scalar(1 / (2 * P), 'float32'));
    const PT = own(tf.scalar(P, 'float32'));
    const b1 = own(tf.scalar(BETA1, 'float32'));
    const oneMinusB1 = own(tf.scalar(1 - BETA1, 'float32'));
    const b2 = own(tf.scalar(BETA2, 'float32'));
    const oneMinusB2 = own(tf.scalar(1 - BETA2, 'float32'));
    const epsT = own(tf.scalar(EPS, 'float32'));

    const params: Variable[] = [];
    const ms: Variable[] = [];
    const vs: Variable[] = [];
    for (const { inDim, outDim, w, b } of lay.layers) {
      const shapes: Array<[number, number[]]> = [[w, [outDim, inDim]]];
      if (b >= 0) shapes.push([b, [outDim]]);
      for (const [offset, shape] of shapes) {
        const size = shape.reduce((a, c) => a * c, 1);
        params.push(own(variableFrom(tf, Float32Array.from(theta0.subarray(offset, offset + size)), shape, true)));
        ms.push(own(variableFrom(tf, new Float32Array(size), shape, false)));
        vs.push(own(variableFrom(tf, new Float32Array(size), shape, false)));
      }
    }

    /** Loss-and-gradient pass at the current parameters; stats = [N_Delta, loss] (float32, kept). */
    const pass = (): { grads: Tensor[]; stats: Tensor1D } => {
      // stats is tf.keep'd (it is made inside the gradient's own scope): released by the caller,
      // or here if the pass fails.
      const kept: { stats: Tensor1D | null } = { stats: null };
      try {
        return passIn(kept);
      } catch (e) {
        kept.stats?.dispose();
        throw e;
      }
    };
    const passIn = (kept: { stats: Tensor1D | null }): { grads: Tensor[]; stats: Tensor1D } =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => {
          const f = network(tf, arch, lay, params, X);
          const delta = tf.sub(kappaT, tf.mul(Y, f));
          const value = tf.mul(tf.sum(tf.square(tf.relu(delta))), invTwoP) as Scalar;
          // N_Delta = P - #{Delta <= 0}: a NaN Delta counts as unsatisfied.
          const satisfied = tf.sum(tf.cast(tf.lessEqual(delta, zeroT), 'float32'));
          kept.stats = tf.keep(tf.stack([tf.sub(PT, satisfied), value]) as Tensor1D);
          return value;
        }, params);
        void value;
        const out = params.map((p) => {
          const g = grads[p.name];
          return g ?? tf.zerosLike(p);
        });
        if (kept.stats === null) throw new Error('internal: loss function did not run');
        return { grads: out, stats: kept.stats };
      });

    /** One Adam update (src/train/adam.ts) of every variable, Adam time t >= 1. */
    const update = (grads: Tensor[], lr: number, t: number): void => {
      tf.tidy(() => {
        const lrT = tf.scalar(lr, 'float32');
        const c1 = tf.scalar(1 - Math.pow(BETA1, t), 'float32');
        const c2 = tf.scalar(1 - Math.pow(BETA2, t), 'float32');
        for (let i = 0; i < params.length; i++) {
          const g = grads[i];
          const m = tf.add(tf.mul(b1, ms[i]), tf.mul(oneMinusB1, g));
          const v = tf.add(tf.mul(b2, vs[i]), tf.mul(oneMinusB2, tf.mul(g, g)));
          ms[i].assign(m);
          vs[i].assign(v);
          const step = tf.div(tf.mul(lrT, tf.div(m, c1)), tf.add(tf.sqrt(tf.div(v, c2)), epsT));
          params[i].assign(tf.sub(params[i], step));
        }
      });
    };

    let steps = 0;
    let evaluations = 0;
    let stoppedAt: 'zero' | 'budget' = 'budget';
    let lossFloat32 = NaN;
    let nDeltaFloat32 = NaN;
    let lastReported = -1;
    for (;;) {
      const { grads, stats } = pass();
      evaluations++;
      try {
        const atEnd = steps >= maxSteps;
        const check = atEnd || steps % checkEvery === 0;
        const report = onProgress !== undefined && steps % progressEvery === 0;
        if (check || report) {
          const s = stats.dataSync();
          const nDelta = s[0];
          const value = s[1];
          if (!Number.isFinite(value)) {
            throw new Error(`tfjsAdam diverged at step ${steps}: float32 loss = ${value} (lower lr)`);
          }
          if (report) {
            onProgress!({ step: steps, loss: value, nDelta });
            lastReported = steps;
          }
          if (check && (nDelta === 0 || atEnd)) {
            stoppedAt = nDelta === 0 ? 'zero' : 'budget';
            lossFloat32 = value;
            nDeltaFloat32 = nDelta;
            break;
          }
        }
        const lr = lrOf(steps);
        update(grads, lr, steps + 1);
        steps++;
      } finally {
        for (const g of grads) g.dispose();
        stats.dispose();
      }
    }
    if (onProgress !== undefined && lastReported !== steps) onProgress({ step: steps, loss: lossFloat32, nDelta: nDeltaFloat32 });

    const theta = new Float64Array(lay.Ntot);
    let k = 0;
    for (const { w, b } of lay.layers) {
      theta.set(params[k++].dataSync() as Float32Array, w);
      if (b >= 0) theta.set(params[k++].dataSync() as Float32Array, b);
    }
    return { theta, steps, evaluations, backend, stoppedAt, lossFloat32, nDeltaFloat32 };
  } finally {
    for (const t of owned) t.dispose();
  }
}

/**
 * A variable holding a copy of `values`. tf.variable shares the data of its initial tensor and
 * takes a reference to it, so the initial tensor is released here and the variable owns the data.
 */
function variableFrom(tf: Tf, values: Float32Array, shape: number[], trainable: boolean): Variable {
  const init = tf.tensor(values, shape, 'float32');
  try {
    return tf.variable(init, trainable);
  } finally {
    init.dispose();
  }
}


/** lr as a checked function of the step: every value must be a finite number > 0. */
function learningRate(lr: TfjsAdamOptions['lr']): (step: number) => number {
  if (typeof lr === 'function') {
    return (step) => requireFinite(`lr(${step})`, lr(step), 0, Infinity, true);
  }
  const fixed = requireFinite('lr', lr, 0, Infinity, true);
  return () => fixed;
}

function validate(obj: TfjsAdamObjective, theta0: Float64Array, options: TfjsAdamOptions): Layout {
  const { arch, loss, data } = obj;
  if (loss.kind !== 'quadratic') {
    throw new InputError('loss.kind', loss.kind, "'quadratic' (tfjsAdam implements the quadratic hinge only)");
  }
  requireFinite('loss.kappa', loss.kappa, 0);
  if (options === null || typeof options !== 'object') throw new InputError('options', options, 'an object');
  if (typeof options.lr !== 'function') requireFinite('lr', options.lr, 0, Infinity, true);
  requireInt('maxSteps', options.maxSteps, 0);
  if (options.checkEvery !== undefined) requireInt('checkEvery', options.checkEvery, 1);
  if (options.progressEvery !== undefined) requireInt('progressEvery', options.progressEvery, 1);
  if (data.d !== arch.d) throw new InputError('data.d', data.d, `the architecture's input dimension d = ${arch.d}`);
  if (!(data.x instanceof Float64Array) || data.x.length !== data.P * data.d) {
    throw new InputError('data.x.length', data.x?.length, `P * d = ${data.P * data.d}`);
  }
  if (!(data.y instanceof Float64Array) || data.y.length !== data.P) {
    throw new InputError('data.y.length', data.y?.length, `P = ${data.P}`);
  }
  if (data.P >= 2 ** 24) throw new InputError('data.P', data.P, 'fewer than 2^24 patterns (N_Delta is counted in float32)');
  const lay = layout(arch);
  if (!(theta0 instanceof Float64Array) || theta0.length !== lay.Ntot) {
    throw new InputError('theta0.length', theta0 instanceof Float64Array ? theta0.length : theta0, `a Float64Array of Ntot = ${lay.Ntot} parameters`);
  }
  for (let k = 0; k < theta0.length; k++) if (!Number.isFinite(theta0[k])) throw new InputError(`theta0[${k}]`, theta0[k], 'a finite number');
  return lay;
}

import { adamState, adamStep } from './adam.ts';
import { StopWatch, type Landscape, type LandscapePoint, type MinimiserResult, type Progress, type StopReason, type StopRule } from './landscape.ts';
import { InputError, requireFinite, requireInt } from '../util/errors.ts';
import { norm2 } from '../util/vector.ts';

/**
 * Full-batch Adam (Kingma & Ba, bias-corrected; one adamStep per gradient evaluation) with a
 * learning-rate schedule lr(t), t = 0, 1, 2, ... the index of the update about to be taken
 * (PyTorch's convention: the authors decay the lr before update t when t > 0 and t % 250k = 0,
 * so update 250000 is the first at the lower rate).
 */
export interface AdamRunOptions {
  /** learning rate of update t (t from 0); must return a finite number >= 0 */
  readonly lr: (t: number) => number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
}

/** A schedule that does not change. */
export function constantLr(x: number): (t: number) => number {
  requireFinite('lr', x, 0);
  return () => x;
}

/** torch.optim.Adam's defaults (the authors' adam0 uses them), with lr 1e-3. */
export const DEFAULT_ADAM_RUN: AdamRunOptions = { lr: constantLr(1e-3), beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/** Progress is reported every this many steps (and once at the end) unless told otherwise. */
export const DEFAULT_PROGRESS_EVERY = 1000;

export function validateAdamRunOptions(o: AdamRunOptions): AdamRunOptions {
  if (typeof o.lr !== 'function') throw new InputError('lr', o.lr, 'a function of the step t returning the learning rate');
  requireFinite('beta1', o.beta1, 0, 1);
  if (o.beta1 === 1) throw new InputError('beta1', o.beta1, 'a finite number in [0, 1)');
  requireFinite('beta2', o.beta2, 0, 1);
  if (o.beta2 === 1) throw new InputError('beta2', o.beta2, 'a finite number in [0, 1)');
  requireFinite('eps', o.eps, 0, Infinity, true);
  return o;
}

/**
 * The shared stopping rule of every minimiser (src/train/landscape.ts), checked once per run.
 * relTol = 0 stalls only when the best loss did not improve at all over a window.
 */
export function validateStopRule(r: StopRule): StopRule {
  requireInt('maxEvaluations', r.maxEvaluations, 1);
  requireFinite('relTol', r.relTol, 0, 1);
  requireInt('window', r.window, 1);
  requireFinite('gradTol', r.gradTol, 0);
  if (r.stallAfter !== undefined) requireInt('stallAfter', r.stallAfter, 0);
  return r;
}

export function validateProgressEvery(every: number | undefined): number {
  return every === undefined ? DEFAULT_PROGRESS_EVERY : requireInt('progressEvery', every, 1);
}

/** theta0 must match the landscape and be finite (a NaN start would only surface as a divergence). */
export function validateStart(f: Landscape, theta0: Float64Array): void {
  if (!(theta0 instanceof Float64Array) || theta0.length !== f.n) {
    throw new InputError('theta0', theta0 instanceof Float64Array ? `${theta0.length} numbers` : theta0, `a Float64Array of length n = ${f.n}`);
  }
  for (let i = 0; i < theta0.length; i++) {
    if (!Number.isFinite(theta0[i])) throw new InputError(`theta0[${i}]`, theta0[i], 'a finite number');
  }
}

/**
 * Full-batch Adam until the StopWatch says stop; the evaluation that said stop is returned
 * (steps = Adam updates, evaluations = steps + 1). theta0 is copied, never mutated.
 */
export function adamRun(
  f: Landscape,
  theta0: Float64Array,
  options: AdamRunOptions,
  rule: StopRule,
  onProgress?: (p: Progress) => void,
  progressEvery?: number,
): MinimiserResult {
  const o = validateAdamRunOptions(options);
  validateStopRule(rule);
  validateStart(f, theta0);
  const every = validateProgressEvery(progressEvery);
  const watch = new StopWatch(rule);
  const theta = Float64Array.from(theta0);
  const state = adamState(theta.length);
  let point: LandscapePoint = f.evaluate(theta);
  let reason: StopReason | null = watch.record(point, norm2(point.gradient));
  let step = 0;
  while (reason === null) {
    const lr = o.lr(step);
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw new InputError(`lr(${step})`, lr, 'a finite number >= 0');
    }
    adamStep(theta, point.gradient, state, lr, o.beta1, o.beta2, o.eps);
    step++;
    point = f.evaluate(theta);
    reason = watch.record(point, norm2(point.gradient));
    if (onProgress && reason === null && step % every === 0) onProgress({ step, loss: point.value, nDelta: point.nDelta });
  }
  onProgress?.({ step, loss: point.value, nDelta: point.nDelta });
  return { theta, point, reason, steps: step, evaluations: watch.evaluations };
}

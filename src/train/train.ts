import { evaluate, type Evaluation, type Objective } from '../loss/objective.ts';
import { adamState, adamStep } from './adam.ts';
import { requireFinite, requireInt } from '../util/errors.ts';

/**
 * fitted:  N_Delta = 0, the loss is exactly 0 (SCIENCE.md set-up, "stop").
 * jammed:  loss > 0 and the loss stalled to the stated relative tolerance.
 * budget:  neither within the step budget; never reported as either of the others.
 */
export type Verdict = 'fitted' | 'jammed' | 'budget';

export interface TrainOptions {
  /** full-batch Adam learning rate */
  readonly lr: number;
  readonly maxSteps: number;
  /** stalled when the best loss improved by less than this fraction over `window` steps */
  readonly stallTol: number;
  readonly window: number;
  /** called every `progressEvery` steps (and at the end) */
  readonly onProgress?: (p: { step: number; loss: number; nDelta: number }) => void;
  readonly progressEvery?: number;
}

export const DEFAULT_TRAIN: TrainOptions = { lr: 1e-2, maxSteps: 20_000, stallTol: 1e-6, window: 2_000 };

export interface TrainResult {
  readonly theta: Float64Array;
  readonly verdict: Verdict;
  readonly steps: number;
  readonly gradientEvaluations: number;
  readonly evaluation: Evaluation;
  readonly wallSeconds: number;
}

export function validateTrainOptions(o: TrainOptions): TrainOptions {
  requireFinite('lr', o.lr, 0, Infinity, true);
  requireInt('maxSteps', o.maxSteps, 0);
  requireFinite('stallTol', o.stallTol, 0, 1);
  requireInt('window', o.window, 1);
  return o;
}

/**
 * A plain full-batch minimiser (Adam) that stops at N_Delta = 0. A NaN or infinite loss throws:
 * a failed run stores no result.
 */
export function train(obj: Objective, theta0: Float64Array, options: Partial<TrainOptions> = {}): TrainResult {
  const o = validateTrainOptions({ ...DEFAULT_TRAIN, ...options });
  const start = performance.now();
  const theta = Float64Array.from(theta0);
  const state = adamState(theta.length);
  let ev = evaluate(obj, theta);
  let evals = 1;
  let step = 0;
  let verdict: Verdict = 'budget';
  let best = ev.value;
  let bestAtWindowStart = ev.value;
  const every = o.progressEvery ?? 1000;
  for (;;) {
    if (!Number.isFinite(ev.value)) {
      throw new Error(`training diverged at step ${step}: loss = ${ev.value} (lower lr, now ${o.lr})`);
    }
    if (ev.nDelta === 0 && (obj.loss.kind !== 'crossEntropy')) {
      verdict = 'fitted';
      break;
    }
    if (step >= o.maxSteps) break;
    if (step > 0 && step % o.window === 0) {
      if (bestAtWindowStart - best <= o.stallTol * bestAtWindowStart) {
        verdict = 'jammed';
        break;
      }
      bestAtWindowStart = best;
    }
    adamStep(theta, ev.gradient, state, o.lr);
    step++;
    ev = evaluate(obj, theta);
    evals++;
    best = Math.min(best, ev.value);
    if (o.onProgress && step % every === 0) o.onProgress({ step, loss: ev.value, nDelta: ev.nDelta });
  }
  o.onProgress?.({ step, loss: ev.value, nDelta: ev.nDelta });
  return { theta, verdict, steps: step, gradientEvaluations: evals, evaluation: ev, wallSeconds: (performance.now() - start) / 1000 };
}

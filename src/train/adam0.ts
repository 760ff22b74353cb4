import { adamRun, validateAdamRunOptions } from './adamRun.ts';
import type { Landscape, MinimiserResult, Progress, StopRule } from './landscape.ts';
import { requireFinite, requireInt } from '../util/errors.ts';

/**
 * The authors' optimiser "adam0" (SCIENCE.md, "Set-up", optimiser row; nn_jamming train.py):
 * full-batch torch.optim.Adam (betas 0.9, 0.999, eps 1e-8) with lr 1e-4, divided by 10 every
 * 250k steps, never below 1e-7, float64, 2M to 10M steps.
 */
export const ADAM0_LR0 = 1e-4;
export const ADAM0_DECAY_EVERY = 250_000;
export const ADAM0_LR_FLOOR = 1e-7;
/** decades from ADAM0_LR0 down to ADAM0_LR_FLOOR: the lr reaches its floor at step 3 * decayEvery */
const DECADES = 3;

/**
 * lr of update t (t from 0) with the step counts scaled: decayEvery = 250_000 is the authors'
 * schedule; a smaller value compresses it for tests. The decades are tabulated (1e-4, 1e-5, 1e-6,
 * 1e-7), not computed as 1e-4 * 10^-k, so the values are exactly the decimal literals.
 */
export function adam0ScheduleScaled(decayEvery: number): (t: number) => number {
  requireInt('decayEvery', decayEvery, 1);
  const rates = [ADAM0_LR0, 1e-5, 1e-6, ADAM0_LR_FLOOR];
  return (t: number) => rates[Math.min(Math.max(Math.floor(t / decayEvery), 0), DECADES)];
}

/** The authors' schedule: max(1e-4 * 10^(-floor(t / 250000)), 1e-7). */
export const adam0Schedule: (t: number) => number = adam0ScheduleScaled(ADAM0_DECAY_EVERY);

export interface Adam0Options {
  /** steps between the divisions of the lr by 10 (the authors': 250_000) */
  readonly decayEvery: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
}

export const DEFAULT_ADAM0: Adam0Options = { decayEvery: ADAM0_DECAY_EVERY, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

export function validateAdam0Options(o: Adam0Options): Adam0Options {
  requireInt('decayEvery', o.decayEvery, 1);
  requireFinite('beta1', o.beta1, 0, 1);
  requireFinite('beta2', o.beta2, 0, 1);
  requireFinite('eps', o.eps, 0, Infinity, true);
  return o;
}

/**
 * The stop rule of adam0 with its step counts scaled like the schedule (decayEvery = 250_000 gives
 * ADAM0_RULE):
 * - maxEvaluations = 8 decayEvery + 1: 2M updates (the low end of the authors' 2M-10M) plus the
 *   evaluation of the start.
 * - no stall test before 3 decayEvery (750k), when the lr reaches its floor; then a window of
 *   decayEvery (250k) steps.
 * - relTol = 1e-6: converged (jammed) when the best loss improved by less than one part in a
 *   million over 250k steps. At that rate, even kept up linearly, the loss would need 2.5e11
 *   steps to reach zero (25000 times the authors' largest budget of 10M) and over the remaining
 *   budget could fall by at most 4e-5 of itself: stopping there cannot turn a run that the
 *   authors' protocol would have fitted into a jammed one, short of a sudden late collapse. A
 *   jammed ReLU run stalls to about 10 digits (SCIENCE.md, pitfalls), far below 1e-6 per window,
 *   so the tolerance is reached without waiting for the full budget; a tighter relTol (1e-9) would
 *   mostly just spend the budget.
 * - gradTol = 0: only an exactly zero gradient stops the run on the gradient.
 */
export function adam0RuleScaled(decayEvery: number): StopRule {
  requireInt('decayEvery', decayEvery, 1);
  return {
    maxEvaluations: 8 * decayEvery + 1,
    window: decayEvery,
    relTol: 1e-6,
    gradTol: 0,
    stallAfter: DECADES * decayEvery,
  };
}

export const ADAM0_RULE: StopRule = adam0RuleScaled(ADAM0_DECAY_EVERY);

/** adamRun with the adam0 schedule (scaled by options.decayEvery). */
export function adam0(
  f: Landscape,
  theta0: Float64Array,
  options: Adam0Options = DEFAULT_ADAM0,
  rule: StopRule = ADAM0_RULE,
  onProgress?: (p: Progress) => void,
  progressEvery?: number,
): MinimiserResult {
  const o = validateAdam0Options(options);
  const run = validateAdamRunOptions({ lr: adam0ScheduleScaled(o.decayEvery), beta1: o.beta1, beta2: o.beta2, eps: o.eps });
  return adamRun(f, theta0, run, rule, onProgress, progressEvery);
}

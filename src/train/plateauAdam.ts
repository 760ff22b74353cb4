import { adamState, adamStep } from './adam.ts';
import { adam0Schedule, ADAM0_LR0, ADAM0_LR_FLOOR } from './adam0.ts';
import type { Landscape, LandscapePoint, MinimiserResult, Progress } from './landscape.ts';
import { requireFinite, requireInt } from '../util/errors.ts';

/**
 * The authors' adam0 (full-batch Adam, lr 1e-4, / 10 every 250k steps, floor 1e-7), with one change:
 * the lr is also divided by 10 as soon as the loss has reached a plateau at the current lr (the best
 * loss improved by less than relTol over `window` steps), and the run stops at a plateau at the
 * floor. So the trajectory is adam0's, update for update, until the first plateau: a run that adam0
 * fits before it is fitted the same way (SCIENCE.md, "Set-up"; the default minimiser must not change
 * the outcome near P*, where large early steps were measured to kill units), and a run stuck at
 * its lr's noise floor does not wait 250k steps for the next decade.
 * lr(t) = min(rate reached by plateaus, adam0's scheduled rate at t): never above adam0's.
 * relTol 1e-3 per 10k steps: a loss that keeps falling by 0.1% per 10k steps (1% per 100k, the
 * independent check's resolution) keeps its lr.
 */
export interface PlateauAdamOptions {
  readonly window: number;
  readonly relTol: number;
  /** the first lr (adam0's 1e-4); later decades are tabulated down to 1e-7 */
  readonly lr0: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** the lowest lr the plateau rule may reach (adam0's floor 1e-7 unless told); a plateau there ends the run */
  readonly floor?: number;
  /** stop as soon as the best loss is below this (a certificate trial that has already failed) */
  readonly stopBelow?: number;
}

export const DEFAULT_PLATEAU_ADAM: PlateauAdamOptions = { window: 10_000, relTol: 1e-3, lr0: ADAM0_LR0, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

const DECADES = [1e-4, 1e-5, 1e-6, ADAM0_LR_FLOOR];

export interface PlateauAdamResult extends MinimiserResult {
  /** the step at which each lower decade began */
  readonly decays: readonly number[];
  /** the lowest loss met, and where (the returned theta is the last iterate) */
  readonly best: { readonly value: number; readonly theta: Float64Array };
}

export function plateauAdam(
  f: Landscape,
  theta0: Float64Array,
  o: PlateauAdamOptions,
  maxEvaluations: number,
  onProgress?: (p: Progress) => void,
  progressEvery = 1000,
): PlateauAdamResult {
  requireInt('window', o.window, 1);
  requireFinite('relTol', o.relTol, 0, 1);
  requireInt('maxEvaluations', maxEvaluations, 1);
  let level = DECADES.findIndex((r) => r <= o.lr0);
  if (level < 0) level = DECADES.length - 1;
  const floor = o.floor ?? ADAM0_LR_FLOOR;
  requireFinite('floor', floor, ADAM0_LR_FLOOR, o.lr0);
  const rates = [o.lr0, ...DECADES.slice(level + 1).filter((r) => r >= floor)];
  let k = 0;
  const theta = Float64Array.from(theta0);
  const state = adamState(theta.length);
  let point: LandscapePoint = f.evaluate(theta);
  let evaluations = 1;
  let steps = 0;
  let best = point.value;
  // the best point is copied into one buffer: no allocation in the loop
  const bestTheta = Float64Array.from(theta);
  let windowStart = 0;
  let bestAtWindowStart = best;
  const decays: number[] = [];
  const done = (reason: MinimiserResult['reason']): PlateauAdamResult => {
    onProgress?.({ step: steps, loss: point.value, nDelta: point.nDelta, theta });
    return { theta, point, reason, steps, evaluations, decays, best: { value: best, theta: bestTheta } };
  };
  for (;;) {
    if (!Number.isFinite(point.value)) throw new Error(`minimiser diverged after ${evaluations} evaluations: loss = ${point.value}`);
    if (point.value === 0 && point.nDelta === 0) return done('zero');
    if (point.value < best) {
      best = point.value;
      bestTheta.set(theta);
      if (o.stopBelow !== undefined && best < o.stopBelow) return done('converged');
    }
    if (steps - windowStart >= o.window) {
      if (bestAtWindowStart - best <= o.relTol * bestAtWindowStart) {
        if (k === rates.length - 1) return done('converged');
        k++;
        decays.push(steps);
      }
      windowStart = steps;
      bestAtWindowStart = best;
    }
    if (evaluations >= maxEvaluations) return done('budget');
    // adam0's own decays (every 250k steps) also move the plateau level down
    const scheduled = adam0Schedule(steps);
    while (k < rates.length - 1 && rates[k] > scheduled) {
      k++;
      decays.push(steps);
    }
    const lr = Math.min(rates[k], scheduled);
    adamStep(theta, point.gradient, state, lr, o.beta1, o.beta2, o.eps);
    steps++;
    point = f.evaluate(theta);
    evaluations++;
    if (onProgress && steps % progressEvery === 0) onProgress({ step: steps, loss: point.value, nDelta: point.nDelta, theta });
  }
}

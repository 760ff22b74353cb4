import type { Architecture } from '../model/architecture.ts';
import type { Dataset } from '../data/dataset.ts';
import { forwardTrace, type Trace } from '../model/forward.ts';
import { sensitivities, weightedGradient, type Sensitivities } from '../model/backward.ts';
import type { Loss } from './losses.ts';
import { deltas, nDelta, selectPatterns } from './delta.ts';

/** What is minimised: a network, a loss and the P training patterns. */
export interface Objective {
  readonly arch: Architecture;
  readonly loss: Loss;
  readonly data: Dataset;
}

export interface Evaluation {
  readonly trace: Trace;
  readonly delta: Float64Array;
  /** (1/P) sum_mu ell(Delta_mu) */
  readonly value: number;
  readonly nDelta: number;
  /** patterns that enter the gradient and the Hessian (Delta > 0 for the hinges) */
  readonly active: Int32Array;
  readonly sens: Sensitivities;
  readonly gradient: Float64Array;
}

/**
 * Loss, N_Delta and the exact float64 gradient at theta, back-propagating only the active patterns.
 * Sums run in pattern order, so the same theta gives bit-identical results.
 */
export function evaluate(obj: Objective, theta: Float64Array): Evaluation {
  const { arch, loss, data } = obj;
  const trace = forwardTrace(arch, theta, data.x, data.P);
  const delta = deltas(trace.f, data.y, loss.kappa);
  let value = 0;
  for (let mu = 0; mu < data.P; mu++) value += loss.ell(delta[mu]);
  value /= data.P;
  const active = selectPatterns(delta, loss.active);
  const sens = sensitivities(arch, theta, trace, active);
  const gradient = weightedGradient(arch, trace, sens, chainWeights(obj, delta, active));
  return { trace, delta, value, nDelta: nDelta(delta), active, sens, gradient };
}

/**
 * c_k = -ell'(Delta_k) y_k / P for the active patterns: grad L = sum_k c_k grad f_k and, with the
 * same weights, Hp = sum_k c_k Hess f_k (SCIENCE.md set-up, Hessian row).
 */
export function chainWeights(obj: Objective, delta: Float64Array, active: Int32Array): Float64Array {
  const c = new Float64Array(active.length);
  const P = obj.data.P;
  for (let r = 0; r < active.length; r++) {
    const mu = active[r];
    c[r] = (-obj.loss.dEll(delta[mu]) * obj.data.y[mu]) / P;
  }
  return c;
}

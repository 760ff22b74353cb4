import type { Objective } from './objective.ts';
import { deltas, nDelta, selectPatterns } from './delta.ts';

/** What the outputs f(x_mu) give before any back-propagation. */
export interface ConstraintTerms {
  readonly delta: Float64Array;
  readonly value: number;
  readonly nDelta: number;
  readonly active: Int32Array;
  /** chain-rule weights of the active patterns (chainWeights) */
  readonly c: Float64Array;
}

/** Delta, the loss, N_Delta, the active patterns and their chain weights: the part of an evaluation both backends share. */
export function constraintTerms(obj: Objective, f: Float64Array): ConstraintTerms {
  const { loss, data } = obj;
  const delta = deltas(f, data.y, loss.kappa);
  let value = 0;
  for (let mu = 0; mu < data.P; mu++) value += loss.ell(delta[mu]);
  value /= data.P;
  const active = selectPatterns(delta, loss.active);
  return { delta, value, nDelta: nDelta(delta), active, c: chainWeights(obj, delta, active) };
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

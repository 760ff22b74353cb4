import type { Architecture } from '../model/architecture.ts';
import type { Dataset } from '../data/dataset.ts';
import { checkInputs, forwardTrace, netOf, type Trace } from '../model/forward.ts';
import { sensitivities, type Sensitivities } from '../model/backward.ts';
import { kernels } from '../kernels/select.ts';
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
 * Sums run in pattern order, so the same theta gives bit-identical results, on either kernel
 * implementation. The WASM kernels keep the trace and the sensitivities in their own memory; reading
 * ev.trace or ev.sens then recomputes them from a copy of theta (same bits), which only the Hessian
 * and diagnostics do.
 */
export function evaluate(obj: Objective, theta: Float64Array): Evaluation {
  const { arch, data } = obj;
  checkInputs(arch, theta, data.x, data.P);
  const r = kernels().lossAndGradient(netOf(arch), theta, data.x, data.P, (f) => constraintTerms(obj, f));
  const t = r.terms;
  if (r.trace && r.sens) return { trace: r.trace, delta: t.delta, value: t.value, nDelta: t.nDelta, active: t.active, sens: r.sens, gradient: r.gradient };
  return new LazyEvaluation(obj, theta.slice(), t, r.gradient);
}

/** An evaluation whose trace and sensitivities are recomputed on first use (private fields and prototype getters: never serialised). */
class LazyEvaluation implements Evaluation {
  readonly delta: Float64Array;
  readonly value: number;
  readonly nDelta: number;
  readonly active: Int32Array;
  readonly gradient: Float64Array;
  readonly #obj: Objective;
  readonly #theta: Float64Array;
  #trace?: Trace;
  #sens?: Sensitivities;
  constructor(obj: Objective, theta: Float64Array, t: ConstraintTerms, gradient: Float64Array) {
    this.#obj = obj;
    this.#theta = theta;
    this.delta = t.delta;
    this.value = t.value;
    this.nDelta = t.nDelta;
    this.active = t.active;
    this.gradient = gradient;
  }
  get trace(): Trace {
    return (this.#trace ??= forwardTrace(this.#obj.arch, this.#theta, this.#obj.data.x, this.#obj.data.P));
  }
  get sens(): Sensitivities {
    return (this.#sens ??= sensitivities(this.#obj.arch, this.#theta, this.trace, this.active));
  }
}

/** What the outputs f(x_mu) give before any back-propagation. */
export interface ConstraintTerms {
  readonly delta: Float64Array;
  readonly value: number;
  readonly nDelta: number;
  readonly active: Int32Array;
  /** chain-rule weights of the active patterns (chainWeights) */
  readonly c: Float64Array;
}

/** Delta, the loss, N_Delta, the active patterns and their chain weights: what an evaluation makes of f. */
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
 * same weights, Hp = sum_k c_k Hess f_k (SCIENCE.md, "Set-up", Hessian row).
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

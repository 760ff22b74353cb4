import type { Architecture } from '../model/architecture.ts';
import type { Dataset } from '../data/dataset.ts';
import { forwardTrace, type Trace } from '../model/forward.ts';
import { sensitivities, weightedGradient, type Sensitivities } from '../model/backward.ts';
import { kernelTeam, wasmArena } from '../kernels/backend.ts';
import type { Loss } from './losses.ts';
import { evaluateWasm } from './objective.wasm.ts';
import { constraintTerms, type ConstraintTerms } from './constraints.ts';

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
 * Sums run in pattern order, so the same theta gives bit-identical results, on either backend.
 * On the kernels the trace and the sensitivities stay in linear memory; reading ev.trace or ev.sens
 * recomputes them from a copy of theta (same bits), which only the Hessian and diagnostics do.
 */
export function evaluate(obj: Objective, theta: Float64Array): Evaluation {
  const arena = wasmArena();
  if (arena) return new KernelEvaluation(obj, theta.slice(), evaluateWasm(arena, kernelTeam(arena), obj, theta));
  const { arch, data } = obj;
  const trace = forwardTrace(arch, theta, data.x, data.P);
  const terms = constraintTerms(obj, trace.f);
  const sens = sensitivities(arch, theta, trace, terms.active);
  const gradient = weightedGradient(arch, trace, sens, terms.c);
  return { trace, delta: terms.delta, value: terms.value, nDelta: terms.nDelta, active: terms.active, sens, gradient };
}

/** An evaluation whose trace and sensitivities are recomputed on first use (private fields and prototype getters: never serialised). */
class KernelEvaluation implements Evaluation {
  readonly delta: Float64Array;
  readonly value: number;
  readonly nDelta: number;
  readonly active: Int32Array;
  readonly gradient: Float64Array;
  readonly #obj: Objective;
  readonly #theta: Float64Array;
  #trace?: Trace;
  #sens?: Sensitivities;
  constructor(obj: Objective, theta: Float64Array, r: ConstraintTerms & { gradient: Float64Array }) {
    this.#obj = obj;
    this.#theta = theta;
    this.delta = r.delta;
    this.value = r.value;
    this.nDelta = r.nDelta;
    this.active = r.active;
    this.gradient = r.gradient;
  }
  get trace(): Trace {
    return (this.#trace ??= forwardTrace(this.#obj.arch, this.#theta, this.#obj.data.x, this.#obj.data.P));
  }
  get sens(): Sensitivities {
    return (this.#sens ??= sensitivities(this.#obj.arch, this.#theta, this.trace, this.active));
  }
}

/**
 * What a minimiser sees: a function of n parameters with its exact gradient, and N_Delta so that
 * runs can stop the moment the loss is exactly zero (SCIENCE.md, "Set-up", "stop"). Minimisers are
 * written against this interface only, so each one is tested on plain quadratics as well.
 */
export interface LandscapePoint {
  readonly value: number;
  readonly gradient: Float64Array;
  /** unsatisfied constraints; 0 means the loss is exactly zero and the run is fitted */
  readonly nDelta: number;
}

export interface Landscape {
  readonly n: number;
  evaluate(theta: Float64Array): LandscapePoint;
  /**
   * The exact n x n Hessian (row-major), where the landscape can give it; Newton-type polishing
   * needs it. Its cost is reported in gradient evaluations (hessianCost) so budgets stay honest.
   */
  hessian?(theta: Float64Array): Float64Array;
  readonly hessianCost?: number;
}

/** Why a minimiser returned. */
export type StopReason = 'zero' | 'converged' | 'budget';

/** Shared stopping rules of every minimiser. */
export interface StopRule {
  /** most gradient evaluations this minimiser may spend */
  readonly maxEvaluations: number;
  /** converged when the best loss improved by less than relTol (relative) over `window` evaluations */
  readonly relTol: number;
  readonly window: number;
  /** converged as well when the gradient norm falls below this (absolute) */
  readonly gradTol: number;
  /** no stall test before this many evaluations (adam0 only stalls once its lr is at the floor) */
  readonly stallAfter?: number;
}

export interface MinimiserResult {
  readonly theta: Float64Array;
  readonly point: LandscapePoint;
  readonly reason: StopReason;
  /** iterations (steps) taken */
  readonly steps: number;
  /** gradient evaluations used: the cost measure that benchmarks compare */
  readonly evaluations: number;
}

export interface Progress {
  readonly step: number;
  readonly loss: number;
  readonly nDelta: number;
  /** the current iterate, where the minimiser gives it (valid during the call only; not to be changed) */
  readonly theta?: Float64Array;
}

/**
 * Tracks the stopping rules as evaluations come in; every minimiser asks it after each evaluation.
 * Convergence by stall: best loss over the last `window` evaluations improved less than relTol.
 */
export class StopWatch {
  private best = Infinity;
  private bestAtWindowStart = Infinity;
  private windowStart = 0;
  evaluations = 0;

  constructor(private readonly rule: StopRule) {}

  /**
   * Charge k evaluations' worth of work that produced no new point (an exact Hessian): it counts
   * against the budget but not towards the stall window.
   */
  charge(k: number): StopReason | null {
    this.evaluations += k;
    this.windowStart += k;
    return this.evaluations >= this.rule.maxEvaluations ? 'budget' : null;
  }

  /** Record one evaluation; returns the reason to stop now, or null to go on. */
  record(p: LandscapePoint, gradNorm: number): StopReason | null {
    this.evaluations++;
    if (!Number.isFinite(p.value)) throw new Error(`minimiser diverged after ${this.evaluations} evaluations: loss = ${p.value}`);
    if (p.value === 0 && p.nDelta === 0) return 'zero';
    if (gradNorm <= this.rule.gradTol) return 'converged';
    if (this.evaluations === 1) this.bestAtWindowStart = p.value;
    if (p.value < this.best) this.best = p.value;
    if (this.evaluations < (this.rule.stallAfter ?? 0)) {
      this.windowStart = this.evaluations;
      this.bestAtWindowStart = this.best;
    } else if (this.evaluations - this.windowStart >= this.rule.window) {
      if (this.bestAtWindowStart - this.best <= this.rule.relTol * this.bestAtWindowStart) return 'converged';
      this.bestAtWindowStart = this.best;
      this.windowStart = this.evaluations;
    }
    if (this.evaluations >= this.rule.maxEvaluations) return 'budget';
    return null;
  }
}

import type { RunRecord } from '../run/record.ts';
import { fitInterval, fitTransition, type FitInterval, type FractionPoint, type TransitionFit } from '../stats/logistic.ts';

/**
 * Where the jamming transition sits in a sweep, and which runs are set apart.
 *
 * Dead patterns (SCIENCE.md pitfall) are unsatisfied patterns on which a hidden layer is all zero:
 * the network outputs a constant there, they add nothing to Hp and at most a bias direction to H0,
 * so the stability argument (claims 3, 4) speaks of the live ones only (analyse/diagnostics.ts
 * classes every unsatisfied pattern as live, contact or dead). A dead-pattern run is one whose
 * dead patterns carry most of its loss. A budget run ended neither fitted nor certified: its
 * outcome is unknown. Both are left out of the jammed fractions by default and counted in `apart`;
 * a claim may count them the other way (`Counting`) to show whether its verdict rests on that.
 */
export function liveNDelta(r: RunRecord): number {
  return r.results.liveNDelta;
}

export function isDeadPatternRun(r: RunRecord): boolean {
  return r.results.verdict !== 'fitted' && r.results.deadPatternRun;
}

export function isBudgetRun(r: RunRecord): boolean {
  return r.results.verdict === 'budget';
}

export function isFitted(r: RunRecord): boolean {
  return r.results.verdict === 'fitted';
}

/**
 * A certified minimum with loss > 0: verdict 'jammed' (ReLU: the non-smooth certificate passed;
 * softplus and linear: the smooth or kinked one), its loss carried mostly by live patterns.
 */
export function isCertifiedMinimum(r: RunRecord): boolean {
  const c = r.results.certificate;
  return r.results.verdict === 'jammed' && !(c?.kind === 'nonsmooth' && !c.passed) && !r.results.deadPatternRun;
}

/** The authors' rule, on live patterns: N_Delta(live) > 0.1 N at the end of a certified run. */
export function isJammedByRule(r: RunRecord): boolean {
  return isCertifiedMinimum(r) && liveNDelta(r) > 0.1 * r.results.N;
}

/** How the runs of unknown or untypical outcome enter the fractions. */
export interface Counting {
  /** dead-pattern runs: set apart, or counted like any run with N_Delta taken whole (dead patterns included) */
  readonly deadPatternRuns: 'apart' | 'counted';
  /** budget runs: set apart, counted as jammed where the authors' rule holds at their end (N_Delta(live) > 0.1 N, whatever stopped them), or counted as fitted */
  readonly budgetRuns: 'apart' | 'jammed' | 'fitted';
}

export const SET_APART: Counting = { deadPatternRuns: 'apart', budgetRuns: 'apart' };

type Outcome = 'fitted' | 'jammed' | 'neither' | 'apart';

function outcome(r: RunRecord, c: Counting): Outcome {
  const tenth = 0.1 * r.results.N;
  if (isBudgetRun(r)) {
    if (c.budgetRuns === 'apart') return 'apart';
    if (c.budgetRuns === 'fitted') return 'fitted';
    return liveNDelta(r) > tenth ? 'jammed' : 'neither';
  }
  if (isDeadPatternRun(r)) {
    if (c.deadPatternRuns === 'apart') return 'apart';
    return r.results.nDelta > tenth ? 'jammed' : 'neither';
  }
  if (isFitted(r)) return 'fitted';
  return isJammedByRule(r) ? 'jammed' : 'neither';
}

export interface GridPoint {
  /** the swept variable: P (fixed N) or N (fixed P) */
  readonly x: number;
  /** runs counted in the fractions */
  readonly runs: number;
  readonly fitted: number;
  readonly jammed: number;
  /** runs left out of the fractions: dead-pattern runs and budget runs (verdict unknown), as `Counting` says */
  readonly apart: number;
}

export function gridPoints(records: readonly RunRecord[], x: (r: RunRecord) => number, counting: Counting = SET_APART): GridPoint[] {
  const by = new Map<number, Outcome[]>();
  for (const r of records) by.set(x(r), [...(by.get(x(r)) ?? []), outcome(r, counting)]);
  return [...by.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([v, os]) => {
      const n = (o: Outcome) => os.filter((k) => k === o).length;
      return { x: v, runs: os.length - n('apart'), fitted: n('fitted'), jammed: n('jammed'), apart: n('apart') };
    })
    .filter((p) => p.runs > 0);
}

/**
 * The x at which the jammed fraction first reaches `level`, interpolated linearly in log x between
 * grid points; NaN when it never does (or already does at the first point: then only a bound is known).
 */
export function crossing(points: readonly GridPoint[], level: number, increasing = true): number {
  const frac = (p: GridPoint) => (increasing ? p.jammed / p.runs : 1 - p.jammed / p.runs);
  for (let i = 1; i < points.length; i++) {
    const a = frac(points[i - 1]);
    const b = frac(points[i]);
    if (a < level && b >= level) {
      const t = (level - a) / (b - a);
      return Math.exp(Math.log(points[i - 1].x) + t * (Math.log(points[i].x) - Math.log(points[i - 1].x)));
    }
  }
  return NaN;
}

/** The counts the fit takes: n decided runs at x, k of them jammed by the authors' rule. */
export function fractionPoints(points: readonly GridPoint[]): FractionPoint[] {
  return points.map((p) => ({ x: p.x, n: p.runs, k: p.jammed }));
}

/**
 * x50 of the fit where it is a transition inside the grid: the fit converged, its fraction moves
 * the expected way (rises with P, falls with N) and x50 lies between the first and last grid
 * points. NaN otherwise: only a bound is known (claims 5, 6, 7).
 */
function insideGrid(fit: TransitionFit, points: readonly GridPoint[], rising: boolean): number {
  if (points.length < 2 || !fit.converged || !(rising ? fit.slope > 0 : fit.slope < 0)) return NaN;
  return fit.x50 >= points[0].x && fit.x50 <= points[points.length - 1].x ? fit.x50 : NaN;
}

/** Where the transition is estimated from: the logistic fit (stats/logistic.ts) of the jammed fraction over every decided run. */
export interface FittedTransition {
  readonly points: GridPoint[];
  /** the Firth-penalised logistic fit in log x: x50, x10, x90, slope */
  readonly fit: TransitionFit;
}

/** The 95% interval of a statistic of the fit (x50 by default) by parametric bootstrap (stats/logistic.ts fitInterval). */
export function transitionInterval(t: FittedTransition, seed: number, statistic: (fit: TransitionFit) => number = (f) => f.x50, resamples?: number): FitInterval {
  return fitInterval(fractionPoints(t.points), statistic, seed, resamples);
}

/**
 * Transition in P at fixed N: P* = x50 of the fit (50% jammed), and the bracket [last all-fitted P,
 * first all-jammed P] as read from the grid.
 */
export interface PTransition extends FittedTransition {
  readonly N: number;
  readonly Pstar: number;
  readonly Plow: number;
  readonly Phigh: number;
}

export function transitionInP(records: readonly RunRecord[], counting: Counting = SET_APART): PTransition {
  const points = gridPoints(records, (r) => r.results.P, counting);
  const N = records[0]?.results.N ?? NaN;
  const allJammed = points.filter((p) => p.jammed === p.runs).map((p) => p.x);
  const Phigh = allJammed.length ? Math.min(...allJammed) : NaN;
  const fittedBelow = points.filter((p) => p.fitted === p.runs && !(p.x >= Phigh)).map((p) => p.x);
  const Plow = fittedBelow.length ? Math.max(...fittedBelow) : NaN;
  const fit = fitTransition(fractionPoints(points));
  return { N, Pstar: insideGrid(fit, points, true), Plow, Phigh, points, fit };
}

/**
 * Transition in N at fixed P (the authors' search, claims 5, 6, 10): N* lies between the largest N with a jammed run and
 * the smallest N with every seed fitted (above it); the estimate is x50 of the fit in log N (the fraction falls with N).
 */
export interface NTransition extends FittedTransition {
  readonly P: number;
  readonly Nstar: number;
  readonly Nlow: number;
  readonly Nhigh: number;
}

export function transitionInN(records: readonly RunRecord[], counting: Counting = SET_APART): NTransition {
  const points = gridPoints(records, (r) => r.results.N, counting);
  const P = records[0]?.results.P ?? NaN;
  const jammedNs = points.filter((p) => p.jammed > 0).map((p) => p.x);
  const Nlow = jammedNs.length ? Math.max(...jammedNs) : NaN;
  const fittedAbove = points.filter((p) => p.fitted === p.runs && !(p.x <= Nlow)).map((p) => p.x);
  const Nhigh = fittedAbove.length ? Math.min(...fittedAbove) : NaN;
  const fit = fitTransition(fractionPoints(points));
  return { P, Nstar: insideGrid(fit, points, false), Nlow, Nhigh, points, fit };
}

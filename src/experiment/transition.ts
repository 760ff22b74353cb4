import type { RunRecord } from './record.ts';

/**
 * Where the jamming transition sits in a sweep, and which runs are dead-pattern runs.
 *
 * Dead patterns (SCIENCE.md pitfall) are unsatisfied patterns on which a hidden layer is all zero:
 * the network outputs a constant there, they add nothing to Hp and at most a bias direction to H0,
 * so the stability argument (claims 3, 4) speaks of the live ones only: N_Delta(live) = N_Delta -
 * dead. A dead-pattern run is one that looks jammed only through its dead patterns: N_Delta(live)
 * <= 0.1 N. It is left out of the fractions that locate the transition and listed apart by every
 * claim. (Counting every run with a single dead pattern as such would set apart almost all jammed
 * runs at the widths one machine affords: 53 of 69 at the ci scale.)
 */
export function liveNDelta(r: RunRecord): number {
  return r.results.nDelta - r.results.deadPatterns;
}

export function isDeadPatternRun(r: RunRecord): boolean {
  return r.results.deadPatterns > 0 && liveNDelta(r) <= 0.1 * r.results.N;
}

/** The authors' rule, on live patterns: N_Delta(live) > 0.1 N at the end, whatever stopped the run. */
export function isJammedByRule(r: RunRecord): boolean {
  return liveNDelta(r) > 0.1 * r.results.N;
}

export function isFitted(r: RunRecord): boolean {
  return r.results.verdict === 'fitted';
}

export interface GridPoint {
  /** the swept variable: P (fixed N) or N (fixed P) */
  readonly x: number;
  readonly runs: number;
  readonly fitted: number;
  readonly jammed: number;
}

export function gridPoints(records: readonly RunRecord[], x: (r: RunRecord) => number): GridPoint[] {
  const by = new Map<number, RunRecord[]>();
  for (const r of records) if (!isDeadPatternRun(r)) by.set(x(r), [...(by.get(x(r)) ?? []), r]);
  return [...by.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([v, rs]) => ({ x: v, runs: rs.length, fitted: rs.filter(isFitted).length, jammed: rs.filter(isJammedByRule).length }));
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

/** Transition in P at fixed N: P* (50% jammed) and the interval [last all-fitted P, first all-jammed P]. */
export interface PTransition {
  readonly N: number;
  readonly Pstar: number;
  readonly Plow: number;
  readonly Phigh: number;
  readonly points: GridPoint[];
}

export function transitionInP(records: readonly RunRecord[]): PTransition {
  const points = gridPoints(records, (r) => r.results.P);
  const N = records[0]?.results.N ?? NaN;
  const allFitted = points.filter((p) => p.fitted === p.runs).map((p) => p.x);
  const allJammed = points.filter((p) => p.jammed === p.runs).map((p) => p.x);
  const Plow = allFitted.length ? Math.max(...allFitted.filter((x) => x < (allJammed[0] ?? Infinity))) : NaN;
  const Phigh = allJammed.length ? Math.min(...allJammed) : NaN;
  return { N, Pstar: crossing(points, 0.5), Plow, Phigh, points };
}

/**
 * Transition in N at fixed P, the rule: N* lies between the largest N with a jammed run and
 * the smallest N with every seed fitted (above it); the estimate is the 50% crossing in log N.
 */
export interface NTransition {
  readonly P: number;
  readonly Nstar: number;
  readonly Nlow: number;
  readonly Nhigh: number;
  readonly points: GridPoint[];
}

export function transitionInN(records: readonly RunRecord[]): NTransition {
  const points = gridPoints(records, (r) => r.results.N);
  const P = records[0]?.results.P ?? NaN;
  const jammedNs = points.filter((p) => p.jammed > 0).map((p) => p.x);
  const Nlow = jammedNs.length ? Math.max(...jammedNs) : NaN;
  const fittedAbove = points.filter((p) => p.fitted === p.runs && !(p.x <= Nlow)).map((p) => p.x);
  const Nhigh = fittedAbove.length ? Math.min(...fittedAbove) : NaN;
  return { P, Nstar: crossing(points, 0.5, false), Nlow, Nhigh, points };
}

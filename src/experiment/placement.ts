import type { RunRecord } from '../run/record.ts';
import { fitTransition, type TransitionFit } from '../stats/logistic.ts';
import { familyN, type FixedNFamily } from './scales.ts';
import { crossing, gridPoints, type GridPoint } from './transition.ts';

/**
 * Where a fixed-N family's refinement runs go (SCIENCE.md, "The claims": runs near P*): after the coarse pass (the family's
 * ratios x seeds), P values placed from the coarse pass's transition, so that the runs near P* are
 * many. A function of the coarse records only (bit-identical whatever the workers), so a re-run
 * places the same P values bit for bit.
 * - basis `fit`: P* = x50 of the logistic fit of the coarse jammed fraction in log P
 *   (stats/logistic.ts), its 10%-90% window cut to the coarse grid; used where the fit converged,
 *   rises with P and puts P* inside the grid.
 * - basis `coarse crossing`: otherwise P* = the coarse 50% crossing (transition.ts, interpolated in
 *   log P), its window the two grid points around it.
 * - basis `none`: the coarse fraction never crosses 1/2 inside the grid; nothing is placed.
 */
export type PlacementBasis = 'fit' | 'coarse crossing' | 'none';

export interface Placement {
  readonly L: number;
  readonly width: number;
  readonly N: number;
  /** the coarse grid: P, decided runs, jammed among them (the authors' rule), set apart (budget, dead-pattern) */
  readonly coarse: readonly { readonly P: number; readonly runs: number; readonly jammed: number; readonly apart: number }[];
  /** the logistic fit of the coarse jammed fraction in log P; null where fewer than two P have decided runs */
  readonly fit: TransitionFit | null;
  /** the coarse 50% crossing in P; null where the fraction does not cross 1/2 inside the grid */
  readonly crossing: number | null;
  readonly basis: PlacementBasis;
  /** the P* the refinement is placed around, and the window across which `acrossWindow` spreads (null with basis none) */
  readonly Pstar: number | null;
  readonly window: readonly [number, number] | null;
  /** the refined P values, ascending, each run with every seed */
  readonly Ps: readonly number[];
  readonly seeds: readonly number[];
  readonly maxEvaluations: number;
  /** why these P values, in words */
  readonly why: string;
}

type Refine = NonNullable<FixedNFamily['refine']>;

const r0 = (x: number) => String(Math.round(x));

/** The refined P values around `Pstar`: round(r P*) for each ratio, and `acrossWindow` evenly in log P over the window. */
export function refinedPs(refine: Refine, Pstar: number, window: readonly [number, number]): number[] {
  const k = refine.acrossWindow ?? 0;
  const [lo, hi] = window;
  const across = Array.from({ length: k }, (_, i) => (k === 1 ? Math.sqrt(lo * hi) : Math.exp(Math.log(lo) + (i / (k - 1)) * (Math.log(hi) - Math.log(lo)))));
  const Ps = [...refine.ratiosOfPstar.map((r) => r * Pstar), ...across].map(Math.round).filter((P) => P >= 1);
  return [...new Set(Ps)].sort((a, b) => a - b);
}

/** The jammed fraction per coarse P, as the fit takes it (n decided runs, k jammed). */
export function coarsePoints(records: readonly RunRecord[]): GridPoint[] {
  return gridPoints(records, (r) => r.results.P);
}

/**
 * The refinement of one family from its coarse records (the runs of the coarse pass only).
 * `scaleBudget` is the budget where the family's refine has none.
 */
export function placeRefinement(family: FixedNFamily & { refine: Refine }, coarse: readonly RunRecord[], scaleBudget: number): Placement {
  const refine = family.refine;
  const N = familyN(family);
  const points = coarsePoints(coarse);
  const fit = points.length >= 2 ? fitTransition(points.map((p) => ({ x: p.x, n: p.runs, k: p.jammed }))) : null;
  const half = crossing(points, 0.5);
  const base = {
    L: family.L,
    width: family.width,
    N,
    coarse: points.map((p) => ({ P: p.x, runs: p.runs, jammed: p.jammed, apart: p.apart })),
    fit,
    crossing: Number.isFinite(half) ? half : null,
    seeds: [...refine.seeds],
    maxEvaluations: refine.maxEvaluations ?? scaleBudget,
  };
  const [Pmin, Pmax] = points.length ? [points[0].x, points[points.length - 1].x] : [NaN, NaN];
  const grid = `the coarse grid ${Pmin}..${Pmax}`;
  // the fit, where it converged, rises with P and puts P* inside the grid
  let fitFault = '';
  if (!fit) fitFault = points.length ? 'one coarse P with decided runs: no fit' : 'no decided coarse run: no fit';
  else if (!fit.converged) fitFault = 'the logistic fit did not converge';
  else if (!(fit.slope > 0)) fitFault = 'the fitted fraction does not rise with P';
  else if (!(fit.x50 >= Pmin && fit.x50 <= Pmax)) fitFault = `the fit's P* = ${r0(fit.x50)} lies outside ${grid}`;
  if (fit && !fitFault) {
    const lo = Math.max(Pmin, Math.min(fit.x10, fit.x90));
    const hi = Math.min(Pmax, Math.max(fit.x10, fit.x90));
    const cut = lo > Math.min(fit.x10, fit.x90) || hi < Math.max(fit.x10, fit.x90);
    const window = [lo, hi] as const;
    return {
      ...base,
      basis: 'fit',
      Pstar: fit.x50,
      window,
      Ps: refinedPs(refine, fit.x50, window),
      why: `P* = ${r0(fit.x50)} from the logistic fit of the coarse pass; 10%-90% window ${r0(Math.min(fit.x10, fit.x90))}..${r0(Math.max(fit.x10, fit.x90))}${cut ? `, cut to ${grid}` : ''}`,
    };
  }
  if (Number.isFinite(half)) {
    const i = points.findIndex((p) => p.x >= half);
    const window = [points[Math.max(0, i - 1)].x, points[i].x] as const;
    return {
      ...base,
      basis: 'coarse crossing',
      Pstar: half,
      window,
      Ps: refinedPs(refine, half, window),
      why: `${fitFault}, so P* = ${r0(half)} is the coarse 50% crossing (in log P between P = ${window[0]} and ${window[1]}, its window)`,
    };
  }
  const where = !points.length ? '' : points[0].jammed / points[0].runs >= 0.5 ? `: half or more jammed already at P = ${Pmin}` : `: under half jammed up to P = ${Pmax}`;
  return {
    ...base,
    basis: 'none',
    Pstar: null,
    window: null,
    Ps: [],
    why: `${fitFault}, and the coarse fraction does not cross 1/2 inside ${points.length ? grid : 'the grid'}${where}: no refinement placed`,
  };
}

/**
 * Before the coarse pass (the plan's cost estimate): P* taken at the family's middle ratio (the
 * median of its coarse P/N), where its grid was centred on the expected transition.
 */
export function expectedPstar(family: FixedNFamily): number {
  const r = [...family.ratios].sort((a, b) => a - b);
  const m = r.length % 2 ? r[(r.length - 1) / 2] : (r[r.length / 2 - 1] + r[r.length / 2]) / 2;
  return m * familyN(family);
}

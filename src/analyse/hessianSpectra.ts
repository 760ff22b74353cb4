import { hessianSplit, type HessianSplit } from '../loss/hessian.ts';
import { symmetricEigenvaluesOf, eigenTolerance, spectralScale, countNegative, countPositive } from './spectrum.ts';
import type { Evaluation, Objective } from '../loss/objective.ts';

/**
 * Spectra of H, H0 and Hp with the counts the claims use (claims 2 to 4). One tolerance for all
 * three, from the spectral scale of H (SCIENCE.md "Thresholds": never relative to max |Hp| alone,
 * whose rounding noise would otherwise count as negative eigenvalues when Hp = 0).
 */
export interface HessianSpectra {
  readonly n: number;
  readonly eigH: Float64Array;
  readonly eigH0: Float64Array;
  readonly eigHp: Float64Array;
  /** max |lambda(H)|, the scale of every threshold */
  readonly scale: number;
  readonly tolerance: number;
  /** N_-(Hp), N_-(H), rank(H0) = #{lambda(H0) > tol} */
  readonly nNegHp: number;
  readonly nNegH: number;
  readonly rankH0: number;
  readonly minEigH: number;
  readonly timing: { readonly hessianSeconds: number; readonly spectraSeconds: number };
  /** loss, Delta and gradient at theta (computed once, with the Hessian) */
  readonly evaluation: Evaluation;
}

/** `split` and `eigH` may be passed when the caller has them already (analyse/endPoint.ts): each is built once. */
export function hessianSpectra(obj: Objective, theta: Float64Array, split?: HessianSplit, eigHKnown?: Float64Array): HessianSpectra {
  const t0 = performance.now();
  const s = split ?? hessianSplit(obj, theta);
  const t1 = performance.now();
  // the reductions run two at a time on a team of two threads (each as it would alone)
  const [eigH0, eigHp, computedH] = symmetricEigenvaluesOf(eigHKnown ? [s.H0, s.Hp] : [s.H0, s.Hp, s.H], s.n);
  const eigH = eigHKnown ?? computedH;
  const t2 = performance.now();
  const scale = spectralScale(eigH);
  const tolerance = eigenTolerance(scale, s.n);
  return {
    n: s.n,
    eigH,
    eigH0,
    eigHp,
    scale,
    tolerance,
    nNegHp: countNegative(eigHp, tolerance),
    nNegH: countNegative(eigH, tolerance),
    rankH0: countPositive(eigH0, tolerance),
    minEigH: s.n > 0 ? eigH[0] : 0,
    timing: { hessianSeconds: (t1 - t0) / 1000, spectraSeconds: (t2 - t1) / 1000 },
    evaluation: s.evaluation,
  };
}

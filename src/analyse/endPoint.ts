import type { Evaluation, Objective } from '../loss/objective.ts';
import { hessianSplit, type HessianSplit } from '../loss/hessian.ts';
import { diagnostics, deadPatternIndices, type Diagnostics } from './diagnostics.ts';
import { hessianSpectra, type HessianSpectra } from './hessianSpectra.ts';
import { symmetricEigenvalues } from './spectrum.ts';

/**
 * A run's end point and what is measured there, each thing computed at most once and only when
 * asked: the diagnostics (classes of the unsatisfied patterns, kinks, dead units), the exact Hessian
 * H = H0 + Hp, the eigenvalues of H (the smooth certificate and the spectra share them), and the
 * spectra of H, H0 and Hp. The run record, its certificate and `jamming hessian` all read one EndPoint.
 */
export interface EndPoint {
  readonly obj: Objective;
  readonly theta: Float64Array;
  readonly evaluation: Evaluation;
  diagnostics(): Diagnostics;
  deadPatternIndices(): number[];
  hessian(): HessianSplit;
  eigH(): Float64Array;
  spectra(): HessianSpectra;
  /** seconds spent building the Hessian and decomposing it, so far */
  readonly timing: { hessianSeconds: number; spectraSeconds: number };
}

export function endPoint(obj: Objective, theta: Float64Array, evaluation: Evaluation): EndPoint {
  let dg: Diagnostics | undefined;
  let dead: number[] | undefined;
  let split: HessianSplit | undefined;
  let eig: Float64Array | undefined;
  let sp: HessianSpectra | undefined;
  const timing = { hessianSeconds: 0, spectraSeconds: 0 };
  const timed = <T>(field: keyof typeof timing, f: () => T): T => {
    const t0 = performance.now();
    const v = f();
    timing[field] += (performance.now() - t0) / 1000;
    return v;
  };
  const point: EndPoint = {
    obj,
    theta,
    evaluation,
    timing,
    diagnostics: () => (dg ??= diagnostics(obj, evaluation)),
    deadPatternIndices: () => (dead ??= deadPatternIndices(obj, evaluation)),
    hessian: () => (split ??= timed('hessianSeconds', () => hessianSplit(obj, theta, evaluation))),
    eigH: () => (eig ??= sp?.eigH ?? timed('spectraSeconds', () => symmetricEigenvalues(point.hessian().H, point.hessian().n))),
    spectra: () => (sp ??= ((s) => timed('spectraSeconds', () => hessianSpectra(obj, theta, s, eig)))(point.hessian())),
  };
  return point;
}

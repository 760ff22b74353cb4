import { evaluate, type Evaluation, type Objective } from '../loss/objective.ts';
import { layout } from '../model/architecture.ts';
import { hessianSplit } from '../loss/hessian.ts';
import type { Landscape } from './landscape.ts';

/**
 * The training loss of a network as a Landscape; each evaluation is the float64 reference one.
 * The exact Hessian costs Ntot Hessian-vector products, each about two gradient evaluations.
 */
export function objectiveLandscape(obj: Objective): Landscape & { evaluate(theta: Float64Array): Evaluation } {
  const n = layout(obj.arch).Ntot;
  return {
    n,
    evaluate: (theta) => evaluate(obj, theta),
    hessian: (theta) => hessianSplit(obj, theta).H,
    hessianCost: 2 * n,
  };
}

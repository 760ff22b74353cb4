import { evaluate, type Evaluation, type Objective } from '../loss/objective.ts';
import { layout } from '../model/architecture.ts';
import { jacobianRow } from '../model/backward.ts';
import { hessianSplit } from '../loss/hessian.ts';
import type { Landscape } from './landscape.ts';

/**
 * The training loss of a network as a Landscape; each evaluation is the float64 reference one.
 * The exact Hessian costs Ntot Hessian-vector products, each about two gradient evaluations.
 * gradientScale: sqrt(2 loss tr H0), with tr H0 = (1/P) sum_{Delta > 0} ell''(Delta) |grad f_mu|^2,
 * bounds |grad| at this loss (Cauchy-Schwarz); the non-smooth certificate measures against it.
 */
export function objectiveLandscape(obj: Objective): Landscape & { evaluate(theta: Float64Array): Evaluation; gradientScale(theta: Float64Array): number } {
  const n = layout(obj.arch).Ntot;
  return {
    n,
    evaluate: (theta) => evaluate(obj, theta),
    hessian: (theta) => hessianSplit(obj, theta).H,
    hessianCost: 2 * n,
    gradientScale(theta) {
      const ev = evaluate(obj, theta);
      const row = new Float64Array(n);
      let tr = 0;
      for (let r = 0; r < ev.active.length; r++) {
        jacobianRow(obj.arch, ev.trace, ev.sens, r, row);
        let s = 0;
        for (let i = 0; i < n; i++) s += row[i] * row[i];
        tr += obj.loss.d2Ell(ev.delta[ev.active[r]]) * s;
      }
      return Math.sqrt(2 * ev.value * (tr / obj.data.P));
    },
  };
}

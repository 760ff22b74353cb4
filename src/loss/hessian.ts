import { netOf } from '../model/forward.ts';
import { kernels } from '../kernels/select.ts';
import { chainWeights, evaluate, type Evaluation, type Objective } from './objective.ts';

/**
 * The exact dense Hessian over all Ntot parameters, split as in SCIENCE.md (claim 2):
 *   H0 = (1/P) sum_mu ell''(Delta_mu) grad Delta_mu grad Delta_mu^T   (positive semi-definite)
 *   Hp = (1/P) sum_mu ell'(Delta_mu) Hess Delta_mu
 *   H  = H0 + Hp.
 * Matrices are Ntot x Ntot, row-major, exactly symmetric (Hp is symmetrised: its two triangles
 * come from different products and agree only to rounding).
 */
export interface HessianSplit {
  readonly n: number;
  readonly H0: Float64Array;
  readonly Hp: Float64Array;
  readonly H: Float64Array;
  readonly evaluation: Evaluation;
}

export function hessianSplit(obj: Objective, theta: Float64Array, evaluation = evaluate(obj, theta)): HessianSplit {
  const net = netOf(obj.arch);
  const n = net.Ntot;
  const { trace, delta, active, sens } = evaluation;
  const P = obj.data.P;
  const k = kernels();

  // H0 = (1/P) sum ell'' J_k J_k^T (y^2 = 1): a symmetric rank-k update, upper triangle then mirrored.
  const H0 = new Float64Array(n * n);
  const w = new Float64Array(active.length);
  for (let r = 0; r < active.length; r++) w[r] = obj.loss.d2Ell(delta[active[r]]) / P;
  k.h0Upper(net, trace, sens, w, H0);
  mirrorUpper(H0, n);

  // Hp column by column: Hp e_j by forward-over-reverse products.
  const Hp = new Float64Array(n * n);
  if (obj.arch.L > 0 && active.length > 0) {
    k.hessianColumns(net, theta, trace, sens, chainWeights(obj, delta, active), Hp);
    symmetrise(Hp, n);
  }
  // L = 0: f is linear in theta, Hess f = 0, so Hp = 0 exactly (SCIENCE.md control).

  const H = new Float64Array(n * n);
  for (let q = 0; q < H.length; q++) H[q] = H0[q] + Hp[q];
  return { n, H0, Hp, H, evaluation };
}

function mirrorUpper(m: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) m[j * n + i] = m[i * n + j];
}

function symmetrise(m: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = 0.5 * (m[i * n + j] + m[j * n + i]);
      m[i * n + j] = s;
      m[j * n + i] = s;
    }
  }
}

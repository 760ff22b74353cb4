import type { Architecture } from './architecture.ts';
import { netOf } from './forward.ts';
import { kernels } from '../kernels/select.ts';
import { jacobianRow as jacobianRowOf } from '../kernels/jacobian.ts';
import type { Sensitivities, Trace } from '../kernels/types.ts';

export type { Sensitivities } from '../kernels/types.ts';

/**
 * Output sensitivities of the selected patterns (Sensitivities, src/kernels/types.ts), on this
 * thread's kernels; both implementations give the same bits.
 */
export function sensitivities(arch: Architecture, theta: Float64Array, trace: Trace, patterns: Int32Array): Sensitivities {
  return kernels().sensitivities(netOf(arch), theta, trace, patterns);
}

/**
 * sum_k c_k grad_theta f(x_{patterns[k]}): the vector-Jacobian product that gives the gradient of
 * any loss sum_mu ell(Delta_mu) once c holds the chain-rule weights.
 */
export function weightedGradient(arch: Architecture, trace: Trace, s: Sensitivities, c: Float64Array): Float64Array {
  return kernels().weightedGradient(netOf(arch), trace, s, c);
}

/** Row k of the Jacobian: grad_theta f(x_{patterns[k]}), written into row (length Ntot). */
export function jacobianRow(arch: Architecture, trace: Trace, s: Sensitivities, k: number, row: Float64Array): void {
  jacobianRowOf(netOf(arch), trace, s, k, row);
}

import type { Architecture } from './architecture.ts';
import { layout } from './architecture.ts';
import { activationOf } from './activation.ts';
import { kernels } from '../kernels/select.ts';
import type { Net, Trace } from '../kernels/types.ts';

export type { Trace } from '../kernels/types.ts';

/** The network as the kernels see it: the parameter layout and the activation, as plain numbers and functions. */
export function netOf(arch: Architecture): Net {
  const lay = layout(arch);
  return { L: arch.L, d: arch.d, h: arch.h, layers: lay.layers, Ntot: lay.Ntot, relu: arch.activation === 'relu', act: activationOf(arch) };
}

/** Throws a RangeError unless theta has Ntot parameters and x holds P patterns of d inputs. */
export function checkInputs(arch: Architecture, theta: Float64Array, x: Float64Array, P: number): void {
  const lay = layout(arch);
  if (theta.length !== lay.Ntot) throw new RangeError(`theta: got ${theta.length} parameters; expected Ntot = ${lay.Ntot}`);
  if (x.length !== P * arch.d) throw new RangeError(`x: got ${x.length} numbers; expected P * d = ${P * arch.d}`);
}

/**
 * The forward pass of the set-up (SCIENCE.md, "Set-up"): a_l = sigma(W_l a_{l-1} + b_l), f = W_{L+1} a_L + b_{L+1},
 * on this thread's kernels (src/kernels/select.ts); both implementations give the same bits.
 */
export function forwardTrace(arch: Architecture, theta: Float64Array, x: Float64Array, P: number): Trace {
  checkInputs(arch, theta, x, P);
  return kernels().forwardTrace(netOf(arch), theta, x, P);
}

/** f(x_mu) for every pattern. */
export function forward(arch: Architecture, theta: Float64Array, x: Float64Array, P: number): Float64Array {
  return forwardTrace(arch, theta, x, P).f;
}

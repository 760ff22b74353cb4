import type { ChainTerms, Fused, Kernels, Net } from '../types.ts';
import { forwardTrace } from './forward.ts';
import { sensitivities, weightedGradient } from './backward.ts';
import { h0Upper, hessianColumns } from './hessian.ts';
import { householderTridiagonal as reduceOne } from './tridiagonal.ts';

/** A loss-and-gradient evaluation composed of the three passes, in order; the trace and sensitivities come back with it. */
function lossAndGradient<T extends ChainTerms>(net: Net, theta: Float64Array, x: Float64Array, P: number, terms: (f: Float64Array) => T): Fused<T> {
  const trace = forwardTrace(net, theta, x, P);
  const t = terms(trace.f);
  const sens = sensitivities(net, theta, trace, t.active);
  const gradient = weightedGradient(net, trace, sens, t.c);
  return { terms: t, gradient, trace, sens };
}

/** The plain-TS loops: the definition of every sum's order, which the WASM kernels reproduce bit for bit. */
export const referenceKernels: Kernels = {
  name: 'reference',
  forwardTrace,
  sensitivities,
  weightedGradient,
  lossAndGradient,
  h0Upper,
  hessianColumns,
  householderTridiagonal: (ms, n, ds, es) => ms.forEach((m, q) => reduceOne(m, n, ds[q], es[q])),
};

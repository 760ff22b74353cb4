import type { ChainTerms, Fused, Net } from '../types.ts';
import type { Arena } from '../arena.ts';
import type { Team } from '../team.ts';
import { forwardResident } from './forward.ts';
import { sparseInput } from '../skipZeros.ts';
import { sensitivitiesResident, weightedGradientResident } from './backward.ts';

/**
 * One evaluation on the kernels with every intermediate kept in the arena: the forward pass,
 * back-propagation and the gradient never leave linear memory, and only f (handed to terms) and the
 * gradient come out; the trace and sensitivities are not returned (the caller recomputes them on
 * demand, bit-identically). The same operations in the same order as the reference composition.
 */
export function lossAndGradientWasm<T extends ChainTerms>(arena: Arena, team: Team, net: Net, theta: Float64Array, x: Float64Array, P: number, terms: (f: Float64Array) => T): Fused<T> {
  const mark = arena.mark();
  try {
    const thetaPtr = arena.put(theta);
    const trace = forwardResident(arena, team, net, thetaPtr, arena.put(x), P, sparseInput(x), false);
    const t = terms(arena.read(trace.Z[net.L], P));
    const idx = arena.putInt32(t.active);
    const sens = sensitivitiesResident(arena, team, net, thetaPtr, trace, P, idx, t.active, false);
    const gradient = new Float64Array(net.Ntot);
    weightedGradientResident(arena, team, net, trace.A, sens.G, idx, arena.put(t.c), t.active.length, P, gradient);
    return { terms: t, gradient };
  } finally {
    arena.release(mark);
  }
}

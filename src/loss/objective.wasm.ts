import { layout } from '../model/architecture.ts';
import { forwardResident } from '../model/forward.wasm.ts';
import { sensitivitiesResident, weightedGradientResident } from '../model/backward.wasm.ts';
import type { Arena } from '../kernels/arena.ts';
import type { Team } from '../kernels/team.ts';
import type { Objective } from './objective.ts';
import { constraintTerms, type ConstraintTerms } from './constraints.ts';

/**
 * One evaluation on the kernels with every intermediate kept in the arena: the forward pass,
 * back-propagation and the gradient never leave linear memory, and only f, Delta and the gradient
 * come out (the trace and sensitivities are recomputed on demand, bit-identically, by the caller).
 * The same operations in the same order as the reference composition in objective.ts.
 */
export function evaluateWasm(arena: Arena, team: Team, obj: Objective, theta: Float64Array): ConstraintTerms & { gradient: Float64Array } {
  const { arch, data } = obj;
  const mark = arena.mark();
  try {
    const thetaPtr = arena.put(theta);
    const trace = forwardResident(arena, team, arch, thetaPtr, arena.put(data.x), data.P);
    const terms = constraintTerms(obj, arena.read(trace.Z[arch.L], data.P));
    const idx = arena.putInt32(terms.active);
    const sens = sensitivitiesResident(arena, team, arch, thetaPtr, trace.Z, data.P, idx, terms.active);
    const gradient = new Float64Array(layout(arch).Ntot);
    weightedGradientResident(arena, team, arch, trace.A, sens.G, idx, arena.put(terms.c), terms.active.length, data.P, gradient);
    return { ...terms, gradient };
  } finally {
    arena.release(mark);
  }
}

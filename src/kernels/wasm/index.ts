import type { Kernels } from '../types.ts';
import type { Arena } from '../arena.ts';
import type { Team } from '../team.ts';
import { forwardTraceWasm } from './forward.ts';
import { sensitivitiesWasm, weightedGradientWasm } from './backward.ts';
import { lossAndGradientWasm } from './objective.ts';
import { h0UpperWasm } from './hessian.ts';
import { hessianColumnsWasm } from './hvp.ts';
import { householderWasm } from './tridiagonal.ts';

/**
 * The WASM SIMD kernels on this thread's arena. team() gives the threads of each operation; it is
 * asked per operation, so a caller can change the thread count between operations (backend.ts).
 */
export function wasmKernels(arena: Arena, team: () => Team): Kernels {
  return {
    name: 'wasm',
    forwardTrace: (net, theta, x, P) => forwardTraceWasm(arena, team(), net, theta, x, P),
    sensitivities: (net, theta, trace, patterns) => sensitivitiesWasm(arena, team(), net, theta, trace, patterns),
    weightedGradient: (net, trace, s, c) => weightedGradientWasm(arena, team(), net, trace, s, c),
    lossAndGradient: (net, theta, x, P, terms) => lossAndGradientWasm(arena, team(), net, theta, x, P, terms),
    h0Upper: (net, trace, s, w, H0) => h0UpperWasm(arena, team(), net, trace, s, w, H0),
    hessianColumns: (net, theta, trace, s, c, M) => hessianColumnsWasm(arena, team(), net, theta, trace, s, c, M),
    householderTridiagonal: (ms, n, ds, es) => householderWasm(arena, team(), ms, n, ds, es),
  };
}

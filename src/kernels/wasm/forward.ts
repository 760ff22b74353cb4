import type { Net, Trace } from '../types.ts';
import type { Arena } from '../arena.ts';
import { taskRanges, type KernelCall, type Team } from '../team.ts';
import { skipZeros, sparseInput } from '../skipZeros.ts';

/** A forward pass kept in the arena (byte addresses, valid until the caller releases its mark). */
export interface ResidentTrace {
  /** Z[l - 1] = z_l, P x outDim(l), for l = 1..L+1; Z[L] is f. 0 for a hidden layer's z a pass did not keep. */
  readonly Z: number[];
  /** A[0] = x, A[l] = a_l = sigma(z_l) for l = 1..L */
  readonly A: number[];
}

/**
 * The forward pass on the kernels, blocks of rows shared by the team: the same sums in the same
 * order as the reference forwardTrace. In wide layers whose inputs are many zeros (after a ReLU,
 * or data that xSparse says is), inputs that are exactly 0 are skipped, which is exact for finite
 * weights (src/kernels/assembly/skipZeros.ts); other layers and weights take the loop over every
 * term. keepZ = false leaves out the hidden layers' z of a ReLU network (Z[l - 1] = 0): one
 * evaluation needs only f and the activations, and at P = 4000 and more the memory traffic of
 * writing z costs time.
 */
export function forwardResident(arena: Arena, team: Team, net: Net, thetaPtr: number, xPtr: number, P: number, xSparse: boolean, keepZ = true): ResidentTrace {
  const { sigma } = net.act;
  const relu = net.relu;
  const finite = arena.k.allFinite(thetaPtr, net.Ntot) !== 0;
  const WT = net.layers.map((s) => arena.alloc(s.inDim * s.outDim));
  // a ReLU layer's z need not be kept: its activation is computed in place, and back-propagation
  // reads a_l > 0, which is z_l > 0 (src/kernels/assembly/elementwise.ts reluForward)
  const dropZ = relu && !keepZ;
  const Z = net.layers.map((s, q) => (dropZ && q < net.L ? 0 : arena.alloc(P * s.outDim)));
  const A = [xPtr, ...net.layers.slice(0, net.L).map((s) => arena.alloc(P * s.outDim))];
  const width = Math.max(net.d, net.h);
  const rows = taskRanges(P, team);
  const scratch = rows.map(() => [arena.alloc(width, 4), arena.alloc(width)] as const);
  net.layers.forEach((s, q) => arena.k.transpose(WT[q], thetaPtr + 8 * s.w, s.outDim, s.inDim));
  const layer = (l: number, [r0, r1]: readonly [number, number], t: number): KernelCall[] => {
    const { inDim, outDim, b } = net.layers[l - 1];
    const bias = b >= 0 ? thetaPtr + 8 * b : 0;
    const z = (Z[l - 1] || A[l]) + 8 * r0 * outDim;
    const a = A[l - 1] + 8 * r0 * inDim;
    const calls: KernelCall[] = [
      finite && skipZeros(inDim, outDim, l === 1 ? xSparse : relu)
        ? ['denseForwardSkip', z, a, 0, r1 - r0, WT[l - 1], inDim, outDim, bias, scratch[t][0], scratch[t][1]]
        : ['denseForward', z, a, 0, r1 - r0, WT[l - 1], inDim, outDim, bias, bias ? 1 : 0],
    ];
    if (l <= net.L && relu) calls.push(['reluForward', A[l] + 8 * r0 * outDim, z, (r1 - r0) * outDim]);
    return calls;
  };
  const layers = Array.from({ length: net.L + 1 }, (_, q) => q + 1);
  if (relu) {
    // rows are independent: each block of rows goes through every layer in one task, while its
    // activations are still in cache
    team.share(rows.map((range, t) => layers.flatMap((l) => layer(l, range, t))));
    return { Z, A };
  }
  for (const l of layers) {
    team.share(rows.map((range, t) => layer(l, range, t)));
    if (l <= net.L) {
      const n = P * net.layers[l - 1].outDim;
      const zl = arena.f64(Z[l - 1], n);
      const al = arena.f64(A[l], n);
      for (let q = 0; q < n; q++) al[q] = sigma(zl[q]);
    }
  }
  return { Z, A };
}

/** forwardTrace on the kernels: a resident pass, copied out. */
export function forwardTraceWasm(arena: Arena, team: Team, net: Net, theta: Float64Array, x: Float64Array, P: number): Trace {
  const mark = arena.mark();
  try {
    const r = forwardResident(arena, team, net, arena.put(theta), arena.put(x), P, sparseInput(x));
    const z: Float64Array[] = [new Float64Array(0)];
    const a: Float64Array[] = [x];
    for (let l = 1; l <= net.L; l++) {
      const n = P * net.layers[l - 1].outDim;
      z.push(arena.read(r.Z[l - 1], n));
      a.push(arena.read(r.A[l], n));
    }
    return { P, z, a, f: arena.read(r.Z[net.L], P) };
  } finally {
    arena.release(mark);
  }
}

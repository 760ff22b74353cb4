import type { Net, Sensitivities, Trace } from '../types.ts';
import type { Arena } from '../arena.ts';
import type { KernelCall, Team } from '../team.ts';
import { gradientChunkRows, skipZeros, skipZerosInGradient } from '../skipZeros.ts';

/** Sensitivities kept in the arena: G[l] (k x outDim(l), l = 1..L+1) and E[l] (l = 1..L), byte addresses. */
export interface ResidentSensitivities {
  readonly G: number[];
  readonly E: number[];
}

/**
 * Back-propagation of the k selected patterns (idx, int32) on the kernels, rows split over the
 * team: the same sums in the same order as the reference sensitivities, which also skips g = 0.
 * Z[l - 1] holds z_l for all P patterns (ResidentTrace.Z).
 */
export function sensitivitiesResident(arena: Arena, team: Team, net: Net, thetaPtr: number, Z: readonly number[], P: number, idx: number, patterns: Int32Array): ResidentSensitivities {
  const { dSigma } = net.act;
  const relu = net.relu;
  const k = patterns.length;
  const G: number[] = new Array(net.L + 2).fill(0);
  const E: number[] = new Array(net.L + 1).fill(0);
  G[net.L + 1] = arena.alloc(k);
  arena.f64(G[net.L + 1], k).fill(1);
  const scratch = Array.from({ length: team.size }, () => [arena.alloc(net.h, 4), arena.alloc(net.h)] as const);
  // the dense loop adds the terms w * 0 the reference skips: exact for finite weights (a sum from +0 is never -0)
  const finite = arena.k.allFinite(thetaPtr, net.Ntot) !== 0;
  for (let l = net.L + 1; l >= 2; l--) {
    const { inDim, outDim, w } = net.layers[l - 1];
    E[l - 1] = arena.alloc(k * inDim);
    G[l - 1] = arena.alloc(k * inDim);
    const dense = finite && !skipZeros(inDim, outDim);
    team.run(
      team.split(k).map(([r0, r1], t): KernelCall[] => {
        const e = E[l - 1] + 8 * r0 * inDim;
        const g = G[l] + 8 * r0 * outDim;
        const calls: KernelCall[] = [
          dense ? ['denseBackward', e, thetaPtr + 8 * w, g, 0, 0, r1 - r0, outDim, inDim] : ['denseBackwardSkip', e, thetaPtr + 8 * w, g, r1 - r0, outDim, inDim, scratch[t][0], scratch[t][1]],
        ];
        if (relu) calls.push(['reluBackward', G[l - 1] + 8 * r0 * inDim, Z[l - 2], idx + 4 * r0, e, r1 - r0, inDim]);
        return calls;
      }),
    );
    if (!relu) {
      const ev = arena.f64(E[l - 1], k * inDim);
      const gv = arena.f64(G[l - 1], k * inDim);
      const zl = arena.f64(Z[l - 2], P * inDim);
      for (let r = 0; r < k; r++) {
        const zr = patterns[r] * inDim;
        for (let i = 0; i < inDim; i++) gv[r * inDim + i] = dSigma(zl[zr + i]) * ev[r * inDim + i];
      }
    }
  }
  return { G, E };
}

/** Kernels.sensitivities: a resident pass from the trace, copied out. */
export function sensitivitiesWasm(arena: Arena, team: Team, net: Net, theta: Float64Array, trace: Trace, patterns: Int32Array): Sensitivities {
  const k = patterns.length;
  const mark = arena.mark();
  try {
    const thetaPtr = arena.put(theta);
    const idx = arena.putInt32(patterns);
    const Z = trace.z.slice(1).map((z) => arena.put(z));
    const r = sensitivitiesResident(arena, team, net, thetaPtr, Z, trace.P, idx, patterns);
    const G: Float64Array[] = [new Float64Array(0)];
    const E: Float64Array[] = [new Float64Array(0)];
    for (let l = 1; l <= net.L + 1; l++) G.push(arena.read(r.G[l], k * net.layers[l - 1].outDim));
    for (let l = 1; l <= net.L; l++) E.push(arena.read(r.E[l], k * net.layers[l - 1].outDim));
    return { patterns, G, E };
  } finally {
    arena.release(mark);
  }
}

/**
 * sum_k c_k grad_theta f(x_{patterns[k]}) into out (length Ntot) on the kernels: every entry sums
 * its terms in ascending pattern order, skipping c_k = 0 and c_k G = 0, as the reference
 * weightedGradient. A layer with enough inputs takes the skipping kernel, its output units split
 * over the team; a layer with few inputs goes whole to the thread with the least work, on the
 * dense kernels, whose extra terms 0 * a are exact when A and G are finite (else it takes the
 * skipping kernel too). A[l] = a_l for all P patterns.
 */
export function weightedGradientResident(arena: Arena, team: Team, net: Net, A: readonly number[], G: readonly number[], idx: number, cPtr: number, k: number, P: number, out: Float64Array): void {
  const kern = arena.k;
  const dW = net.layers.map((s) => arena.alloc(s.outDim * s.inDim));
  const db = net.layers.map((s) => (s.b >= 0 ? arena.alloc(s.outDim) : 0));
  const chunk = gradientChunkRows();
  const outs = Math.max(1, net.h);
  const ins = Math.max(net.d, net.h);
  const scratch = Array.from({ length: team.size }, () => [arena.alloc(outs, 4), arena.alloc(outs * chunk, 4), arena.alloc(outs * chunk), arena.alloc(ins), chunk] as const);
  const parts: KernelCall[][] = Array.from({ length: team.size }, () => []);
  const work = new Array(team.size).fill(0);
  net.layers.forEach(({ inDim, outDim }, q) => {
    const dense = !skipZerosInGradient(inDim) && kern.allFinite(A[q], P * inDim) !== 0 && kern.allFinite(G[q + 1], k * outDim) !== 0;
    if (dense) {
      const t = work.indexOf(Math.min(...work));
      const cG = arena.alloc(k * outDim);
      parts[t].push(['scaleRows', cG, cPtr, G[q + 1], k, outDim], ['zero', dW[q], outDim * inDim], ['outerAccumulate', dW[q], cG, A[q], idx, 0, 0, 0, k, outDim, inDim, 0]);
      if (db[q]) parts[t].push(['zero', db[q], outDim], ['columnSums', db[q], cG, k, outDim]);
      work[t] += k * outDim * inDim;
    } else {
      team.split(outDim).forEach(([o0, o1], t) => {
        if (o1 > o0) parts[t].push(['weightGradientSkip', dW[q], db[q], cPtr, G[q + 1], A[q], idx, k, outDim, inDim, o0, o1, ...scratch[t]]);
        work[t] += k * (o1 - o0) * inDim;
      });
    }
  });
  team.run(parts);
  net.layers.forEach(({ inDim, outDim, w, b }, q) => {
    out.set(arena.f64(dW[q], outDim * inDim), w);
    if (b >= 0) out.set(arena.f64(db[q], outDim), b);
  });
}

/** Kernels.weightedGradient: from a trace and sensitivities copied in. */
export function weightedGradientWasm(arena: Arena, team: Team, net: Net, trace: Trace, s: Sensitivities, c: Float64Array): Float64Array {
  const out = new Float64Array(net.Ntot);
  const mark = arena.mark();
  try {
    const idx = arena.putInt32(s.patterns);
    const cPtr = arena.put(c);
    const A = trace.a.map((a) => arena.put(a));
    const G = s.G.map((g, l) => (l === 0 ? 0 : arena.put(g)));
    weightedGradientResident(arena, team, net, A, G, idx, cPtr, s.patterns.length, trace.P, out);
    return out;
  } finally {
    arena.release(mark);
  }
}

import type { Net, Sensitivities, Trace } from '../types.ts';
import type { Arena } from '../arena.ts';
import type { ResidentTrace } from './forward.ts';
import { splitRange, taskRanges, type KernelCall, type Team } from '../team.ts';
import { gradientChunkRows, skipZeros, skipZerosInGradient } from '../skipZeros.ts';

/** Sensitivities kept in the arena: G[l] (k x outDim(l), l = 1..L+1) and E[l] (l = 1..L), byte addresses. */
export interface ResidentSensitivities {
  readonly G: number[];
  readonly E: number[];
}

/**
 * Back-propagation of the k selected patterns (idx, int32) on the kernels, blocks of rows shared by
 * the team: the same sums in the same order as the reference sensitivities, which also skips g = 0.
 * The trace holds all P patterns: a ReLU network reads its activations A (a > 0 exactly where
 * z > 0), a smooth one its Z. keepE = false leaves out a ReLU network's E (E[l] = 0): the gradient
 * needs only G.
 */
export function sensitivitiesResident(arena: Arena, team: Team, net: Net, thetaPtr: number, trace: ResidentTrace, P: number, idx: number, patterns: Int32Array, keepE = true): ResidentSensitivities {
  const { dSigma } = net.act;
  const relu = net.relu;
  const k = patterns.length;
  const G: number[] = new Array(net.L + 2).fill(0);
  const E: number[] = new Array(net.L + 1).fill(0);
  G[net.L + 1] = arena.alloc(k);
  arena.f64(G[net.L + 1], k).fill(1);
  const rows = taskRanges(k, team);
  const scratch = rows.map(() => [arena.alloc(net.h, 4), arena.alloc(net.h)] as const);
  // the dense loop adds the terms w * 0 the reference skips: exact for finite weights (a sum from +0 is never -0)
  const finite = arena.k.allFinite(thetaPtr, net.Ntot) !== 0;
  const layers = Array.from({ length: net.L }, (_, q) => net.L + 1 - q); // L+1 down to 2
  // a ReLU layer's E can be left out: sigma'(z) E is then made in place, in G
  const dropE = relu && !keepE;
  for (const l of layers) {
    E[l - 1] = dropE ? 0 : arena.alloc(k * net.layers[l - 1].inDim);
    G[l - 1] = arena.alloc(k * net.layers[l - 1].inDim);
  }
  const { Z, A } = trace;
  const layer = (l: number, [r0, r1]: readonly [number, number], t: number): KernelCall[] => {
    const { inDim, outDim, w } = net.layers[l - 1];
    const e = (E[l - 1] || G[l - 1]) + 8 * r0 * inDim;
    const g = G[l] + 8 * r0 * outDim;
    const calls: KernelCall[] = [
      finite && !skipZeros(inDim, outDim, relu) ? ['denseBackward', e, thetaPtr + 8 * w, g, 0, 0, r1 - r0, outDim, inDim] : ['denseBackwardSkip', e, thetaPtr + 8 * w, g, r1 - r0, outDim, inDim, scratch[t][0], scratch[t][1]],
    ];
    // a_{l-1} > 0 exactly when z_{l-1} > 0
    if (relu) calls.push(['reluBackward', G[l - 1] + 8 * r0 * inDim, A[l - 1], idx + 4 * r0, e, r1 - r0, inDim]);
    return calls;
  };
  if (relu) {
    // rows are independent: each block of rows goes back through every layer in one task
    team.share(rows.map((range, t) => layers.flatMap((l) => layer(l, range, t))));
    return { G, E };
  }
  for (const l of layers) {
    team.share(rows.map((range, t) => layer(l, range, t)));
    const { inDim } = net.layers[l - 1];
    const ev = arena.f64(E[l - 1], k * inDim);
    const gv = arena.f64(G[l - 1], k * inDim);
    const zl = arena.f64(Z[l - 2], P * inDim);
    for (let r = 0; r < k; r++) {
      const zr = patterns[r] * inDim;
      for (let i = 0; i < inDim; i++) gv[r * inDim + i] = dSigma(zl[zr + i]) * ev[r * inDim + i];
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
    // a ReLU network reads its activations, a smooth one its z
    const Z = net.relu ? [] : trace.z.slice(1).map((z) => arena.put(z));
    const A = net.relu ? trace.a.map((a) => arena.put(a)) : [];
    const r = sensitivitiesResident(arena, team, net, thetaPtr, { Z, A }, trace.P, idx, patterns);
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
 * weightedGradient. A layer with enough inputs takes the skipping kernel in blocks of output
 * units; a layer with few inputs is one task on the dense kernels, whose extra terms 0 * a are
 * exact when A and G are finite (else it takes the skipping kernel too). The team shares the
 * tasks. A[l] = a_l for all P patterns.
 */
export function weightedGradientResident(arena: Arena, team: Team, net: Net, A: readonly number[], G: readonly number[], idx: number, cPtr: number, k: number, P: number, out: Float64Array): void {
  const kern = arena.k;
  const dW = net.layers.map((s) => arena.alloc(s.outDim * s.inDim));
  const db = net.layers.map((s) => (s.b >= 0 ? arena.alloc(s.outDim) : 0));
  const chunk = gradientChunkRows();
  const dense = net.layers.map(({ inDim, outDim }, q) => !skipZerosInGradient(inDim) && kern.allFinite(A[q], P * inDim) !== 0 && kern.allFinite(G[q + 1], k * outDim) !== 0);
  // the skipping kernel does about half the dense kernel's terms
  const work = net.layers.map(({ inDim, outDim }, q) => k * outDim * inDim * (dense[q] ? 1 : 0.5));
  const blocks = outputBlocks(work, dense, net.layers.map((s) => s.outDim), team.size);
  const tasks: { calls: KernelCall[]; work: number }[] = [];
  net.layers.forEach(({ inDim, outDim }, q) => {
    if (dense[q]) {
      const cG = arena.alloc(k * outDim);
      const calls: KernelCall[] = [['scaleRows', cG, cPtr, G[q + 1], k, outDim], ['zero', dW[q], outDim * inDim], ['outerAccumulate', dW[q], cG, A[q], idx, 0, 0, 0, k, outDim, inDim, 0]];
      if (db[q]) calls.push(['zero', db[q], outDim], ['columnSums', db[q], cG, k, outDim]);
      tasks.push({ calls, work: work[q] });
      return;
    }
    for (const [o0, o1] of splitRange(outDim, blocks[q])) {
      const n = o1 - o0;
      const scratch = [arena.alloc(n, 4), arena.alloc(n * chunk, 4), arena.alloc(n * chunk), arena.alloc(inDim)];
      tasks.push({ calls: [['weightGradientSkip', dW[q], db[q], cPtr, G[q + 1], A[q], idx, k, outDim, inDim, o0, o1, ...scratch, chunk]], work: (work[q] * n) / outDim });
    }
  });
  // the largest first, so that the last task taken is a small one
  team.share(tasks.sort((x, y) => y.work - x.work).map((t) => t.calls));
  net.layers.forEach(({ inDim, outDim, w, b }, q) => {
    out.set(arena.f64(dW[q], outDim * inDim), w);
    if (b >= 0) out.set(arena.f64(db[q], outDim), b);
  });
}

/**
 * How many blocks of output units each layer's gradient is cut into for a team of `threads`. Every
 * block reads all of the layer's A and G and lists its terms row by row, so a cut costs more than
 * it looks (one 51 x 51 layer at P = 25000: 5.8 ms as two halves on two threads, 4.5 ms a layer as
 * two whole layers; at P = 1000 and 4000, h = 60, L = 5, cutting to within 5% took 1.24 and 5.07 ms
 * on two threads, whole layers 0.90 and 3.99 ms). So layers stay whole unless the largest-first
 * schedule of the pieces would leave one thread more than 25% over its half of the work: then the
 * layer with the largest pieces is cut once more. Dense layers stay whole.
 */
export function outputBlocks(work: readonly number[], dense: readonly boolean[], outDims: readonly number[], threads: number): number[] {
  const blocks = work.map(() => 1);
  const total = work.reduce((a, b) => a + b, 0);
  if (threads === 1 || total === 0) return blocks;
  for (;;) {
    const pieces = work.flatMap((w, q) => new Array<number>(blocks[q]).fill(w / blocks[q])).sort((a, b) => b - a);
    const load = new Array<number>(threads).fill(0);
    for (const p of pieces) load[load.indexOf(Math.min(...load))] += p;
    if (Math.max(...load) <= (BALANCE * total) / threads) return blocks;
    let q = -1;
    work.forEach((w, i) => {
      if (!dense[i] && blocks[i] < outDims[i] && (q < 0 || w / blocks[i] > work[q] / blocks[q])) q = i;
    });
    if (q < 0) return blocks;
    blocks[q]++;
  }
}
const BALANCE = 1.25;

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

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assertProperty } from '../support/fc.ts';
import { activationArb, gaussianData, perturbedParameters } from '../support/arbitraries.ts';
import { makeArchitecture } from '../../src/model/architecture.ts';
import { evaluate } from '../../src/loss/objective.ts';
import { hessianSplit } from '../../src/loss/hessian.ts';
import { makeLoss } from '../../src/loss/losses.ts';
import { kernelTeam, parseTeamChoice, teamKind, wasmArena, withKernels, withTeamKind, withThreads } from '../../src/kernels/select.ts';
import { loadNativeAddon, nativeTeam } from '../../src/kernels/native/team.ts';
import { CONTROL_BYTES, kernelNames, soloTeam, type KernelCall } from '../../src/kernels/team.ts';
import { withGradientChunkRows, withSkipMinWidth } from '../../src/kernels/skipZeros.ts';
import { createRng } from '../../src/util/prng.ts';
import type { Arena } from '../../src/kernels/arena.ts';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The native team (src/kernels/native): the C build of the gradient path's kernels, run on the WASM
 * kernels' memory. Every kernel is compared bit for bit with its WASM version (itself compared with
 * the plain-TS reference in kernels.spec.ts) on the same inputs, at widths that hit each of the C
 * code's cases: fewer than 8 lanes (scalar), 8 to 64 (one block, its last vector shifted back over
 * the one before), more than 64 (several blocks); then whole evaluations and Hessians against the
 * reference. kernels.spec.ts runs on the default team, which is this one when it is built.
 */
function sameBits(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

const addon = loadNativeAddon();

/** Random float64 values with exact zeros of both signs, and, when asked, infinities and NaN. */
function values(n: number, rng: ReturnType<typeof createRng>, zeros: number, nonFinite = false): Float64Array {
  return Float64Array.from({ length: n }, () => {
    const u = rng.uniform();
    if (u < zeros) return rng.uniform() < 0.5 ? 0 : -0;
    if (nonFinite && u > 0.97) return [Infinity, -Infinity, NaN][Math.floor(rng.uniform() * 3)];
    return rng.normal();
  });
}

interface KernelCase {
  /** the inputs, put in the arena */
  inputs: Record<string, Float64Array | Int32Array>;
  /** the output buffers (float64) and their initial contents */
  outputs: Record<string, Float64Array>;
  /** the call, from the buffers' addresses */
  call: (p: Record<string, number>) => KernelCall;
}

/** Puts a case in the arena twice over (one copy per team), runs it on the WASM and the native team, and returns both outputs. */
function runBoth(arena: Arena, c: KernelCase, threads: 1 | 2): [Float64Array[], Float64Array[]] {
  const got: Float64Array[][] = [];
  for (const kind of ['wasm', 'native'] as const) {
    const mark = arena.mark();
    try {
      const p: Record<string, number> = {};
      for (const [name, v] of Object.entries(c.inputs)) p[name] = v instanceof Int32Array ? arena.putInt32(v) : arena.put(v);
      for (const [name, v] of Object.entries(c.outputs)) p[name] = arena.put(v);
      const call = c.call(p);
      withTeamKind(kind, () => withThreads(threads, () => kernelTeam(arena))).share([[call]]);
      got.push(Object.entries(c.outputs).map(([name, v]) => arena.read(p[name], v.length)));
    } finally {
      arena.release(mark);
    }
  }
  return [got[0], got[1]];
}

const dims = fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 8, max: 16 }), fc.integer({ min: 10, max: 70 }), fc.integer({ min: 120, max: 140 }));
const shapeArb = fc.record({ rows: fc.integer({ min: 0, max: 9 }), inDim: dims, outDim: dims, gathered: fc.boolean(), zeros: fc.constantFrom(0, 0.5, 0.9), seed: fc.integer({ min: 0, max: 1e6 }), threads: fc.constantFrom(1, 2) as fc.Arbitrary<1 | 2> });

/** Each kernel of the native build, as a case built from a random shape. */
type Shape = typeof shapeArb extends fc.Arbitrary<infer S> ? S : never;
const CASES: Record<string, (s: Shape) => KernelCase> = {
  denseForward: ({ rows, inDim, outDim, gathered, zeros, seed }) => {
    const rng = createRng(seed);
    const P = rows + 3;
    const mode = Math.floor(rng.uniform() * 3);
    const idx = Int32Array.from({ length: rows }, () => Math.floor(rng.uniform() * P));
    return {
      inputs: { A: values(P * inDim, rng, zeros, true), WT: values(inDim * outDim, rng, zeros, true), bias: values(outDim, rng, zeros), idx },
      outputs: { Z: values(rows * outDim, rng, 0.1) },
      call: (p) => ['denseForward', p.Z, p.A, gathered ? p.idx : 0, rows, p.WT, inDim, outDim, mode === 1 ? p.bias : 0, mode],
    };
  },
  denseForwardSkip: ({ rows, inDim, outDim, gathered, zeros, seed }) => {
    const rng = createRng(seed);
    const P = rows + 3;
    const idx = Int32Array.from({ length: rows }, () => Math.floor(rng.uniform() * P));
    const withBias = rng.uniform() < 0.8;
    // the caller keeps this kernel to finite weights; a bias at -0 and zero inputs make the -0 repair run
    return {
      inputs: { A: values(P * inDim, rng, zeros, true), WT: values(inDim * outDim, rng, zeros), bias: values(outDim, rng, 0.5), idx, ptrs: new Int32Array(inDim), s: new Float64Array(inDim) },
      outputs: { Z: new Float64Array(rows * outDim) },
      call: (p) => ['denseForwardSkip', p.Z, p.A, gathered ? p.idx : 0, rows, p.WT, inDim, outDim, withBias ? p.bias : 0, p.ptrs, p.s],
    };
  },
  denseBackward: ({ rows, inDim, outDim, zeros, seed }) => {
    const rng = createRng(seed);
    const withU = rng.uniform() < 0.5;
    return {
      inputs: { W: values(outDim * inDim, rng, zeros, true), GW: values(rows * outDim, rng, zeros, true), U: values(outDim * inDim, rng, zeros), GU: values(rows * outDim, rng, zeros) },
      outputs: { E: values(rows * inDim, rng, 0) },
      call: (p) => ['denseBackward', p.E, p.W, p.GW, withU ? p.U : 0, withU ? p.GU : 0, rows, outDim, inDim],
    };
  },
  denseBackwardSkip: ({ rows, inDim, outDim, zeros, seed }) => {
    const rng = createRng(seed);
    return {
      inputs: { W: values(outDim * inDim, rng, zeros, true), G: values(rows * outDim, rng, zeros, true), ptrs: new Int32Array(outDim), s: new Float64Array(outDim) },
      outputs: { E: new Float64Array(rows * inDim) },
      call: (p) => ['denseBackwardSkip', p.E, p.W, p.G, rows, outDim, inDim, p.ptrs, p.s],
    };
  },
  outerAccumulate: ({ rows, inDim, outDim, gathered, zeros, seed }) => {
    const rng = createRng(seed);
    const P = rows + 3;
    const withB = rng.uniform() < 0.5;
    const upper = rng.uniform() < 0.3 ? 1 : 0;
    const idx = () => Int32Array.from({ length: rows }, () => Math.floor(rng.uniform() * P));
    return {
      inputs: { GA: values(rows * outDim, rng, zeros, true), A: values(P * inDim, rng, zeros, true), GB: values(rows * outDim, rng, zeros), B: values(P * inDim, rng, zeros), iA: idx(), iB: idx() },
      outputs: { OUT: values(outDim * inDim, rng, 0.2) },
      call: (p) => ['outerAccumulate', p.OUT, p.GA, p.A, gathered ? p.iA : 0, withB ? p.GB : 0, p.B, gathered ? p.iB : 0, rows, outDim, inDim, upper],
    };
  },
  weightGradientSkip: ({ rows, inDim, outDim, gathered, zeros, seed }) => {
    const rng = createRng(seed);
    const P = rows + 3;
    const o0 = Math.floor(rng.uniform() * outDim);
    const o1 = o0 + 1 + Math.floor(rng.uniform() * (outDim - o0));
    const chunk = 1 + Math.floor(rng.uniform() * 7);
    const n = o1 - o0;
    const withB = rng.uniform() < 0.7;
    return {
      inputs: { c: values(rows, rng, 0.2), G: values(rows * outDim, rng, zeros), A: values(P * inDim, rng, zeros), idx: Int32Array.from({ length: rows }, () => Math.floor(rng.uniform() * P)), counts: new Int32Array(n), ptrs: new Int32Array(n * chunk), s: new Float64Array(n * chunk), tmp: new Float64Array(inDim) },
      outputs: { dW: values(outDim * inDim, rng, 0), db: values(outDim, rng, 0) },
      call: (p) => ['weightGradientSkip', p.dW, withB ? p.db : 0, p.c, p.G, p.A, gathered ? p.idx : 0, rows, outDim, inDim, o0, o1, p.counts, p.ptrs, p.s, p.tmp, chunk],
    };
  },
  columnSums: ({ rows, outDim, zeros, seed }) => {
    const rng = createRng(seed);
    return { inputs: { G: values(rows * outDim, rng, zeros, true) }, outputs: { dst: values(outDim, rng, zeros) }, call: (p) => ['columnSums', p.dst, p.G, rows, outDim] };
  },
  transpose: ({ inDim, outDim, seed }) => {
    const rng = createRng(seed);
    return { inputs: { W: values(outDim * inDim, rng, 0.3, true) }, outputs: { WT: new Float64Array(inDim * outDim) }, call: (p) => ['transpose', p.WT, p.W, outDim, inDim] };
  },
  mulInto: ({ inDim, zeros, seed }) => {
    const rng = createRng(seed);
    return { inputs: { a: values(inDim, rng, zeros, true), b: values(inDim, rng, zeros, true) }, outputs: { dst: new Float64Array(inDim) }, call: (p) => ['mulInto', p.dst, p.a, p.b, inDim] };
  },
  addProduct3: ({ inDim, zeros, seed }) => {
    const rng = createRng(seed);
    return { inputs: { a: values(inDim, rng, zeros, true), b: values(inDim, rng, zeros), c: values(inDim, rng, zeros) }, outputs: { dst: values(inDim, rng, zeros) }, call: (p) => ['addProduct3', p.dst, p.a, p.b, p.c, inDim] };
  },
  zero: ({ inDim, seed }) => {
    const rng = createRng(seed);
    const n = Math.floor(rng.uniform() * inDim);
    return { inputs: {}, outputs: { dst: values(inDim, rng, 0) }, call: (p) => ['zero', p.dst, n] };
  },
  poke: ({ inDim, seed }) => {
    const rng = createRng(seed);
    const at = Math.floor(rng.uniform() * inDim);
    const v = rng.uniform() < 0.2 ? -0 : rng.normal();
    return { inputs: {}, outputs: { dst: values(inDim, rng, 0) }, call: (p) => ['poke', p.dst + 8 * at, v] };
  },
  reluForward: ({ inDim, zeros, seed }) => {
    const rng = createRng(seed);
    return { inputs: { z: values(inDim, rng, zeros, true) }, outputs: { dst: new Float64Array(inDim) }, call: (p) => ['reluForward', p.dst, p.z, inDim] };
  },
  reluBackward: ({ rows, inDim, gathered, zeros, seed }) => {
    const rng = createRng(seed);
    const P = rows + 3;
    return {
      inputs: { z: values(P * inDim, rng, zeros, true), e: values(rows * inDim, rng, zeros, true), idx: Int32Array.from({ length: rows }, () => Math.floor(rng.uniform() * P)) },
      outputs: { dst: new Float64Array(rows * inDim) },
      call: (p) => ['reluBackward', p.dst, p.z, gathered ? p.idx : 0, p.e, rows, inDim],
    };
  },
  scaleRows: ({ rows, outDim, zeros, seed }) => {
    const rng = createRng(seed);
    return { inputs: { c: values(rows, rng, zeros, true), G: values(rows * outDim, rng, zeros, true) }, outputs: { dst: new Float64Array(rows * outDim) }, call: (p) => ['scaleRows', p.dst, p.c, p.G, rows, outDim] };
  },
};

describe.skipIf(addon === null)('native kernels', () => {
  it('are built by npm ci and picked by default (JAMMING_TEAM unset)', () => {
    expect(teamKind()).toBe('native');
    expect(parseTeamChoice(undefined)).toBe('auto');
    expect(() => parseTeamChoice('gpu')).toThrow(/JAMMING_TEAM.*gpu.*native, wasm or auto/);
  });

  it('cover exactly the kernels of the list above, and every one of them has a C version', () => {
    const arena = wasmArena()!;
    const native = kernelNames(arena.k).filter((n) => addon!.hasKernel(n));
    expect(native.sort()).toEqual(Object.keys(CASES).sort());
  });

  it.each(Object.keys(CASES))('%s gives the WASM kernel\'s bits (Object.is, every entry) on random shapes, values and zeros', (name) => {
    const arena = wasmArena()!;
    assertProperty(
      fc.property(shapeArb, (s) => {
        const [wasm, native] = runBoth(arena, CASES[name](s), s.threads);
        for (let q = 0; q < wasm.length; q++) expect(sameBits(native[q], wasm[q])).toBe(true);
      }),
      60,
    );
  });

  it('one evaluation and one Hessian give the reference\'s bits on the native team, 1 and 2 threads, both kinds of kernel', () => {
    const archArb = fc
      .record({ d: fc.integer({ min: 1, max: 12 }), h: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 28, max: 70 })), L: fc.integer({ min: 0, max: 3 }), bias: fc.boolean(), act: activationArb })
      .map(({ d, h, L, bias, act }) => makeArchitecture({ d, h, L, bias, ...act }));
    assertProperty(
      fc.property(archArb, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 7 }), (arch, P, seed, chunk) => {
        const obj = { arch, loss: makeLoss('quadratic', 1), data: gaussianData(P, arch.d, seed) };
        const theta = perturbedParameters(arch, seed);
        const ref = withKernels('reference', () => evaluate(obj, theta));
        for (const threads of [1, 2] as const) {
          for (const skipWidth of [0, Infinity]) {
            const got = withTeamKind('native', () => withThreads(threads, () => withSkipMinWidth(skipWidth, () => withGradientChunkRows(chunk, () => evaluate(obj, theta)))));
            expect(sameBits(got.delta, ref.delta) && sameBits(got.gradient, ref.gradient)).toBe(true);
          }
        }
        if (arch.h <= 12 && P <= 12) {
          const hRef = withKernels('reference', () => hessianSplit(obj, theta, ref));
          const hGot = withTeamKind('native', () => hessianSplit(obj, theta, evaluate(obj, theta)));
          expect(sameBits(hGot.H0, hRef.H0) && sameBits(hGot.Hp, hRef.Hp)).toBe(true);
        }
      }),
      25,
    );
  });

  // The pitfall the build flags guard against: with fused multiply-adds the C kernels round once
  // where the WASM kernels and the reference round twice. A build that allows them must be caught.
  const hasFma = existsSync('/proc/cpuinfo') && /\bfma\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  it.skipIf(!hasFma || process.arch !== 'x64')('a build with fused multiply-adds (-ffp-contract=fast) is caught: its kernels do not give the WASM bits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fused-'));
    try {
      const out = join(dir, 'fused.node');
      execFileSync(process.execPath, [fileURLToPath(new URL('../../src/kernels/native/build.mjs', import.meta.url)), '--out', out, '--contract', 'fast'], { stdio: 'pipe' });
      const fused = loadNativeAddon(out, false)!;
      expect(fused).not.toBeNull();
      const arena = wasmArena()!;
      const mark = arena.mark();
      const team = nativeTeam(fused, arena.k, arena.alloc(CONTROL_BYTES, 1), 1, () => soloTeam(arena.k));
      try {
        let differs = 0;
        for (let seed = 0; seed < 20; seed++) {
          const c = CASES.denseBackwardSkip({ rows: 4, inDim: 40, outDim: 40, gathered: false, zeros: 0.5, seed, threads: 1 });
          const [wasm] = runBoth(arena, c, 1);
          const m = arena.mark();
          const p: Record<string, number> = {};
          for (const [name, v] of Object.entries(c.inputs)) p[name] = v instanceof Int32Array ? arena.putInt32(v) : arena.put(v);
          for (const [name, v] of Object.entries(c.outputs)) p[name] = arena.put(v);
          team.share([[c.call(p)]]);
          if (!sameBits(arena.read(p.E, 160), wasm[0])) differs++;
          arena.release(m);
        }
        expect(differs).toBeGreaterThan(0);
      } finally {
        team.close();
        arena.release(mark);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('a team of two shares the tasks between its threads, and runs each task once', () => {
    const arena = wasmArena()!;
    const mark = arena.mark();
    const control = arena.alloc(CONTROL_BYTES, 1);
    const team = nativeTeam(addon!, arena.k, control, 2, () => soloTeam(arena.k));
    try {
      const n = 400;
      const buf = arena.alloc(n);
      // each task writes its own entry; enough work per task that both threads are busy
      const tasks = Array.from({ length: n }, (_, t) => [['zero', buf, 0], ['poke', buf + 8 * t, t]] as KernelCall[]);
      for (let round = 0; round < 20; round++) {
        arena.f64(buf, n).fill(-1);
        team.share(tasks);
        expect(sameBits(arena.f64(buf, n), Float64Array.from({ length: n }, (_, t) => t))).toBe(true);
      }
    } finally {
      team.close();
      arena.release(mark);
    }
    expect(() => team.share([[['zero', 0, 0]]])).toThrow(/after close/);
  });

  it('refuses, before running it, a call that would reach outside the linear memory (where a WASM kernel would trap), and still works after', () => {
    const arena = wasmArena()!;
    const mark = arena.mark();
    const team = withTeamKind('native', () => withThreads(2, () => kernelTeam(arena)));
    try {
      const end = arena.k.memory.buffer.byteLength;
      const buf = arena.put([1, 2, 3, 4]);
      expect(() => team.share([[['zero', end - 16, 4]], [['poke', buf, 7]]])).toThrow(/outside the linear memory's bounds, not run: zero/);
      expect(() => team.share([[['zero', buf, -1]]])).toThrow(/bounds, not run: zero/);
      expect(() => team.share([[['zero', buf, 1.5]]])).toThrow(/bounds, not run: zero/);
      // a gathered row beyond the end: the index is checked, not only the index list
      const idx = arena.putInt32(Int32Array.from([0, 1e8]));
      expect(() => team.share([[['reluBackward', buf, buf, idx, buf, 2, 1]]])).toThrow(/bounds, not run: reluBackward/);
      expect(() => team.share([[['weightGradientSkip', buf, 0, buf, buf, buf, 0, 1, 1, 1, 0, 2, 0, 0, 0, 0, 1]]])).toThrow(/bounds, not run: weightGradientSkip/); // oEnd > outDim
      team.share([[['poke', buf + 8, 9]], [['poke', buf + 16, 10]]]);
      expect(Array.from(arena.f64(buf, 4))).toEqual([7, 9, 10, 4]);
    } finally {
      arena.release(mark);
    }
  });

  it('hands a task list naming a kernel without a C version to the WASM team, whole', () => {
    const arena = wasmArena()!;
    const mark = arena.mark();
    const control = arena.alloc(CONTROL_BYTES, 1);
    let fellBack = 0;
    const solo = soloTeam(arena.k);
    const team = nativeTeam(addon!, arena.k, control, 1, () => ({ ...solo, share: (t) => (fellBack++, solo.share(t)) }));
    try {
      const buf = arena.put([1, 2, 3]);
      team.share([[['poke', buf, 5]]]);
      expect(fellBack).toBe(0);
      // householderTridiagonal has no C version: the whole list goes to the WASM team
      const d = arena.alloc(1);
      const e = arena.alloc(1);
      team.share([[['poke', buf + 8, 9]], [['householderTridiagonal', arena.put([4]), 1, d, e, arena.alloc(1), arena.alloc(1)]]]);
      expect(fellBack).toBe(1);
      expect(Array.from(arena.f64(buf, 3))).toEqual([5, 9, 3]);
    } finally {
      team.close();
      arena.release(mark);
    }
  });

  it('after the memory grows, still runs on the same (unmoved) memory', () => {
    const arena = wasmArena()!;
    const mark = arena.mark();
    try {
      const team = withTeamKind('native', () => withThreads(2, () => kernelTeam(arena)));
      const before = arena.k.memory.buffer.byteLength;
      const big = arena.alloc(before / 8 + 65536); // forces a grow
      expect(arena.k.memory.buffer.byteLength).toBeGreaterThan(before);
      const at = big + before; // an address only the grown memory has
      team.share([[['poke', at, 42]], [['poke', at + 8, 43]]]);
      expect(Array.from(arena.f64(at, 2))).toEqual([42, 43]);
    } finally {
      arena.release(mark);
    }
  });
});

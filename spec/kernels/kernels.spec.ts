import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assertProperty } from '../support/fc.ts';
import { activationArb, gaussianData, perturbedParameters } from '../support/arbitraries.ts';
import { layout, makeArchitecture } from '../../src/model/architecture.ts';
import { netOf } from '../../src/model/forward.ts';
import { forwardTrace as forwardTraceReference } from '../../src/kernels/reference/forward.ts';
import { sensitivities as sensitivitiesReference, weightedGradient as weightedGradientReference } from '../../src/kernels/reference/backward.ts';
import { forwardTraceWasm } from '../../src/kernels/wasm/forward.ts';
import { sensitivitiesWasm, weightedGradientWasm } from '../../src/kernels/wasm/backward.ts';
import { hessianSplit } from '../../src/loss/hessian.ts';
import { h0UpperWasm } from '../../src/kernels/wasm/hessian.ts';
import { evaluate } from '../../src/loss/objective.ts';
import { makeLoss } from '../../src/loss/losses.ts';
import { tridiagonalEigenvalues } from '../../src/analyse/tridiagonal.ts';
import { kernels, kernelsName, kernelTeam, parseKernelsChoice, parseThreads, withKernels, withThreads, wasmArena } from '../../src/kernels/select.ts';
import { createRng } from '../../src/util/prng.ts';
import { withGradientChunkRows, withSkipMinWidth } from '../../src/kernels/skipZeros.ts';

/**
 * The WASM SIMD kernels against the plain-TS reference loops. The kernels accumulate each
 * output in the reference's order with the same roundings, so the comparison is bit for bit
 * (Object.is: even the sign of a zero), on random shapes whose widths hit every SIMD tail
 * (blocks of 8 outputs, pairs, a single odd one) and random subsets of patterns.
 */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

const wideArch = fc
  .record({ d: fc.integer({ min: 1, max: 19 }), h: fc.integer({ min: 1, max: 21 }), L: fc.integer({ min: 0, max: 3 }), bias: fc.boolean(), act: activationArb })
  .map(({ d, h, L, bias, act }) => makeArchitecture({ d, h, L, bias, ...act }));

const caseArb = fc.record({ arch: wideArch, P: fc.integer({ min: 1, max: 23 }), seed: fc.integer({ min: 0, max: 1e6 }), keep: fc.double({ min: 0, max: 1, noNaN: true }), holes: fc.constantFrom(0, 0.3, 0.8) });

/**
 * Sets a fraction of the entries to +0 or -0: zero inputs and weights, and biases at -0, are where
 * skipping zero terms (src/kernels/assembly/skipZeros.ts) could change the sign of a zero.
 */
function punch(v: Float64Array, holes: number, seed: number): Float64Array {
  const rng = createRng(seed + 3);
  for (let i = 0; i < v.length; i++) if (rng.uniform() < holes) v[i] = rng.uniform() < 0.5 ? 0 : -0;
  return v;
}

function subset(P: number, keep: number, seed: number): Int32Array {
  const rng = createRng(seed + 1);
  return Int32Array.from({ length: P }, (_, i) => i).filter(() => rng.uniform() < keep);
}

describe('WASM kernels', () => {
  it('are built by npm ci and picked by default (JAMMING_KERNELS unset)', () => {
    expect(wasmArena()).not.toBeNull();
    expect(kernelsName()).toBe('wasm');
  });

  // every shape through both kinds of kernel: the dense loops (no layer skips) and the skipping ones (every layer does)
  it.each([
    [1, Infinity],
    [1, 0],
    [2, Infinity],
    [2, 0],
  ] as const)('forward, sensitivities and gradient are bit-identical to the reference loops (%i thread(s), skipping zeros from width %s)', (threads, skipWidth) => {
    const arena = wasmArena()!;
    const team = withThreads(threads, () => kernelTeam(arena));
    expect(team.size).toBe(threads);
    withSkipMinWidth(skipWidth, () => assertProperty(
      fc.property(caseArb, fc.integer({ min: 1, max: 7 }), ({ arch, P, seed, keep, holes }, chunkRows) => {
        const theta = punch(perturbedParameters(arch, seed), holes, seed);
        const x = punch(gaussianData(P, arch.d, seed).x, holes, seed + 1);
        const net = netOf(arch);
        const tr = forwardTraceReference(net, theta, x, P);
        const tw = forwardTraceWasm(arena, team, net, theta, x, P);
        expect(sameBits(tr.f, tw.f)).toBe(true);
        for (let l = 1; l < tr.z.length; l++) expect(sameBits(tr.z[l], tw.z[l]) && sameBits(tr.a[l], tw.a[l])).toBe(true);
        const patterns = subset(P, keep, seed);
        const sr = sensitivitiesReference(net, theta, tr, patterns);
        const sw = sensitivitiesWasm(arena, team, net, theta, tw, patterns);
        for (let l = 1; l <= arch.L + 1; l++) expect(sameBits(sr.G[l], sw.G[l])).toBe(true);
        for (let l = 1; l <= arch.L; l++) expect(sameBits(sr.E[l], sw.E[l])).toBe(true);
        const rng = createRng(seed + 2);
        const c = Float64Array.from(patterns, () => (rng.uniform() < 0.2 ? 0 : rng.normal()));
        const gr = weightedGradientReference(net, tr, sr, c);
        expect(sameBits(gr, weightedGradientWasm(arena, team, net, tw, sw, c))).toBe(true);
        // chunks of a few rows: every sum of the skipping gradient kernel continues across chunks
        expect(sameBits(gr, withGradientChunkRows(chunkRows, () => weightedGradientWasm(arena, team, net, tw, sw, c)))).toBe(true);
      }),
      60,
    ));
  });

  it.each([1, 2] as const)('H0, Hp and H are bit-identical to the reference loops (%i thread(s))', (threads) => withThreads(threads, () => {
    assertProperty(
      fc.property(caseArb, fc.constantFrom('quadratic', 'linear', 'crossEntropy') as fc.Arbitrary<'quadratic' | 'linear' | 'crossEntropy'>, ({ arch, P, seed }, kind) => {
        const obj = { arch, loss: makeLoss(kind, 1), data: gaussianData(P, arch.d, seed) };
        const theta = perturbedParameters(arch, seed);
        const ref = withKernels('reference', () => hessianSplit(obj, theta, evaluate(obj, theta)));
        const got = withKernels('wasm', () => hessianSplit(obj, theta, evaluate(obj, theta)));
        expect(sameBits(ref.H0, got.H0)).toBe(true);
        expect(sameBits(ref.Hp, got.Hp)).toBe(true);
        expect(sameBits(ref.H, got.H)).toBe(true);
      }),
      25,
    );
  }));

  it.each([1, 2] as const)('H0 is the same bits whatever its blocking: whole, or a few rows of H0 and of J at a time (%i thread(s))', (threads) => {
    // the blocks are what lets Ntot of 10^4 and more fit WASM32's 4 GiB; here a tiny budget forces
    // every shape of them (blocks of 2 rows up to whole, chunks of 1 pattern up to all)
    const arena = wasmArena()!;
    const team = withThreads(threads, () => kernelTeam(arena));
    assertProperty(
      fc.property(caseArb, fc.integer({ min: 1, max: 40 }), ({ arch, P, seed }, budgetKb) => {
        const obj = { arch, loss: makeLoss('quadratic', 1), data: gaussianData(P, arch.d, seed) };
        const theta = perturbedParameters(arch, seed);
        const ev = evaluate(obj, theta);
        const net = netOf(arch);
        const n = net.Ntot;
        const rng = createRng(seed + 3);
        const w = Float64Array.from(ev.active, () => (rng.uniform() < 0.2 ? 0 : rng.uniform()));
        const ref = new Float64Array(n * n);
        withKernels('reference', () => kernels().h0Upper(net, ev.trace, ev.sens, w, ref));
        const whole = new Float64Array(n * n);
        h0UpperWasm(arena, team, net, ev.trace, ev.sens, w, whole);
        const blocked = new Float64Array(n * n);
        h0UpperWasm(arena, team, net, ev.trace, ev.sens, w, blocked, budgetKb * 1024);
        expect(sameBits(ref, whole)).toBe(true);
        expect(sameBits(ref, blocked)).toBe(true);
      }),
      30,
    );
  });

  it('one evaluation gives the same bits on 1 and 2 threads as on the reference loops, its trace and sensitivities included', () => {
    assertProperty(
      fc.property(caseArb, fc.constantFrom('quadratic', 'linear', 'crossEntropy') as fc.Arbitrary<'quadratic' | 'linear' | 'crossEntropy'>, ({ arch, P, seed, holes }, kind) => {
        const obj = { arch, loss: makeLoss(kind, 1), data: gaussianData(P, arch.d, seed) };
        const theta = punch(perturbedParameters(arch, seed), holes, seed);
        const ref = withKernels('reference', () => evaluate(obj, theta));
        for (const [threads, skipWidth] of [[1, 0], [2, 0], [1, Infinity], [2, Infinity]] as const) {
          const got = withKernels('wasm', () => withThreads(threads, () => withSkipMinWidth(skipWidth, () => evaluate(obj, theta))));
          expect(got.value).toBe(ref.value);
          expect(got.nDelta).toBe(ref.nDelta);
          expect(sameBits(got.delta, ref.delta) && sameBits(got.gradient, ref.gradient)).toBe(true);
          expect(Array.from(got.active)).toEqual(Array.from(ref.active));
          expect(sameBits(got.trace.f, ref.trace.f)).toBe(true);
          for (let l = 1; l <= arch.L; l++) expect(sameBits(got.trace.z[l], ref.trace.z[l]) && sameBits(got.sens.E[l], ref.sens.E[l])).toBe(true);
          for (let l = 1; l <= arch.L + 1; l++) expect(sameBits(got.sens.G[l], ref.sens.G[l])).toBe(true);
        }
      }),
      40,
    );
  });

  it('skipping a zero input can flip the sign of a zero output, and the forward kernel repairs it', () => {
    // One unit, bias -0, weight -1 and +1 on two inputs that are both 0: the reference sums
    // -0 + (-1 * 0) + (1 * 0) = -0 + -0 + +0 = +0, but with the zero inputs skipped the sum stays
    // at the bias, -0. Without the -0 recheck in denseForwardSkip the kernel would return -0.
    const arena = wasmArena()!;
    const { k } = arena;
    const mark = arena.mark();
    try {
      const WT = arena.put([-1, 1]); // in x out = 2 x 1
      const bias = arena.put([-0]);
      const A = arena.put([0, 0]);
      const ptrs = arena.alloc(2, 4);
      const scal = arena.alloc(4);
      const out = arena.alloc(2);
      k.accumulateRows(out, bias, 1, ptrs, scal, 0); // every term skipped
      expect(Object.is(arena.f64(out, 1)[0], -0)).toBe(true);
      k.denseForwardSkip(out, A, 0, 1, WT, 2, 1, bias, ptrs, scal);
      expect(Object.is(arena.f64(out, 1)[0], 0)).toBe(true);
    } finally {
      arena.release(mark);
    }
    const arch = makeArchitecture({ d: 2, h: 1, L: 1 });
    const theta = Float64Array.from([-1, 1, -0, 1, 0]); // W1 = [-1, 1], b1 = -0, W2 = [1], b2 = 0
    const x = Float64Array.from([0, 0, 0, 1]);
    const ref = forwardTraceReference(netOf(arch), theta, x, 2);
    const got = withSkipMinWidth(0, () => forwardTraceWasm(wasmArena()!, kernelTeam(wasmArena()!), netOf(arch), theta, x, 2));
    expect(sameBits(got.z[1], ref.z[1])).toBe(true);
    expect(Object.is(ref.z[1][0], 0)).toBe(true);
  });

  it('non-finite weights and activations keep every skipped zero term out, and still match the reference', () => {
    // Inf * 0 = NaN: skipping a zero input in front of an infinite weight would hide a NaN the
    // reference produces, so these weights go through the full loops.
    const arch = makeArchitecture({ d: 4, h: 5, L: 2 });
    const P = 7;
    const theta = perturbedParameters(arch, 5);
    theta[3] = Infinity; // first layer (after a ReLU a NaN becomes 0)
    theta[layout(arch).layers[1].w + 2] = -Infinity; // a hidden layer: back-propagation through it too
    theta[layout(arch).layers[arch.L].w] = Infinity; // output layer: Inf * (a ReLU's 0) = NaN in f
    const x = punch(gaussianData(P, arch.d, 5).x, 0.5, 5);
    const obj = { arch, loss: makeLoss('quadratic', 1), data: { ...gaussianData(P, arch.d, 5), x } };
    const ref = withKernels('reference', () => evaluate(obj, theta));
    for (const skipWidth of [0, Infinity]) {
      const got = withKernels('wasm', () => withSkipMinWidth(skipWidth, () => evaluate(obj, theta)));
      expect(sameBits(got.delta, ref.delta) && sameBits(got.gradient, ref.gradient)).toBe(true);
    }
    expect(ref.delta.some(Number.isNaN)).toBe(true);
    // The dense loops add the terms 0 * w and 0 * a that the reference skips, so they must not run
    // on an infinite weight or activation: back-propagation, and the weight gradient.
    const small = makeArchitecture({ d: 2, h: 2, L: 2 });
    const th = Float64Array.from({ length: layout(small).Ntot }, () => 0.5);
    th[layout(small).layers[1].w] = Infinity; // W2[0][0]
    const z = Float64Array.from([1, 1, 1, 1]);
    const trace = { P: 2, z: [new Float64Array(0), z, Float64Array.from([-1, 1, 1, 1])], a: [z, z, Float64Array.from([0, 1, 1, 1])], f: new Float64Array(2) };
    const both = Int32Array.from([0, 1]);
    const sRef = sensitivitiesReference(netOf(small), th, trace, both); // row 0: g2 = [0, 1] skips W2's Inf
    const sGot = withSkipMinWidth(Infinity, () => sensitivitiesWasm(wasmArena()!, kernelTeam(wasmArena()!), netOf(small), th, trace, both));
    expect(sameBits(sGot.E[1], sRef.E[1]) && Number.isFinite(sRef.E[1][0])).toBe(true);
    const infA = { ...trace, a: [z, Float64Array.from([Infinity, 1, 1, 1]), trace.a[2]] };
    const cw = Float64Array.from([0, 1]); // row 0's weight 0: the reference skips it, Inf and all
    const gRef = weightedGradientReference(netOf(small), infA, sRef, cw);
    const gGot = withSkipMinWidth(Infinity, () => weightedGradientWasm(wasmArena()!, kernelTeam(wasmArena()!), netOf(small), infA, sRef, cw));
    expect(sameBits(gGot, gRef) && !gRef.some(Number.isNaN)).toBe(true);
    // Back-propagation in pairs of rows keeps a 0 of one row when the other row's term is not 0;
    // in front of an infinite weight that 0 would add a NaN the reference (which skips it) has not.
    const arena = wasmArena()!;
    const mark = arena.mark();
    try {
      const W = arena.put([Infinity, 1, 1, 1]); // out x in = 2 x 2
      const G = arena.put([0, 1, 1, 1]); // row 0 skips output 0, row 1 does not
      const E = arena.alloc(4);
      arena.k.denseBackwardSkip(E, W, G, 2, 2, 2, arena.alloc(2, 4), arena.alloc(4));
      expect(Array.from(arena.f64(E, 4))).toEqual([1, 1, Infinity, 2]);
    } finally {
      arena.release(mark);
    }
  });

  it('allFinite sees any Inf or NaN, at every position and length', () => {
    const arena = wasmArena()!;
    assertProperty(
      fc.property(fc.array(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(Infinity, -Infinity, NaN, 0, -0)), { maxLength: 40 }), (xs) => {
        const mark = arena.mark();
        try {
          expect(arena.k.allFinite(arena.put(xs), xs.length) !== 0).toBe(xs.every(Number.isFinite));
        } finally {
          arena.release(mark);
        }
      }),
      300,
    );
  });

  it('the Householder reduction and the eigenvalues are bit-identical to the reference', () => {
    // n up to 70 covers the fused pass's four-row groups with every remainder; zero rows (a dead
    // unit's parameters give them in H) make steps with nothing to annihilate, which break the fusion
    assertProperty(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 0, max: 1e6 }), fc.constantFrom('dense', 'sparse', 'zero rows'), (n, seed, kind) => {
        const rng = createRng(seed);
        const m = new Float64Array(n * n);
        const zeroRow = Array.from({ length: n }, () => kind === 'zero rows' && rng.uniform() < 0.3);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j <= i; j++) m[i * n + j] = m[j * n + i] = (kind === 'sparse' && rng.uniform() < 0.6) || zeroRow[i] || zeroRow[j] ? 0 : rng.normal();
        }
        const reduce = (choice: 'reference' | 'wasm', ms: Float64Array[]) => {
          const ds = ms.map(() => new Float64Array(n));
          const es = ms.map(() => new Float64Array(n));
          withKernels(choice, () => kernels().householderTridiagonal(ms, n, ds, es));
          return { ds, es };
        };
        const ref = reduce('reference', [m]);
        // three matrices at once, two at a time on a team of two: each as it would be alone
        const other = m.map((v, q) => v * (1 + (q % 7)) - 0.5 * v);
        for (let q = 0; q < n; q++) for (let r = 0; r < q; r++) other[r * n + q] = other[q * n + r];
        const refOther = reduce('reference', [other]);
        for (const threads of [1, 2] as const) {
          const wasm = withThreads(threads, () => reduce('wasm', [m, other, m]));
          for (const [q, want] of [[0, ref], [1, refOther], [2, ref]] as const) {
            expect(sameBits(want.ds[0], wasm.ds[q])).toBe(true);
            expect(sameBits(want.es[0], wasm.es[q])).toBe(true);
          }
        }
        const eigRef = withKernels('reference', () => tridiagonalEigenvalues(m, n));
        const eigWasm = withKernels('wasm', () => tridiagonalEigenvalues(m, n));
        expect(sameBits(eigRef, eigWasm)).toBe(true);
      }),
      120,
    );
  });

  it('the bit-for-bit check is sensitive: the same sums in another order are caught', () => {
    // Summing the gradient's patterns in reverse is exact in real arithmetic but not in float64:
    // sameBits must see the difference, or the properties above could not fail.
    const arch = makeArchitecture({ d: 7, h: 9, L: 2 });
    const P = 64;
    const theta = perturbedParameters(arch, 3);
    const { x } = gaussianData(P, arch.d, 3);
    const net = netOf(arch);
    const tr = forwardTraceReference(net, theta, x, P);
    const fwd = Int32Array.from({ length: P }, (_, i) => i);
    const rev = fwd.slice().reverse();
    const c = Float64Array.from(fwd, (i) => Math.sin(i + 1));
    const g1 = weightedGradientReference(net, tr, sensitivitiesReference(net, theta, tr, fwd), c);
    const g2 = weightedGradientReference(net, tr, sensitivitiesReference(net, theta, tr, rev), c.slice().reverse());
    let maxRel = 0;
    for (let i = 0; i < g1.length; i++) maxRel = Math.max(maxRel, Math.abs(g1[i] - g2[i]) / (Math.abs(g1[i]) + 1e-300));
    expect(maxRel).toBeLessThan(1e-12); // the same gradient ...
    expect(sameBits(g1, g2)).toBe(false); // ... but not the same bits
  });

  it('leaves the linear memory as it found it and survives growth', () => {
    const arena = wasmArena()!;
    const before = arena.mark();
    const arch = makeArchitecture({ d: 10, h: 40, L: 2 });
    const P = 3000; // about 1 MB per layer: forces the memory to grow on a fresh instance
    const theta = perturbedParameters(arch, 1);
    const { x } = gaussianData(P, arch.d, 1);
    const t = forwardTraceWasm(arena, kernelTeam(arena), netOf(arch), theta, x, P);
    expect(arena.mark()).toBe(before);
    expect(sameBits(t.f, forwardTraceReference(netOf(arch), theta, x, P).f)).toBe(true);
  });

  // both variables are read once per thread, at first use: their parsers are checked directly
  it('addresses above 2 GiB: the arena aligns and grows past them, and refuses beyond 4 GiB', () => {
    // alignment once used 32-bit bitwise operators, which wrapped an address past 2 GiB to a negative
    // number: the memory did not grow and H0 at Ntot 16000 read out of bounds
    const arena = wasmArena()!;
    const mark = arena.mark();
    try {
      arena.alloc(2 ** 31 / 8 + 3); // untouched pages cost no memory
      const p = arena.alloc(2);
      expect(p).toBeGreaterThan(2 ** 31);
      expect(p % 128).toBe(0);
      expect(arena.k.memory.buffer.byteLength).toBeGreaterThanOrEqual(p + 16);
      arena.k.poke(p + 8, 2.5);
      expect(arena.f64(p, 2)[1]).toBe(2.5);
      expect(() => arena.alloc(2 ** 32 / 8)).toThrow(/beyond the 4 GiB WASM32 can hold/);
    } finally {
      arena.release(mark);
    }
  });

  it('JAMMING_THREADS rejects an unknown thread count by name', () => {
    expect(() => parseThreads('8')).toThrow(/JAMMING_THREADS.*"8".*1, 2 or auto/s);
    expect([parseThreads('1'), parseThreads('2')]).toEqual([1, 2]);
  });

  it('JAMMING_KERNELS rejects an unknown backend by name', () => {
    expect(() => parseKernelsChoice('gpu')).toThrow(/JAMMING_KERNELS.*gpu.*wasm, reference or auto/s);
    expect(['', 'auto', 'wasm', 'reference'].map(parseKernelsChoice)).toEqual(['auto', 'auto', 'wasm', 'reference']);
  });

  it('the choice is made once per thread: changing JAMMING_KERNELS afterwards changes nothing, withKernels still does', () => {
    expect(kernelsName()).toBe('wasm');
    const prev = process.env.JAMMING_KERNELS;
    process.env.JAMMING_KERNELS = 'gpu';
    try {
      expect(kernelsName()).toBe('wasm');
      expect(withKernels('reference', () => kernelsName())).toBe('reference');
      expect(kernelsName()).toBe('wasm');
    } finally {
      if (prev === undefined) delete process.env.JAMMING_KERNELS;
      else process.env.JAMMING_KERNELS = prev;
    }
  });
});

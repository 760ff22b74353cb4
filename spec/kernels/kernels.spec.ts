import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assertProperty } from '../util/fc.ts';
import { activationArb, gaussianData, perturbedParameters } from '../util/arbitraries.ts';
import { makeArchitecture } from '../../src/model/architecture.ts';
import { forwardTraceReference } from '../../src/model/forward.ts';
import { sensitivitiesReference, weightedGradientReference } from '../../src/model/backward.ts';
import { forwardTraceWasm } from '../../src/model/forward.wasm.ts';
import { sensitivitiesWasm, weightedGradientWasm } from '../../src/model/backward.wasm.ts';
import { hessianSplit } from '../../src/loss/hessian.ts';
import { evaluate } from '../../src/loss/objective.ts';
import { makeLoss } from '../../src/loss/losses.ts';
import { tridiagonalEigenvalues } from '../../src/analyse/tridiagonal.ts';
import { kernelBackend, withKernels, wasmArena } from '../../src/kernels/backend.ts';
import { createRng } from '../../src/util/prng.ts';

/**
 * The WASM SIMD kernels against the plain-TS reference loops (issue 5). The kernels accumulate each
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

const caseArb = fc.record({ arch: wideArch, P: fc.integer({ min: 1, max: 23 }), seed: fc.integer({ min: 0, max: 1e6 }), keep: fc.double({ min: 0, max: 1, noNaN: true }) });

function subset(P: number, keep: number, seed: number): Int32Array {
  const rng = createRng(seed + 1);
  return Int32Array.from({ length: P }, (_, i) => i).filter(() => rng.uniform() < keep);
}

describe('WASM kernels', () => {
  it('are built by npm ci and picked by default (JAMMING_KERNELS unset)', () => {
    expect(wasmArena()).not.toBeNull();
    expect(kernelBackend()).toBe('wasm');
  });

  it('forward, sensitivities and gradient are bit-identical to the reference loops', () => {
    const arena = wasmArena()!;
    assertProperty(
      fc.property(caseArb, ({ arch, P, seed, keep }) => {
        const theta = perturbedParameters(arch, seed);
        const { x } = gaussianData(P, arch.d, seed);
        const tr = forwardTraceReference(arch, theta, x, P);
        const tw = forwardTraceWasm(arena, arch, theta, x, P);
        expect(sameBits(tr.f, tw.f)).toBe(true);
        for (let l = 1; l < tr.z.length; l++) expect(sameBits(tr.z[l], tw.z[l]) && sameBits(tr.a[l], tw.a[l])).toBe(true);
        const patterns = subset(P, keep, seed);
        const sr = sensitivitiesReference(arch, theta, tr, patterns);
        const sw = sensitivitiesWasm(arena, arch, theta, tw, patterns);
        for (let l = 1; l <= arch.L + 1; l++) expect(sameBits(sr.G[l], sw.G[l])).toBe(true);
        for (let l = 1; l <= arch.L; l++) expect(sameBits(sr.E[l], sw.E[l])).toBe(true);
        const rng = createRng(seed + 2);
        const c = Float64Array.from(patterns, () => (rng.uniform() < 0.2 ? 0 : rng.normal()));
        expect(sameBits(weightedGradientReference(arch, tr, sr, c), weightedGradientWasm(arena, arch, tw, sw, c))).toBe(true);
      }),
      60,
    );
  });

  it('H0, Hp and H are bit-identical to the reference loops', () => {
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
  });

  it('the Householder reduction and the eigenvalues are bit-identical to the reference', () => {
    assertProperty(
      fc.property(fc.integer({ min: 1, max: 41 }), fc.integer({ min: 0, max: 1e6 }), fc.boolean(), (n, seed, sparse) => {
        const rng = createRng(seed);
        const m = new Float64Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) m[i * n + j] = m[j * n + i] = sparse && rng.uniform() < 0.6 ? 0 : rng.normal();
        const eigRef = withKernels('reference', () => tridiagonalEigenvalues(m, n));
        const eigWasm = withKernels('wasm', () => tridiagonalEigenvalues(m, n));
        expect(sameBits(eigRef, eigWasm)).toBe(true);
      }),
      60,
    );
  });

  it('the bit-for-bit check is sensitive: the same sums in another order are caught', () => {
    // Summing the gradient's patterns in reverse is exact in real arithmetic but not in float64:
    // sameBits must see the difference, or the properties above could not fail.
    const arch = makeArchitecture({ d: 7, h: 9, L: 2 });
    const P = 64;
    const theta = perturbedParameters(arch, 3);
    const { x } = gaussianData(P, arch.d, 3);
    const tr = forwardTraceReference(arch, theta, x, P);
    const fwd = Int32Array.from({ length: P }, (_, i) => i);
    const rev = fwd.slice().reverse();
    const c = Float64Array.from(fwd, (i) => Math.sin(i + 1));
    const g1 = weightedGradientReference(arch, tr, sensitivitiesReference(arch, theta, tr, fwd), c);
    const g2 = weightedGradientReference(arch, tr, sensitivitiesReference(arch, theta, tr, rev), c.slice().reverse());
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
    const t = forwardTraceWasm(arena, arch, theta, x, P);
    expect(arena.mark()).toBe(before);
    expect(sameBits(t.f, forwardTraceReference(arch, theta, x, P).f)).toBe(true);
  });

  it('JAMMING_KERNELS rejects an unknown backend by name', () => {
    const prev = process.env.JAMMING_KERNELS;
    process.env.JAMMING_KERNELS = 'gpu';
    try {
      expect(() => wasmArena()).toThrow(/JAMMING_KERNELS.*gpu.*wasm, reference or auto/s);
    } finally {
      if (prev === undefined) delete process.env.JAMMING_KERNELS;
      else process.env.JAMMING_KERNELS = prev;
    }
  });
});

import { describe, expect, it } from 'vitest';
import { makeArchitecture, layout } from '../../src/model/architecture.ts';
import { estimateRunMemory, MAX_HESSIAN_NTOT, requireMemory } from '../../src/run/memory.ts';
import { InputError } from '../../src/util/errors.ts';

const COUNTS = { spectra: 'counts', deltas: false, testError: false } as const;
const NONE = { spectra: 'none', deltas: false, testError: false } as const;
const PLENTY = 1e15; // bytes: only the WASM32 ceiling can refuse

describe('memory of one run, refused before any work', () => {
  it('counts the Hessian five times Ntot^2 float64 when spectra are asked for, and not otherwise', () => {
    const arch = makeArchitecture({ d: 51, h: 51, L: 3 });
    const { Ntot } = layout(arch);
    const withH = estimateRunMemory(arch, 20_000, COUNTS);
    const without = estimateRunMemory(arch, 20_000, NONE);
    expect(withH.parts.hessian).toBe(8 * 5 * Ntot * Ntot);
    expect(without.parts.hessian).toBe(0);
    expect(withH.bytes - without.bytes).toBe(withH.parts.hessian);
  });

  it('refuses a run larger than the memory it may use, naming the sizes and the parts', () => {
    const arch = makeArchitecture({ d: 100_000, h: 4, L: 1 });
    expect(() => requireMemory(arch, 10_000_000, NONE, 20e9)).toThrow(InputError);
    expect(() => requireMemory(arch, 10_000_000, NONE, 20e9)).toThrow(/size \(P, d, h, L\): got "P = 10000000, d = 100000, h = 4, L = 1"; allowed: a run that fits in 20\.0 GB .*data 8\.00 TB/);
  });

  it(`refuses spectra at Ntot above ${MAX_HESSIAN_NTOT}, whose matrix cannot fit WASM32's 4 GiB, however much memory the machine has`, () => {
    // d = h = 85, L = 3: Ntot 22016, inside; h = 86: 22533, outside
    const inside = makeArchitecture({ d: 85, h: 85, L: 3 });
    const outside = makeArchitecture({ d: 86, h: 86, L: 3 });
    expect(layout(inside).Ntot).toBeLessThanOrEqual(MAX_HESSIAN_NTOT);
    expect(layout(outside).Ntot).toBeGreaterThan(MAX_HESSIAN_NTOT);
    expect(() => requireMemory(inside, 1000, COUNTS, PLENTY)).not.toThrow();
    expect(() => requireMemory(outside, 1000, COUNTS, PLENTY)).toThrow(/allowed: a run whose Hessian the eigensolver can hold: Ntot <= 22434 .*this one has Ntot = 22533 and needs its Hessian/);
    // without spectra the same network trains
    expect(() => requireMemory(outside, 1000, NONE, PLENTY)).not.toThrow();
  });
});

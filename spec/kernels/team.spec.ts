import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assertProperty } from '../support/fc.ts';
import { wasmArena } from '../../src/kernels/select.ts';
import { CONTROL_BYTES, pairTeam, soloTeam, splitRange } from '../../src/kernels/team.ts';

/**
 * The kernel team (src/kernels/team.ts): how work is shared between this thread and a helper. The
 * bit-identity of whole operations on 1 and 2 threads is checked in kernels.spec.ts; here, the
 * split itself and the hand-off's failure modes.
 */
describe('kernel team', () => {
  it('splitRange covers [0, n) in order, in parts that differ in size by at most one', () => {
    assertProperty(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 8 }), (n, parts) => {
        const r = splitRange(n, parts);
        expect(r.length).toBe(parts);
        expect(r[0][0]).toBe(0);
        expect(r[parts - 1][1]).toBe(n);
        for (let t = 1; t < parts; t++) expect(r[t][0]).toBe(r[t - 1][1]);
        const sizes = r.map(([a, b]) => b - a);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('a pair runs both parts, reports a kernel that failed on the helper, and refuses what it cannot post', () => {
    const arena = wasmArena()!;
    const mark = arena.mark();
    // its own control block: the cached team of this thread keeps the arena's
    const team = pairTeam(arena.k, arena.alloc(CONTROL_BYTES, 1));
    try {
      const buf = arena.alloc(8);
      arena.f64(buf, 8).fill(7);
      team.run([[['zero', buf, 4]], [['zero', buf + 32, 4]]]);
      expect(Array.from(arena.f64(buf, 8))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
      // beyond the end of the memory: the helper traps, and the caller hears of it
      expect(() => team.run([[], [['zero', 0xfffffff0, 1024]]])).toThrow(/failed on the helper thread/);
      team.run([[['zero', buf, 1]], [['zero', buf + 8, 1]]]); // and the pair still works after it
      const tooLong = Array.from({ length: CONTROL_BYTES / 16 }, () => ['zero', buf, 1] as const);
      expect(() => team.run([[], tooLong])).toThrow(/longer than the control block/);
      expect(() => team.run([[], [['noSuchKernel' as 'zero', buf, 1]]])).toThrow(/no kernel named noSuchKernel/);
      expect(() => team.run([[], [], []])).toThrow(/3 parts for 2 threads/);
    } finally {
      team.close();
      arena.release(mark);
    }
    expect(() => team.run([[], [['zero', 0, 0]]])).toThrow(/after close/);
  });

  it('a team of one runs its parts in order on this thread', () => {
    const arena = wasmArena()!;
    const team = soloTeam(arena.k);
    expect(team.split(5)).toEqual([[0, 5]]);
    const mark = arena.mark();
    try {
      const buf = arena.put([1, 2, 3]);
      team.run([[['zero', buf, 1]], [['zero', buf + 8, 1]]]);
      expect(Array.from(arena.f64(buf, 3))).toEqual([0, 0, 3]);
    } finally {
      arena.release(mark);
    }
  });
});

import type { Arena } from '../arena.ts';
import type { KernelCall, Team } from '../team.ts';
import { KERNEL_WASM_BYTES } from '../module.ts';

/**
 * The Householder reduction on the WASM kernels (bit-identical to the reference: see
 * src/kernels/assembly/tridiagonal.ts), of several matrices at once where the team has threads and
 * linear memory has room (H and Hp at Ntot 8000 on two threads; one at a time from Ntot ~ 16000):
 * each reduction runs whole on one thread, so the bits do not depend on the grouping.
 */
export function householderWasm(arena: Arena, team: Team, ms: readonly Float64Array[], n: number, ds: readonly Float64Array[], es: readonly Float64Array[]): void {
  const each = 8 * (n * n + 4 * n) + 256;
  const together = Math.max(1, Math.min(team.size, ms.length, Math.floor((KERNEL_WASM_BYTES - arena.mark()) / each)));
  for (let g = 0; g < ms.length; g += together) {
    const mark = arena.mark();
    try {
      const group = ms.slice(g, g + together).map((m) => {
        const a = arena.put(m);
        // e[0] couples nothing and is never written: 0, as the reference leaves it
        return { a, d: arena.alloc(n), e: arena.zeros(n), p: arena.alloc(n), p2: arena.alloc(n) };
      });
      team.run(group.map((b): KernelCall[] => [['householderTridiagonal', b.a, n, b.d, b.e, b.p, b.p2]]));
      group.forEach((b, q) => {
        ds[g + q].set(arena.f64(b.d, n));
        es[g + q].set(arena.f64(b.e, n));
      });
    } finally {
      arena.release(mark);
    }
  }
}

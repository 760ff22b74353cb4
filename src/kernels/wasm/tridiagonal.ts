import type { Arena } from '../arena.ts';

/** The Householder reduction on the WASM kernels (bit-identical to the reference: see src/kernels/assembly/tridiagonal.ts). */
export function householderWasm(arena: Arena, m: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  const mark = arena.mark();
  try {
    const a = arena.put(m);
    const dp = arena.alloc(n);
    const ep = arena.zeros(n); // e[0] couples nothing and is never written: 0, as the reference leaves it
    const p = arena.alloc(n);
    const p2 = arena.alloc(n);
    arena.k.householderTridiagonal(a, n, dp, ep, p, p2);
    d.set(arena.f64(dp, n));
    e.set(arena.f64(ep, n));
  } finally {
    arena.release(mark);
  }
}

import { MAX_PAGES, type KernelExports } from './module.ts';
import { CONTROL_BYTES } from './team.ts';

const PAGE = 65536;
const ALIGN = 128;

/**
 * A stack allocator over the kernels' linear memory. Allocate every buffer of an operation first,
 * then take views: growing the memory detaches earlier views. `release(mark)` frees everything
 * allocated after `mark`, so an operation leaves the memory as it found it (no allocation in the
 * hot loops, and no leak across the many evaluations of a training run).
 */
export class Arena {
  private top: number;
  /** CONTROL_BYTES below the stack, kept for the kernel team's hand-offs (team.ts) */
  readonly control: number;
  constructor(readonly k: KernelExports) {
    this.top = align(k.heapBase());
    this.control = this.alloc(CONTROL_BYTES, 1);
  }

  mark(): number {
    return this.top;
  }

  release(mark: number): void {
    this.top = mark;
  }

  /**
   * Bytes for n float64 (or n int32 with bytesPer = 4, or bytes with 1), 128-byte aligned at both
   * ends, so that the buffers of a team's two threads (their scratch, the outputs they write) never
   * share a cache line or the pair of lines the prefetcher fetches together; contents undefined.
   */
  alloc(n: number, bytesPer = 8): number {
    const ptr = this.top;
    const end = align(ptr + n * bytesPer);
    if (end > MAX_PAGES * PAGE) throw new Error(`kernels: ${end} bytes of linear memory asked for, beyond the 4 GiB WASM32 can hold (the run's sizes should have been refused before: src/run/memory.ts)`);
    const have = this.k.memory.buffer.byteLength;
    if (end > have) this.k.memory.grow(Math.ceil((end - have) / PAGE));
    this.top = end;
    return ptr;
  }

  /** Allocates and copies a float64 array in. */
  put(a: ArrayLike<number>): number {
    const ptr = this.alloc(a.length);
    this.f64(ptr, a.length).set(a);
    return ptr;
  }

  /** Allocates and copies an int32 array in. */
  putInt32(a: Int32Array): number {
    const ptr = this.alloc(a.length, 4);
    this.i32(ptr, a.length).set(a);
    return ptr;
  }

  /** Allocates n float64 set to zero. */
  zeros(n: number): number {
    const ptr = this.alloc(n);
    this.k.zero(ptr, n);
    return ptr;
  }

  /** A view valid until the next allocation that grows the memory. */
  f64(ptr: number, n: number): Float64Array {
    return new Float64Array(this.k.memory.buffer, ptr, n);
  }

  i32(ptr: number, n: number): Int32Array {
    return new Int32Array(this.k.memory.buffer, ptr, n);
  }

  /** A copy out of linear memory. */
  read(ptr: number, n: number): Float64Array {
    return this.f64(ptr, n).slice();
  }
}

/** 128-byte alignment (see alloc) in float64 arithmetic: JS bitwise operators are 32-bit signed and would wrap addresses above 2 GiB. */
function align(p: number): number {
  return Math.ceil(p / ALIGN) * ALIGN;
}

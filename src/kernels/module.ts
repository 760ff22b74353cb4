import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The compiled WASM SIMD kernels (src/kernels/assembly, built into build/kernels.wasm by
 * `npm run build:kernels`, which npm ci runs through `prepare`). Each thread that runs operations
 * has its own memory (each worker of a sweep, so runs in parallel never share state), shared only
 * with its own helper thread (team.ts).
 */
export interface KernelExports {
  /** shared, so that a helper thread can run kernels on the same buffers (src/kernels/team.ts) */
  readonly memory: WebAssembly.Memory;
  readonly module: WebAssembly.Module;
  heapBase(): number;
  denseForward(Z: number, A: number, idx: number, rows: number, WT: number, inDim: number, outDim: number, bias: number, mode: number): void;
  denseBackward(E: number, W: number, GW: number, U: number, GU: number, rows: number, outDim: number, inDim: number): void;
  outerAccumulate(OUT: number, GA: number, A: number, idxA: number, GB: number, B: number, idxB: number, rows: number, outDim: number, inDim: number, upper: number): void;
  columnSums(dst: number, G: number, rows: number, cols: number): void;
  transpose(WT: number, W: number, outDim: number, inDim: number): void;
  mulInto(dst: number, a: number, b: number, n: number): void;
  addProduct3(dst: number, a: number, b: number, c: number, n: number): void;
  zero(dst: number, n: number): void;
  poke(p: number, v: number): void;
  memoryPages(): number;
  reluForward(dst: number, src: number, n: number): void;
  reluBackward(dst: number, z: number, idx: number, e: number, rows: number, width: number): void;
  scaleRows(dst: number, c: number, G: number, rows: number, cols: number): void;
  accumulateRows(out: number, init: number, n: number, ptrs: number, s: number, m: number): void;
  allFinite(p: number, n: number): number;
  denseForwardSkip(Z: number, A: number, idx: number, rows: number, WT: number, inDim: number, outDim: number, bias: number, ptrs: number, s: number): void;
  denseBackwardSkip(E: number, W: number, G: number, rows: number, outDim: number, inDim: number, ptrs: number, s: number): void;
  weightGradientSkip(dW: number, db: number, c: number, G: number, A: number, idx: number, rows: number, outDim: number, inDim: number, oBegin: number, oEnd: number, counts: number, ptrs: number, s: number, tmp: number, chunk: number): void;
  householderTridiagonal(a: number, n: number, d: number, e: number, p: number, p2: number): void;
  gramUpper(M: number, WJ: number, J: number, k: number, i0: number, i1: number, p0: number, p1: number, ldm: number): void;
}

export const KERNELS_FILE = fileURLToPath(new URL('../../build/kernels.wasm', import.meta.url));

/** The most linear memory the kernels may use: 65536 pages of 64 KiB, the 4 GiB of WASM32. */
export const MAX_PAGES = 65536;

/** Bytes of linear memory one operation may take: the 4 GiB of WASM32 less 256 MiB for the rest of the run. */
export const KERNEL_WASM_BYTES = MAX_PAGES * 65536 - (256 << 20);

/** Instantiates build/kernels.wasm on a fresh shared memory, or returns null when it has not been built. */
export function loadKernelModule(file = KERNELS_FILE): KernelExports | null {
  if (!existsSync(file)) return null;
  const module = new WebAssembly.Module(readFileSync(file));
  return instantiateKernels(module, new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: true }));
}

/** One instance of the kernels on the given memory (a helper thread makes its own on the caller's memory). */
export function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  return { ...exports, memory, module } as unknown as KernelExports;
}

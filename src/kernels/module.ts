import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The compiled WASM SIMD kernels (src/kernels/assembly, built into build/kernels.wasm by
 * `npm run build:kernels`, which npm ci runs through `prepare`). One instance per thread: each
 * worker of a sweep gets its own memory, so runs in parallel never share state.
 */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  denseForward(Z: number, A: number, idx: number, rows: number, WT: number, inDim: number, outDim: number, bias: number, mode: number): void;
  denseBackward(E: number, W: number, GW: number, U: number, GU: number, rows: number, outDim: number, inDim: number): void;
  outerAccumulate(OUT: number, GA: number, A: number, idxA: number, GB: number, B: number, idxB: number, rows: number, outDim: number, inDim: number, upper: number): void;
  columnSums(dst: number, G: number, rows: number, cols: number): void;
  transpose(WT: number, W: number, outDim: number, inDim: number): void;
  mulInto(dst: number, a: number, b: number, n: number): void;
  addProduct3(dst: number, a: number, b: number, c: number, n: number): void;
  zero(dst: number, n: number): void;
  reluForward(dst: number, src: number, n: number): void;
  reluBackward(dst: number, z: number, idx: number, e: number, rows: number, width: number): void;
  scaleRows(dst: number, c: number, G: number, rows: number, cols: number): void;
  householderTridiagonal(a: number, n: number, d: number, e: number, p: number): void;
}

export const KERNELS_FILE = fileURLToPath(new URL('../../build/kernels.wasm', import.meta.url));

/** Instantiates build/kernels.wasm, or returns null when it has not been built. */
export function loadKernelModule(file = KERNELS_FILE): KernelExports | null {
  if (!existsSync(file)) return null;
  const module = new WebAssembly.Module(readFileSync(file));
  return new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
}

import { InputError } from '../util/errors.ts';
import { Arena } from './arena.ts';
import { loadKernelModule, KERNELS_FILE } from './module.ts';

/**
 * Which implementation runs the dense products (tfjs-core's split of ops from backends):
 *   wasm       the SIMD kernels of build/kernels.wasm (the default once built)
 *   reference  the plain-TS loops in src/model, src/loss and src/analyse
 * Both give bit-identical results (spec/kernels), so the choice changes speed, never a number.
 * JAMMING_KERNELS=wasm|reference|auto picks one (auto: wasm when built, else reference).
 */
export type KernelBackend = 'wasm' | 'reference';

let arena: Arena | null | undefined;
let forced: KernelBackend | 'auto' | undefined;

/** The wasm arena of this thread, or null when the reference loops are to be used. */
export function wasmArena(): Arena | null {
  const want = forced ?? requested();
  if (want === 'reference') return null;
  if (arena === undefined) {
    const k = loadKernelModule();
    arena = k ? new Arena(k) : null;
  }
  if (arena === null && want === 'wasm') {
    throw new InputError('JAMMING_KERNELS', 'wasm', `a built ${KERNELS_FILE} (run npm run build:kernels)`);
  }
  return arena;
}

export function kernelBackend(): KernelBackend {
  return wasmArena() ? 'wasm' : 'reference';
}

/** Runs f with JAMMING_KERNELS overridden in this thread (specs and benches compare the two), then restores it. */
export function withKernels<T>(choice: KernelBackend, f: () => T): T {
  const prev = forced;
  forced = choice;
  try {
    return f();
  } finally {
    forced = prev;
  }
}

function requested(): KernelBackend | 'auto' {
  const v = process.env.JAMMING_KERNELS;
  if (v === undefined || v === '' || v === 'auto') return 'auto';
  if (v === 'wasm' || v === 'reference') return v;
  throw new InputError('JAMMING_KERNELS', v, 'wasm, reference or auto');
}

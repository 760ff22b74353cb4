import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { KernelExports } from '../module.ts';
import { CALLS, CONTROL_BYTES, encodeTasks, kernelNames, type KernelCall, type Team } from '../team.ts';

/**
 * The native team: the same task lists as the WASM team (team.ts), run by C kernels
 * (kernels.c, built into build/kernels-native.node by `npm run build:native`, which npm ci runs
 * through `prepare`) on this thread and, for a team of two, one POSIX helper thread, on the WASM
 * kernels' own linear memory. The C kernels make the WASM kernels' operations in the same order,
 * with vectors as wide as the CPU has (AVX-512 on this machine against WASM's 128 bits), so a
 * result is the same bit for bit (spec/kernels) and only the time changes. A task list naming a
 * kernel that has no C version (the Hessian's Gram and Householder kernels) goes to `fallback`.
 */
export const NATIVE_FILE = fileURLToPath(new URL('../../../build/kernels-native.node', import.meta.url));

interface NativeAddon {
  createTeam(memory: Uint8Array, names: readonly string[], threads: number): object;
  share(team: object, callsOffset: number, memoryBytes: number, memory?: Uint8Array): void;
  hasKernel(name: string): boolean;
  close(team: object): void;
}

let addon: NativeAddon | null | undefined;
/** why the built addon did not load, when it did not (said by JAMMING_TEAM=native's error) */
export let nativeLoadError = '';

/** The built addon, or null when it has not been built (or does not load here); another file (a spec's) is loaded uncached. */
export function loadNativeAddon(file = NATIVE_FILE, cache = file === NATIVE_FILE): NativeAddon | null {
  if (cache && addon !== undefined) return addon;
  let a: NativeAddon | null = null;
  if (existsSync(file)) {
    try {
      a = createRequire(import.meta.url)(file) as NativeAddon;
    } catch (e) {
      a = null;
      if (cache) nativeLoadError = (e as Error).message;
    }
  }
  if (cache) addon = a;
  return a;
}

export function nativeTeam(native: NativeAddon, k: KernelExports, control: number, threads: 1 | 2, fallback: () => Team): Team {
  const names = kernelNames(k);
  const index = new Map(names.map((n, i) => [n, i]));
  const supported = new Set<string>(names.filter((n) => native.hasKernel(n)));
  let buffer = k.memory.buffer;
  const handle = native.createTeam(new Uint8Array(buffer), names, threads);
  let closed = false;
  const calls = () => new Float64Array(k.memory.buffer, control + CALLS, (CONTROL_BYTES - CALLS) / 8);
  const share = (tasks: readonly (readonly KernelCall[])[]): void => {
    if (closed) throw new Error('kernel team: run after close');
    for (let t = 0; t < tasks.length; t++) {
      const task = tasks[t];
      for (let c = 0; c < task.length; c++) if (!supported.has(task[c][0])) return fallback().share(tasks);
    }
    encodeTasks(calls(), tasks, index);
    // after the memory grew, the addon checks that its base address did not move
    if (k.memory.buffer !== buffer) {
      buffer = k.memory.buffer;
      native.share(handle, control + CALLS, buffer.byteLength, new Uint8Array(buffer));
    } else native.share(handle, control + CALLS, buffer.byteLength);
  };
  return {
    size: threads,
    // parts write disjoint outputs, so which thread runs which part changes no bit
    run: share,
    share,
    close() {
      if (closed) return;
      closed = true;
      native.close(handle);
    },
  };
}

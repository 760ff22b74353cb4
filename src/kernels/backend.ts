import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { InputError } from '../util/errors.ts';
import { Arena } from './arena.ts';
import { loadKernelModule, KERNELS_FILE } from './module.ts';
import { pairTeam, soloTeam, type Team } from './team.ts';

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

/**
 * How many threads run one operation's kernels: JAMMING_THREADS=1|2|auto. auto is 2 on the main
 * thread of a machine with 2 or more cores, and 1 in a worker thread: a sweep already runs one run
 * per core, and a run's threads must not fight the pool's (issue 5). Results do not depend on it.
 */
export type ThreadChoice = 1 | 2;
let forcedThreads: ThreadChoice | undefined;
const teams = new Map<ThreadChoice, Team>();

/** The team for this thread's operations on the given arena. */
export function kernelTeam(a: Arena): Team {
  const size = forcedThreads ?? requestedThreads();
  let team = teams.get(size);
  if (!team) {
    team = size === 2 ? pairTeam(a.k, a.control) : soloTeam(a.k);
    teams.set(size, team);
  }
  return team;
}

/** Runs f with JAMMING_THREADS overridden in this thread, then restores it. */
export function withThreads<T>(threads: ThreadChoice, f: () => T): T {
  const prev = forcedThreads;
  forcedThreads = threads;
  try {
    return f();
  } finally {
    forcedThreads = prev;
  }
}

function requestedThreads(): ThreadChoice {
  const v = process.env.JAMMING_THREADS;
  if (v === undefined || v === '' || v === 'auto') return isMainThread && availableParallelism() >= 2 ? 2 : 1;
  if (v === '1' || v === '2') return Number(v) as ThreadChoice;
  throw new InputError('JAMMING_THREADS', v, '1, 2 or auto');
}

function requested(): KernelBackend | 'auto' {
  const v = process.env.JAMMING_KERNELS;
  if (v === undefined || v === '' || v === 'auto') return 'auto';
  if (v === 'wasm' || v === 'reference') return v;
  throw new InputError('JAMMING_KERNELS', v, 'wasm, reference or auto');
}

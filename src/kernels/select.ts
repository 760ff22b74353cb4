import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { InputError } from '../util/errors.ts';
import { Arena } from './arena.ts';
import { loadKernelModule, KERNELS_FILE } from './module.ts';
import { pairTeam, soloTeam, type Team } from './team.ts';
import { loadNativeAddon, nativeLoadError, nativeTeam, NATIVE_FILE } from './native/team.ts';
import type { Kernels } from './types.ts';
import { referenceKernels } from './reference/index.ts';
import { wasmKernels } from './wasm/index.ts';

/**
 * Which implementation of the Kernels interface runs the dense products (tfjs-core's split of ops
 * from backends):
 *   wasm       the SIMD kernels of build/kernels.wasm (the default once built), src/kernels/wasm
 *   reference  the plain-TS loops of src/kernels/reference
 * Both give bit-identical results (spec/kernels), so the choice changes speed, never a number.
 * JAMMING_KERNELS=wasm|reference|auto picks one (auto: wasm when built, else reference). It is read
 * once, at the first operation of a thread, and the choice is kept for the thread's lifetime.
 */
export type KernelsName = 'wasm' | 'reference';

let arena: Arena | null | undefined;
let wasm: Kernels | undefined;
let chosen: Kernels | undefined;
let forced: KernelsName | undefined;
let requestedBackend: KernelsName | 'auto' | undefined;

/** This thread's implementation: the one withKernels forces, else the one JAMMING_KERNELS picked. */
export function kernels(): Kernels {
  if (forced !== undefined) return resolve(forced);
  return (chosen ??= resolve((requestedBackend ??= parseKernelsChoice(process.env.JAMMING_KERNELS))));
}

function resolve(want: KernelsName | 'auto'): Kernels {
  if (want === 'reference') return referenceKernels;
  if (arena === undefined) {
    const k = loadKernelModule();
    arena = k ? new Arena(k) : null;
  }
  if (arena === null) {
    if (want === 'wasm') throw new InputError('JAMMING_KERNELS', 'wasm', `a built ${KERNELS_FILE} (run npm run build:kernels)`);
    return referenceKernels;
  }
  const a = arena;
  return (wasm ??= wasmKernels(a, () => kernelTeam(a)));
}

/** The wasm arena of this thread, or null when the reference loops are in use. */
export function wasmArena(): Arena | null {
  return kernels().name === 'wasm' ? arena! : null;
}

export function kernelsName(): KernelsName {
  return kernels().name;
}

/** What runs this thread's dense products, in words (provenance, bench notes). */
export function kernelsDescription(): string {
  if (kernelsName() === 'reference') return 'the plain-TS reference loops';
  return teamKind() === 'native' ? 'the C kernels (native team; the WASM kernels\' operations and bits)' : 'the WASM SIMD kernels';
}

/** Runs f with JAMMING_KERNELS overridden in this thread (specs and benches compare the two), then restores it. */
export function withKernels<T>(choice: KernelsName, f: () => T): T {
  const prev = forced;
  forced = choice;
  try {
    return f();
  } finally {
    forced = prev;
  }
}

/** JAMMING_KERNELS's value as a choice; an unknown value is an InputError naming it. */
export function parseKernelsChoice(v: string | undefined): KernelsName | 'auto' {
  if (v === undefined || v === '' || v === 'auto') return 'auto';
  if (v === 'wasm' || v === 'reference') return v;
  throw new InputError('JAMMING_KERNELS', v, 'wasm, reference or auto');
}

/**
 * How many threads run one operation's kernels: JAMMING_THREADS=1|2|auto, read once per thread.
 * auto is 2 on the main thread of a machine with 2 or more cores, and 1 in a worker thread: a sweep
 * already runs one run per core, and a run's threads must not fight the pool's. Results do not
 * depend on it.
 */
export type ThreadChoice = 1 | 2;
let forcedThreads: ThreadChoice | undefined;
let requestedThreads: ThreadChoice | undefined;

/**
 * Who runs the WASM path's kernel calls (src/kernels/native/team.ts): JAMMING_TEAM=native|wasm|auto,
 * read once per thread. native is the C build of the same kernels (build/kernels-native.node), wasm
 * the WebAssembly module; auto takes native when it is built. Both give the same bits (spec/kernels).
 */
export type TeamKind = 'native' | 'wasm';
let forcedTeamKind: TeamKind | undefined;
let requestedTeamKind: TeamKind | 'auto' | undefined;
const teams = new Map<string, Team>();

/** The team kind this thread's operations use. */
export function teamKind(): TeamKind {
  const want = forcedTeamKind ?? (requestedTeamKind ??= parseTeamChoice(process.env.JAMMING_TEAM));
  if (want === 'wasm') return 'wasm';
  if (loadNativeAddon() === null) {
    if (want === 'native') throw new InputError('JAMMING_TEAM', 'native', nativeLoadError ? `a ${NATIVE_FILE} that loads (it did not: ${nativeLoadError})` : `a built ${NATIVE_FILE} (run npm run build:native)`);
    return 'wasm';
  }
  return 'native';
}

/** The team for this thread's operations on the given arena. */
export function kernelTeam(a: Arena): Team {
  const size = forcedThreads ?? (requestedThreads ??= parseThreads(process.env.JAMMING_THREADS));
  const kind = teamKind();
  const key = `${kind}${size}`;
  let team = teams.get(key);
  if (!team) {
    const wasmTeam = () => {
      let t = teams.get(`wasm${size}`);
      if (!t) teams.set(`wasm${size}`, (t = size === 2 ? pairTeam(a.k, a.control) : soloTeam(a.k)));
      return t;
    };
    team = kind === 'native' ? nativeTeam(loadNativeAddon()!, a.k, a.control, size, wasmTeam) : wasmTeam();
    teams.set(key, team);
  }
  return team;
}

/** Runs f with JAMMING_TEAM overridden in this thread (specs and benches compare the two), then restores it. */
export function withTeamKind<T>(kind: TeamKind, f: () => T): T {
  const prev = forcedTeamKind;
  forcedTeamKind = kind;
  try {
    return f();
  } finally {
    forcedTeamKind = prev;
  }
}

/** JAMMING_TEAM's value as a choice; an unknown value is an InputError naming it. */
export function parseTeamChoice(v: string | undefined): TeamKind | 'auto' {
  if (v === undefined || v === '' || v === 'auto') return 'auto';
  if (v === 'native' || v === 'wasm') return v;
  throw new InputError('JAMMING_TEAM', v, 'native, wasm or auto');
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

/** JAMMING_THREADS's value as a thread count (auto resolved for this thread); an unknown value is an InputError naming it. */
export function parseThreads(v: string | undefined): ThreadChoice {
  if (v === undefined || v === '' || v === 'auto') return isMainThread && availableParallelism() >= 2 ? 2 : 1;
  if (v === '1' || v === '2') return Number(v) as ThreadChoice;
  throw new InputError('JAMMING_THREADS', v, '1, 2 or auto');
}

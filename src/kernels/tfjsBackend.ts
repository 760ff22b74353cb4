import { createRequire } from 'node:module';
import path from 'node:path';
import { InputError } from '../util/errors.ts';

/**
 * Run-time choice of a TensorFlow.js backend, one initialisation per process:
 *   1. 'tensorflow' — @tensorflow/tfjs-node (native libtensorflow), an optionalDependency that may
 *      not have installed (its install downloads libtensorflow); tried by dynamic import.
 *   2. 'wasm'       — @tensorflow/tfjs + @tensorflow/tfjs-backend-wasm. In Node the .wasm binaries
 *      are read from the file system: setWasmPaths gets the installed package's dist/ directory
 *      (resolved with createRequire(import.meta.url).resolve) as a plain file path ending in '/'.
 *   3. 'cpu'        — the pure-JS backend bundled with @tensorflow/tfjs.
 * All three compute in float32 (the project's float64 reference is src/model/forward.ts).
 */

export type TfjsBackendName = 'tensorflow' | 'wasm' | 'cpu';
export const TFJS_BACKENDS: readonly TfjsBackendName[] = ['tensorflow', 'wasm', 'cpu'];

/** The tfjs namespace (tfjs-node re-exports the same API). */
export type Tf = typeof import('@tensorflow/tfjs');

export interface TfjsSelection {
  readonly tf: Tf;
  /** what tf.getBackend() reports */
  readonly backend: string;
}

interface Probe {
  readonly tf: Tf;
  /** backends that initialised successfully, in preference order */
  readonly available: TfjsBackendName[];
  /** why the others did not, for error messages */
  readonly failures: Partial<Record<TfjsBackendName, string>>;
}

let probe: Promise<Probe> | null = null;

/**
 * The tfjs namespace with the best available backend active (tensorflow > wasm > cpu), or the
 * `preferred` one; throws if `preferred` is not available here, naming what is. The probe of the
 * backends (imports, wasm instantiation) runs once per process and is cached; each call only makes
 * sure the chosen backend is the active one (tfjs's active backend is process-global, so asking for
 * a different `preferred` switches it for everyone; a later call without `preferred` switches back).
 */
export async function selectTfjsBackend(preferred?: TfjsBackendName): Promise<TfjsSelection> {
  if (preferred !== undefined && !TFJS_BACKENDS.includes(preferred)) {
    throw new InputError('backend', preferred, TFJS_BACKENDS.join(', '));
  }
  return choose(preferred);
}

/** The backends that initialised on this machine, in preference order (runs the cached probe). */
export async function availableTfjsBackends(): Promise<TfjsBackendName[]> {
  probe ??= probeBackends();
  return [...(await probe).available];
}

async function choose(preferred?: TfjsBackendName): Promise<TfjsSelection> {
  probe ??= probeBackends();
  const { tf, available, failures } = await probe;
  const name = preferred ?? available[0];
  if (name === undefined || !available.includes(name)) {
    const why = name !== undefined && failures[name] ? ` (${failures[name]})` : '';
    throw new Error(
      `tfjs backend '${name ?? preferred}' is not available on this machine${why}; available: ${available.join(', ') || 'none'}`,
    );
  }
  if (tf.getBackend() !== name) {
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`tfjs backend '${name}' failed to initialise; available: ${available.join(', ')}`);
  }
  await tf.ready();
  silenceCpuBanner(tf);
  return { tf, backend: tf.getBackend() };
}

async function probeBackends(): Promise<Probe> {
  const available: TfjsBackendName[] = [];
  const failures: Partial<Record<TfjsBackendName, string>> = {};
  let tf: Tf | null = null;

  // 1. native TensorFlow (tfjs-node). The specifier is a variable so TypeScript does not need the
  // package's types when it is absent.
  try {
    const nodeSpecifier = '@tensorflow/tfjs-node';
    const mod = (await import(nodeSpecifier)) as Tf & { default?: Tf };
    tf = (typeof mod.getBackend === 'function' ? mod : mod.default) ?? null;
    if (tf !== null && (await quiet(() => tf!.setBackend('tensorflow')))) available.push('tensorflow');
    else failures.tensorflow = 'tfjs-node loaded but its backend did not initialise';
  } catch (e) {
    failures.tensorflow = `@tensorflow/tfjs-node not loadable: ${firstLine(e)}`;
  }

  if (tf === null) tf = (await import('@tensorflow/tfjs')) as Tf;

  // 2. WebAssembly
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    // main of the package is dist/tf-backend-wasm.node.js: its directory holds the .wasm files
    const distDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
    wasm.setWasmPaths(distDir);
    if (await quiet(() => tf!.setBackend('wasm'))) available.push('wasm');
    else failures.wasm = 'the wasm backend did not initialise';
  } catch (e) {
    failures.wasm = firstLine(e);
  }

  // 3. plain JavaScript
  try {
    if (await quiet(() => tf!.setBackend('cpu'))) available.push('cpu');
    else failures.cpu = 'the cpu backend did not initialise';
  } catch (e) {
    failures.cpu = firstLine(e);
  }
  return { tf, available, failures };
}

/**
 * tfjs's cpu backend prints "Hi, looks like you are running TensorFlow.js in Node.js ..." on its
 * first tensor write (MathBackendCPU.firstUse). Mark the instance as used so the hint never prints.
 */
function silenceCpuBanner(tf: Tf): void {
  try {
    const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
    if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
  } catch {
    // cosmetic only
  }
}

/** Run an async step with console.warn/console.log quiet (backend initialisation chatter). */
async function quiet<T>(fn: () => Promise<T>): Promise<T> {
  const { warn, log } = console;
  console.warn = () => {};
  console.log = () => {};
  try {
    return await fn();
  } finally {
    console.warn = warn;
    console.log = log;
  }
}

function firstLine(e: unknown): string {
  const s = e instanceof Error ? e.message : String(e);
  return s.split('\n')[0];
}

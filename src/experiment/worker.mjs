// Worker-thread bootstrap for the sweep pool (src/experiment/pool.ts). Plain JavaScript so that
// Node can load it with no loader in place; it then installs tsx's ESM loader in this thread and
// imports the TypeScript run module (src/run/execute.ts). Works the same under the CLI (bin/jamming.js) and vitest.
import { register } from 'tsx/esm/api';

register();
const { executeRun } = await import('../run/execute.ts');

/**
 * One sweep item end to end (train + analyses); piscina calls this with the structured-cloned item.
 * A failure is returned rather than thrown: structured cloning keeps only built-in error names
 * (an InputError would arrive as a plain "Error"), so pool.ts rethrows it with its name intact.
 */
export default async function runTask(item) {
  try {
    return { ok: true, record: (await executeRun(item)).record };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return { ok: false, name: err.name, message: err.message, stack: err.stack };
  }
}

/**
 * Pool warm-up (pool.ts): returns once `workers` warm tasks have arrived, one per thread; by then
 * this module, and so the training code, is loaded here.
 */
export function warm({ counter, workers }) {
  const c = new Int32Array(counter);
  Atomics.add(c, 0, 1);
  Atomics.notify(c, 0);
  const deadline = Date.now() + 120_000;
  for (let seen = Atomics.load(c, 0); seen < workers && Date.now() < deadline; seen = Atomics.load(c, 0)) Atomics.wait(c, 0, seen, 100);
}

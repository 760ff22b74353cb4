import { Worker } from 'node:worker_threads';
import type { KernelExports } from './module.ts';

/**
 * The threads that run one operation's kernels: this thread, plus at most one helper
 * thread on the same shared memory. An operation hands `run` one list of kernel calls per part;
 * the parts write disjoint outputs (rows of a pass, output units or whole layers of a gradient), and each
 * output is still accumulated by one thread in the reference order. So the result is the same
 * bit for bit whatever the number of threads, and size 1 simply runs the parts one after another.
 *
 * Sweeps run one run per core with size 1 (src/kernels/select.ts), so a run's threads never fight
 * the pool's.
 */
export type KernelCall = readonly [name: KernelName, ...args: number[]];

/** Kernels a helper may run: every exported function but the allocator's. */
export type KernelName = Exclude<{ [K in keyof KernelExports]: KernelExports[K] extends (...a: never[]) => void ? K : never }[keyof KernelExports], 'heapBase'>;

export interface Team {
  readonly size: number;
  /** [begin, end) of n items for each part, in order */
  split(n: number): Array<readonly [number, number]>;
  /** Runs parts[t] on thread t (parts.length <= size) and returns when all are done. */
  run(parts: readonly (readonly KernelCall[])[]): void;
  /** stops the helper thread; idempotent */
  close(): void;
}

/** Bytes reserved at the bottom of the arena for the control words and one part's call list. */
export const CONTROL_BYTES = 1 << 16;
const SEQ = 0; // int32: the task number this thread posted (negative: stop)
const DONE = 1; // int32: the last task number the helper finished
const FAILED = 2; // int32: 1 when the helper's last task threw
const CALLS = 16; // byte offset of the call list: count, then (name index, argc, args...) as float64

/**
 * How long a waiting thread polls before it sleeps. Evaluations follow each other within this, so
 * a hand-off costs about a microsecond instead of a futex wake (tens of microseconds, measured).
 */
const SPIN_MS = 2;

function kernelNames(k: KernelExports): KernelName[] {
  return Object.keys(k).filter((n) => n !== 'heapBase' && typeof (k as unknown as Record<string, unknown>)[n] === 'function').sort() as KernelName[];
}

export function splitRange(n: number, parts: number): Array<readonly [number, number]> {
  return Array.from({ length: parts }, (_, t) => [Math.floor((n * t) / parts), Math.floor((n * (t + 1)) / parts)] as const);
}

function runCalls(k: KernelExports, calls: readonly KernelCall[]): void {
  const fns = k as unknown as Record<string, (...a: number[]) => void>;
  for (const [name, ...args] of calls) fns[name](...args);
}

/** A team of one: the parts run in order on this thread. */
export function soloTeam(k: KernelExports): Team {
  return {
    size: 1,
    split: (n) => splitRange(n, 1),
    run(parts) {
      for (const p of parts) runCalls(k, p);
    },
    close() {},
  };
}

/** This thread and one helper on the kernels' shared memory; `control` is CONTROL_BYTES reserved for it. */
export function pairTeam(k: KernelExports, control: number): Team {
  const names = kernelNames(k);
  const index = new Map(names.map((n, i) => [n, i]));
  const ctl = new Int32Array(k.memory.buffer, control, 4);
  ctl.fill(0); // before the helper starts: it takes any other task number as a task
  const calls = () => new Float64Array(k.memory.buffer, control + CALLS, (CONTROL_BYTES - CALLS) / 8);
  const worker = new Worker(new URL('./helper.mjs', import.meta.url), {
    workerData: { module: k.module, memory: k.memory, control, names, spinMs: SPIN_MS, words: { SEQ, DONE, FAILED, CALLS } },
  });
  worker.unref();
  let seq = 0;
  let closed = false;
  return {
    size: 2,
    split: (n) => splitRange(n, 2),
    run(parts) {
      if (closed) throw new Error('kernel team: run after close');
      if (parts.length > 2) throw new RangeError(`kernel team: ${parts.length} parts for 2 threads`);
      if (parts.length < 2 || parts[1].length === 0) return runCalls(k, parts[0] ?? []);
      // post part 1 to the helper, run part 0 here, then wait for the helper
      const buf = calls();
      let q = 1;
      for (const [name, ...args] of parts[1]) {
        const i = index.get(name);
        if (i === undefined) throw new RangeError(`kernel team: no kernel named ${name}`);
        if (q + 2 + args.length > buf.length) throw new RangeError('kernel team: call list longer than the control block');
        buf[q++] = i;
        buf[q++] = args.length;
        for (const a of args) buf[q++] = a;
      }
      buf[0] = parts[1].length;
      seq = (seq % 0x3fffffff) + 1;
      Atomics.store(ctl, SEQ, seq);
      Atomics.notify(ctl, SEQ);
      runCalls(k, parts[0]);
      const since = performance.now();
      for (let polls = 1; Atomics.load(ctl, DONE) !== seq; polls++) {
        if ((polls & 1023) === 0 && performance.now() - since > SPIN_MS) Atomics.wait(ctl, DONE, Atomics.load(ctl, DONE), 50);
      }
      if (Atomics.load(ctl, FAILED) !== 0) throw new Error('kernel team: a kernel failed on the helper thread');
    },
    close() {
      if (closed) return;
      closed = true;
      Atomics.store(ctl, SEQ, -1);
      Atomics.notify(ctl, SEQ);
      void worker.terminate();
    },
  };
}

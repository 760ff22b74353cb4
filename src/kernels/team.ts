import { Worker } from 'node:worker_threads';
import type { KernelExports } from './module.ts';

/**
 * The threads that run one operation's kernels: this thread, plus at most one helper
 * thread on the same shared memory. An operation hands `share` its tasks (blocks of rows of a pass,
 * layers or blocks of output units of a gradient), or `run` one list of kernel calls per thread;
 * either way they write disjoint outputs, and each output is still accumulated by one thread in the
 * reference order. So the result is the same bit for bit whatever the number of threads, and size 1
 * simply runs them one after another.
 *
 * Sweeps run one run per core with size 1 (src/kernels/select.ts), so a run's threads never fight
 * the pool's.
 */
export type KernelCall = readonly [name: KernelName, ...args: number[]];

/** Kernels a helper may run: every exported function but the allocator's. */
export type KernelName = Exclude<{ [K in keyof KernelExports]: KernelExports[K] extends (...a: never[]) => void ? K : never }[keyof KernelExports], 'heapBase'>;

export interface Team {
  readonly size: number;
  /** Runs parts[t] on thread t (parts.length <= size) and returns when all are done. */
  run(parts: readonly (readonly KernelCall[])[]): void;
  /**
   * Runs every task whole on whichever thread is free, taken in order from one shared counter, and
   * returns when all are done. Tasks must write disjoint outputs with scratch of their own: then
   * who ran which task changes no bit, and a thread that the machine slows down (a shared VM's
   * vCPU) simply takes fewer tasks instead of holding up the other.
   */
  share(tasks: readonly (readonly KernelCall[])[]): void;
  /** stops the helper thread; idempotent */
  close(): void;
}

/** Bytes reserved at the bottom of the arena for the control words and one post's tasks (MAX_TASKS blocks of rows through every layer). */
export const CONTROL_BYTES = 1 << 20;
const SEQ = 0; // int32: the number of this thread's last post (negative: stop)
const DONE = 1; // int32: the number of the last post the helper finished
const FAILED = 2; // int32: 1 when a task of the helper's last post threw
const NEXT = 3; // int32: the next task to take (both threads add 1 to it)
const PAGES = 4; // int32: the pages of linear memory when the tasks were posted (see helper.mjs)
// byte offset of the task list, as float64: the number of tasks T, T offsets (where each task's calls
// start), then each task: its number of calls, then (name index, argc, args...) per call
export const CALLS = 32;

/**
 * How long a waiting thread polls before it sleeps. Evaluations follow each other within this, so
 * a hand-off costs about a microsecond instead of a futex wake (tens of microseconds, measured; on
 * this VM a sleeping vCPU sometimes takes milliseconds to wake: with 2 ms here the slowest of 300
 * evaluations at P = 1000, h = 60, L = 5 took 12 to 14 ms, with 20 ms 8 ms, against a median of 3).
 */
const SPIN_MS = 20;

export function kernelNames(k: KernelExports): KernelName[] {
  return Object.keys(k).filter((n) => n !== 'heapBase' && typeof (k as unknown as Record<string, unknown>)[n] === 'function').sort() as KernelName[];
}

/**
 * How `share` cuts n rows for a team of two: tasks of decreasing size (guided scheduling), each
 * 1 / (2 * TASKS_PER_THREAD) of the rows still left, from at most MAX_TASK_ROWS down to
 * MIN_TASK_ROWS. The first tasks are large, so there are few hand-offs; the last are small, so a
 * thread that finishes first waits at most a small task for the other (on a shared VM, one vCPU is
 * often slower than the other for seconds). MAX_TASK_ROWS keeps a block of rows taken through every
 * layer in cache (at d = h = 51, 256 rows of a layer's input, z and output take 310 KB). A team of
 * one takes blocks of MAX_TASK_ROWS in order.
 */
export const TASKS_PER_THREAD = 4;
export const MIN_TASK_ROWS = 16;
export const MAX_TASK_ROWS = 256;
/** and at most this many tasks, whose calls must fit the control block (larger blocks beyond P = 131072) */
export const MAX_TASKS = 512;
export function taskRanges(n: number, team: Team): Array<readonly [number, number]> {
  if (team.size === 1 || n <= MIN_TASK_ROWS) return splitRange(n, Math.max(1, Math.min(MAX_TASKS, Math.ceil(n / MAX_TASK_ROWS))));
  const floor = Math.max(MIN_TASK_ROWS, Math.ceil(n / MAX_TASKS));
  const ranges: Array<readonly [number, number]> = [];
  for (let r0 = 0; r0 < n; ) {
    const size = Math.min(n - r0, Math.max(floor, Math.min(MAX_TASK_ROWS, Math.ceil((n - r0) / (TASKS_PER_THREAD * team.size)))));
    ranges.push([r0, r0 + size]);
    r0 += size;
  }
  return ranges;
}

export function splitRange(n: number, parts: number): Array<readonly [number, number]> {
  return Array.from({ length: parts }, (_, t) => [Math.floor((n * t) / parts), Math.floor((n * (t + 1)) / parts)] as const);
}

function runCalls(k: KernelExports, calls: readonly KernelCall[]): void {
  const fns = k as unknown as Record<string, (...a: number[]) => void>;
  // no kernel takes more than MAX_ARGS arguments; a wasm export ignores the undefined ones past
  // its own, and a call so spelled allocates nothing (thousands of calls an evaluation)
  for (let i = 0; i < calls.length; i++) {
    const c = calls[i];
    if (c.length > MAX_ARGS + 1) throw new RangeError(`kernel team: ${c[0]} takes at most ${MAX_ARGS} arguments`);
    fns[c[0]](c[1] as number, c[2] as number, c[3] as number, c[4] as number, c[5] as number, c[6] as number, c[7] as number, c[8] as number, c[9] as number, c[10] as number, c[11] as number, c[12] as number, c[13] as number, c[14] as number, c[15] as number, c[16] as number);
  }
}

/** The most arguments a kernel takes (weightGradientSkip's 16); helper.mjs calls with as many. */
export const MAX_ARGS = 16;

/**
 * Writes a task list into buf (the control block from CALLS on): T, T offsets, then per task its
 * number of calls and per call (name index, argc, args...). The helper thread (helper.mjs) and the
 * native team (src/kernels/native/kernels.c) read this layout.
 */
export function encodeTasks(buf: Float64Array, tasks: readonly (readonly KernelCall[])[], index: ReadonlyMap<string, number>): void {
  let q = 1 + tasks.length;
  if (q > buf.length) throw new RangeError('kernel team: call list longer than the control block');
  buf[0] = tasks.length;
  for (let t = 0; t < tasks.length; t++) {
    const task = tasks[t];
    buf[1 + t] = q;
    if (q >= buf.length) throw new RangeError('kernel team: call list longer than the control block');
    buf[q++] = task.length;
    for (let c = 0; c < task.length; c++) {
      const call = task[c];
      const i = index.get(call[0]);
      if (i === undefined) throw new RangeError(`kernel team: no kernel named ${call[0]}`);
      if (call.length > MAX_ARGS + 1) throw new RangeError(`kernel team: ${call[0]} takes at most ${MAX_ARGS} arguments`);
      if (q + 1 + call.length > buf.length) throw new RangeError('kernel team: call list longer than the control block');
      buf[q++] = i;
      buf[q++] = call.length - 1;
      for (let a = 1; a < call.length; a++) buf[q++] = call[a] as number;
    }
  }
}

/** A team of one: the parts run in order on this thread. */
export function soloTeam(k: KernelExports): Team {
  const run = (parts: readonly (readonly KernelCall[])[]) => {
    for (const p of parts) runCalls(k, p);
  };
  return { size: 1, run, share: run, close() {} };
}

/** This thread and one helper on the kernels' shared memory; `control` is CONTROL_BYTES reserved for it. */
export function pairTeam(k: KernelExports, control: number): Team {
  const names = kernelNames(k);
  const index = new Map(names.map((n, i) => [n, i]));
  const ctl = new Int32Array(k.memory.buffer, control, CALLS / 4);
  ctl.fill(0); // before the helper starts: it takes any other post number as a post
  const calls = () => new Float64Array(k.memory.buffer, control + CALLS, (CONTROL_BYTES - CALLS) / 8);
  const worker = new Worker(new URL('./helper.mjs', import.meta.url), {
    workerData: { module: k.module, memory: k.memory, control, names, spinMs: SPIN_MS, words: { SEQ, DONE, FAILED, NEXT, PAGES, CALLS } },
  });
  worker.unref();
  let seq = 0;
  let closed = false;
  // writes the tasks into the control block for the helper
  const post = (tasks: readonly (readonly KernelCall[])[]) => {
    encodeTasks(calls(), tasks, index);
    Atomics.store(ctl, NEXT, 0);
    Atomics.store(ctl, PAGES, k.memory.buffer.byteLength / 65536);
    seq = (seq % 0x3fffffff) + 1;
    Atomics.store(ctl, SEQ, seq);
    Atomics.notify(ctl, SEQ);
  };
  // waits until the helper has finished the post, then reports a failure (this thread's own first)
  const join = (mine: unknown) => {
    const since = performance.now();
    for (let polls = 1; Atomics.load(ctl, DONE) !== seq; polls++) {
      if ((polls & 1023) === 0 && performance.now() - since > SPIN_MS) Atomics.wait(ctl, DONE, Atomics.load(ctl, DONE), 50);
    }
    if (mine !== undefined) throw mine;
    if (Atomics.load(ctl, FAILED) !== 0) throw new Error('kernel team: a kernel failed on the helper thread');
  };
  const check = () => {
    if (closed) throw new Error('kernel team: run after close');
  };
  return {
    size: 2,
    run(parts) {
      check();
      if (parts.length > 2) throw new RangeError(`kernel team: ${parts.length} parts for 2 threads`);
      if (parts.length < 2 || parts[1].length === 0) return runCalls(k, parts[0] ?? []);
      // part 1 is the helper's one task; this thread runs part 0 and takes no task
      post([parts[1]]);
      let mine: unknown;
      try {
        runCalls(k, parts[0]);
      } catch (e) {
        mine = e;
      }
      join(mine);
    },
    share(tasks) {
      check();
      if (tasks.length < 2) return runCalls(k, tasks[0] ?? []);
      post(tasks);
      let mine: unknown;
      try {
        for (let t = Atomics.add(ctl, NEXT, 1); t < tasks.length; t = Atomics.add(ctl, NEXT, 1)) runCalls(k, tasks[t]);
      } catch (e) {
        mine = e;
        // leave the rest to the helper, which stops at the end of the list
      }
      join(mine);
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

// The helper thread of a kernel team (team.ts): its own instance of the kernels on the caller's
// shared memory. It waits for a post, takes the posted tasks one at a time from the shared counter
// until none is left, and reports the post done.
// Plain JS, so that starting it needs no TypeScript loader.
import { workerData } from 'node:worker_threads';

// the control block's layout comes from team.ts, its one definition
const { module, memory, control, names, spinMs, words } = workerData;
const { SEQ, DONE, FAILED, NEXT, PAGES, CALLS } = words;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const fns = names.map((n) => k[n]);
const ctl = new Int32Array(memory.buffer, control, CALLS / 4);

let last = 0;
for (;;) {
  const since = performance.now();
  for (let polls = 1; Atomics.load(ctl, SEQ) === last; polls++) {
    if ((polls & 1023) === 0 && performance.now() - since > spinMs) Atomics.wait(ctl, SEQ, last);
  }
  last = Atomics.load(ctl, SEQ);
  if (last < 0) break;
  let failed = 0;
  try {
    // V8 tells the other threads of a shared memory that it grew by an interrupt, handled at their
    // next stack check; a kernel run before that could check bounds (memory.fill, memory.copy)
    // against the old size. A helper failed once here right after the memory grew (not reproduced
    // since), so it waits, through stack checks, until its instance sees what the poster saw.
    const pages = Atomics.load(ctl, PAGES);
    for (let spins = 0; k.memoryPages() < pages; spins++) if (spins > 1e8) throw new Error('the grown memory never became visible');
    // the memory may have grown since the last task: take a fresh view
    const buf = new Float64Array(memory.buffer, control + CALLS);
    const tasks = buf[0];
    for (let t = Atomics.add(ctl, NEXT, 1); t < tasks; t = Atomics.add(ctl, NEXT, 1)) {
      let q = buf[1 + t];
      const n = buf[q++];
      for (let c = 0; c < n; c++) {
        const f = fns[buf[q++]];
        const argc = buf[q++];
        // team.ts MAX_ARGS (16) arguments: the export ignores those past its own, and nothing is allocated
        f(buf[q], buf[q + 1], buf[q + 2], buf[q + 3], buf[q + 4], buf[q + 5], buf[q + 6], buf[q + 7], buf[q + 8], buf[q + 9], buf[q + 10], buf[q + 11], buf[q + 12], buf[q + 13], buf[q + 14], buf[q + 15]);
        q += argc;
      }
    }
  } catch {
    failed = 1;
  }
  Atomics.store(ctl, FAILED, failed);
  Atomics.store(ctl, DONE, last);
  Atomics.notify(ctl, DONE);
}

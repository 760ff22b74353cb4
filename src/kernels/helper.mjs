// The helper thread of a kernel team (team.ts): its own instance of the kernels on the caller's
// shared memory. It waits for a task number, runs the posted call list, and reports it done.
// Plain JS, so that starting it needs no TypeScript loader.
import { workerData } from 'node:worker_threads';

// the control block's layout comes from team.ts, its one definition
const { module, memory, control, names, spinMs, words } = workerData;
const { SEQ, DONE, FAILED, CALLS } = words;
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const fns = names.map((n) => k[n]);
const ctl = new Int32Array(memory.buffer, control, 4);

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
    // the memory may have grown since the last task: take a fresh view
    const buf = new Float64Array(memory.buffer, control + CALLS);
    const n = buf[0];
    let q = 1;
    for (let c = 0; c < n; c++) {
      const f = fns[buf[q++]];
      const argc = buf[q++];
      const args = new Array(argc);
      for (let a = 0; a < argc; a++) args[a] = buf[q++];
      f(...args);
    }
  } catch {
    failed = 1;
  }
  Atomics.store(ctl, FAILED, failed);
  Atomics.store(ctl, DONE, last);
  Atomics.notify(ctl, DONE);
}

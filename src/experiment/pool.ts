import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { requireInt } from '../util/errors.ts';
import type { RunRecord, SweepItem } from '../run/record.ts';

/**
 * Runs sweep items, either in worker threads (piscina; each worker loads the TypeScript sources
 * through worker.mjs, which installs tsx's loader in its own thread) or inline in this thread.
 *
 *   workers >= 1  a piscina pool of exactly that many threads, created at once, kept until close()
 *   workers = 0   inline: executeRun in the calling thread, one item at a time (debugging, tests)
 *
 * `concurrency` is how many items the caller should keep in flight (threads, or 1 inline).
 */
export interface RunPool {
  /** threads here (0: inline), or -1 for a queue whose workers run elsewhere (queue.ts) */
  readonly workers: number;
  readonly concurrency: number;
  run(item: SweepItem): Promise<RunRecord>;
  /**
   * Resolves once every worker has loaded the training code (tsx compiles it once per thread, about
   * a second): a bench measures steady-state throughput after it, and start-up apart.
   */
  warm(): Promise<void>;
  /** stops the threads (waits for nothing still queued); idempotent */
  close(): Promise<void>;
}

/** One worker per core: os.availableParallelism(). */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** Checks a worker count (an integer >= 0; 0 = inline) and returns it, or the default when undefined. */
export function resolveWorkers(workers: unknown, field = 'workers'): number {
  if (workers === undefined) return defaultWorkers();
  return requireInt(field, workers, 0, 1024);
}

/** What worker.mjs sends back: the record, or the error the run threw (name kept, unlike a thrown clone). */
type WorkerReply = { ok: true; record: RunRecord } | { ok: false; name: string; message: string; stack?: string };

export const WORKER_FILE = new URL('./worker.mjs', import.meta.url);

export function createPool(opts: { workers?: number } = {}): RunPool {
  const workers = resolveWorkers(opts.workers);
  if (workers === 0) return inlinePool();
  const piscina = new Piscina<SweepItem, WorkerReply>({
    filename: WORKER_FILE.href,
    minThreads: workers,
    maxThreads: workers,
    concurrentTasksPerWorker: 1,
    idleTimeout: 60_000,
  });
  let closed = false;
  return {
    workers,
    concurrency: workers,
    run(item) {
      if (closed) return Promise.reject(new Error('the run pool is closed'));
      return piscina.run(item).then((reply) => {
        if (reply.ok) return reply.record;
        const err = new Error(reply.message);
        err.name = reply.name;
        if (reply.stack) err.stack = reply.stack;
        throw err;
      });
    },
    async warm() {
      // one task per worker, each held until all have arrived, so no worker can take two
      const counter = new SharedArrayBuffer(4);
      await Promise.all(Array.from({ length: workers }, () => piscina.run({ counter, workers } as unknown as SweepItem, { name: 'warm' })));
    },
    async close() {
      if (closed) return;
      closed = true;
      await piscina.destroy();
    },
  };
}

function inlinePool(): RunPool {
  // Imported on first use: a pool of threads never loads the training code in this thread.
  let task: Promise<typeof import('../run/execute.ts')> | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  return {
    workers: 0,
    concurrency: 1,
    run(item) {
      task ??= import('../run/execute.ts');
      // one item at a time, in submission order, even if the caller submits several at once
      const p = chain.then(async () => (await (await task!).executeRun(item)).record);
      chain = p.catch(() => undefined);
      return p;
    },
    async warm() {
      task ??= import('../run/execute.ts');
      await task;
    },
    async close() {
      await chain;
    },
  };
}

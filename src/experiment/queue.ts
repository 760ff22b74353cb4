import { Queue, QueueEvents, Worker, UnrecoverableError } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { itemKey } from '../run/key.ts';
import { numericsDigest } from '../run/numerics.ts';
import type { RunRecord, SweepItem } from '../run/record.ts';
import { InputError } from '../util/errors.ts';
import { createPool, type RunPool } from './pool.ts';
import { decodeRecord, encodeRecord } from './store.ts';

/**
 * Sweeps on many machines: the runs of a sweep become jobs on a BullMQ queue in Redis, computed by
 * `jamming worker` processes on any machine with the same checkout, through the same pool of threads
 * as a sweep on one machine. The coordinator still writes every record into its SQLite store.
 *
 * A job's id is the run's store key, so a second coordinator, or a coordinator started again, adds
 * nothing twice and collects what finished meanwhile. A job carries the coordinator's numerics
 * digest; a worker whose own differs refuses it (UnrecoverableError) instead of computing other
 * numbers. A worker killed mid-job loses its lock, and BullMQ's stalled-job check hands the job to
 * another worker.
 */
export const QUEUE_NAME = 'jamming-runs';

export interface RunJob {
  readonly item: SweepItem;
  readonly numerics: string;
}

/** redis://host:port[/db]: the one form accepted, checked before any work. */
export function redisConnection(url: string, flag = '--queue'): RedisOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(flag, url, 'redis://HOST:PORT (a Redis URL)');
  }
  if (u.protocol !== 'redis:' || !u.hostname) throw new InputError(flag, url, 'redis://HOST:PORT (a Redis URL)');
  const port = u.port ? Number(u.port) : 6379;
  const db = u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new InputError(flag, url, 'redis://HOST:PORT[/DB] with DB a database number');
  return { host: u.hostname, port, db, ...(u.password ? { password: decodeURIComponent(u.password) } : {}), maxRetriesPerRequest: null };
}

/** A client of its own for each queue object (BullMQ 6 takes ready clients under ESM; blocking reads need their own). */
export function redisClient(options: RedisOptions): Redis {
  return new Redis(options);
}

/** How often a coordinator checks that the jobs it waits for still exist (Redis restarted without them). */
const RECHECK_MS = 10_000;

/**
 * A RunPool whose runs are jobs on the queue. Every item is enqueued at once (concurrency is the
 * whole sweep); the sweep stores each record as it comes back, as with threads.
 */
export function queuePool(url: string): RunPool & { liveWorkers(): Promise<number> } {
  const connection = redisConnection(url);
  const clients = [redisClient(connection), redisClient(connection)];
  const queue = new Queue<RunJob, string>(QUEUE_NAME, { connection: clients[0] });
  const events = new QueueEvents(QUEUE_NAME, { connection: clients[1] });
  const numerics = numericsDigest();
  const add = async (item: SweepItem) => {
    const key = itemKey(item);
    // an existing job of this id is returned as it is: added once, whoever adds it
    const job = await queue.add('run', { item, numerics }, { jobId: key, removeOnComplete: false, removeOnFail: false, attempts: 1 });
    // a failure stays until someone asks again (as a failed run on one machine is tried by the next sweep)
    if ((await job.getState()) === 'failed') await job.retry('failed');
    return job;
  };
  // every pending run waits on these two at once
  queue.setMaxListeners(0);
  events.setMaxListeners(0);
  return {
    workers: -1,
    concurrency: Number.MAX_SAFE_INTEGER,
    async run(item: SweepItem): Promise<RunRecord> {
      // one wait per job (a new wait at every check would pile up listeners over a long run)
      const finished = (j: Awaited<ReturnType<typeof add>>) => j.waitUntilFinished(events).then((v: string) => ({ v }));
      let job = await add(item);
      let done = finished(job);
      for (;;) {
        const r = await Promise.race([done, sleep(RECHECK_MS).then(() => null)]);
        if (r) return decodeRecord(r.v, `job ${job.id}`);
        // still waiting: a Redis restarted without its data lost the job, so it is added again
        if (!(await queue.getJob(job.id!))) {
          done.catch(() => undefined);
          job = await add(item);
          done = finished(job);
        }
      }
    },
    async warm() {
      await events.waitUntilReady();
    },
    async close() {
      await events.close();
      await queue.close();
      // clients given to BullMQ stay ours to end
      await Promise.all(clients.map((c) => c.quit().catch(() => c.disconnect())));
    },
    async liveWorkers() {
      return (await queue.getWorkers()).length;
    },
  };
}

export interface WorkerOptions {
  /** runs at once on this machine (threads of the pool) */
  readonly concurrency: number;
  /** how long a job's lock lasts without renewal: a killed worker's job goes to another after about this long */
  readonly lockMs?: number;
  /** called when a job is taken and when it ends, for the worker's log */
  readonly log?: (line: string) => void;
}

/**
 * Takes jobs and runs them through exactly the pool of today's sweeps (worker threads running
 * run/execute.ts), returning each record. Resolves once the worker is closed (close()).
 */
export function startWorker(url: string, opts: WorkerOptions): { close(): Promise<void>; ready: Promise<void> } {
  const connection = redisConnection(url);
  const pool = createPool({ workers: opts.concurrency });
  const numerics = numericsDigest();
  const lockMs = opts.lockMs ?? 30_000;
  const client = redisClient(connection);
  const worker = new Worker<RunJob, string>(
    QUEUE_NAME,
    async (job) => {
      if (job.data.numerics !== numerics) {
        const msg = `job ${job.id}: refused, the coordinator's numerics digest ${job.data.numerics.slice(0, 12)} differs from this worker's ${numerics.slice(0, 12)} (check out the coordinator's commit and build the kernels)`;
        opts.log?.(msg);
        throw new UnrecoverableError(msg);
      }
      opts.log?.(`job ${job.id}: started`);
      const rec = await pool.run(job.data.item);
      opts.log?.(`job ${job.id}: computed`);
      return encodeRecord(rec);
    },
    { connection: client, concurrency: opts.concurrency, lockDuration: lockMs, stalledInterval: lockMs, maxStalledCount: 10 },
  );
  return {
    ready: worker.waitUntilReady().then(() => undefined),
    async close() {
      await worker.close();
      await pool.close();
      await client.quit().catch(() => client.disconnect());
    },
  };
}

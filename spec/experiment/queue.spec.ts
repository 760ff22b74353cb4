/**
 * Sweeps through Redis and BullMQ (src/experiment/queue.ts) with a real redis-server started here on
 * a free loopback port in a temporary folder (.ci/run installs it where it is missing). Workers are
 * `jamming worker` processes; the coordinator is this process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue, QueueEvents } from 'bullmq';
import { openStore } from '../../src/experiment/store.ts';
import { runSweep } from '../../src/experiment/sweep.ts';
import { QUEUE_NAME, queuePool, redisClient, redisConnection } from '../../src/experiment/queue.ts';
import type { RunRecord } from '../../src/run/record.ts';
import { smallItems } from '../support/smallItems.ts';
import { timeless } from '../support/timeless.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const redisBin = (() => {
  try {
    return execFileSync('which', ['redis-server'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
})();

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

interface WorkerProc {
  child: ChildProcess;
  log: string[];
  exited: Promise<void>;
}
function worker(url: string, concurrency = 1): WorkerProc {
  const child = spawn(process.execPath, ['bin/jamming.js', 'worker', '--queue', url, '--concurrency', String(concurrency), '--lock-ms', '2000'], { cwd: ROOT, env: { ...process.env, JAMMING_THREADS: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  const log: string[] = [];
  child.stderr!.on('data', (b: Buffer) => log.push(...String(b).split('\n').filter(Boolean)));
  return { child, log, exited: new Promise((r) => child.on('exit', () => r())) };
}
const until = async (cond: () => boolean, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

const COUNT = 8;
let dir: string;
let redis: ChildProcess;
let port: number;
let reference: RunRecord[];
const workers: WorkerProc[] = [];

beforeAll(async () => {
  if (!redisBin) return;
  dir = mkdtempSync(join(tmpdir(), 'jamming-redis-'));
  port = await freePort();
  redis = spawn(redisBin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  redis.stdout!.on('data', (b) => (out += b));
  await until(() => out.includes('Ready to accept connections'), 20_000);
  const s = openStore(':memory:');
  reference = (await runSweep(smallItems(COUNT), { store: s, workers: 0 })).records;
  s.close();
}, 120_000);

afterAll(async () => {
  for (const w of workers) w.child.kill('SIGKILL');
  redis?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// .ci/run installs redis-server and sets JAMMING_REQUIRE_REDIS=1: there, a missing server is a failure, not a skip
it.runIf(!redisBin && process.env.JAMMING_REQUIRE_REDIS === '1')('redis-server is installed (required in CI)', () => {
  expect(redisBin, 'redis-server not found: apt-get install -y redis-server').not.toBe('');
});

describe.skipIf(!redisBin)('sweeps through Redis', () => {
  it('two workers, one killed with SIGKILL mid-job: the store is the inline sweep\'s, bit for bit', async () => {
    const url = `redis://127.0.0.1:${port}/0`;
    const [a, b] = [worker(url), worker(url)];
    workers.push(a, b);
    const store = openStore(join(dir, 'a.sqlite'));
    const pool = queuePool(url);
    const sweep = runSweep(smallItems(COUNT), { store, pool });
    // the first job worker a takes is lost with it; its lock lapses and worker b takes the job
    await until(() => a.log.some((l) => l.includes(': started')));
    a.child.kill('SIGKILL');
    await a.exited;
    const res = await sweep;
    await pool.close();
    expect(res.failures).toEqual([]);
    expect(res.computed).toBe(COUNT);
    expect(store.all().map(timeless)).toEqual([...reference].sort((x, y) => (x.key < y.key ? -1 : 1)).map(timeless));
    expect(b.log.filter((l) => l.endsWith(': computed')).length).toBeGreaterThan(0);
    store.close();
  }, 180_000);

  it('two coordinators on one queue share the work: each run computed once, both stores whole', async () => {
    const url = `redis://127.0.0.1:${port}/1`;
    const w = worker(url, 2);
    workers.push(w);
    const [s1, s2] = [openStore(join(dir, 'c1.sqlite')), openStore(join(dir, 'c2.sqlite'))];
    const [p1, p2] = [queuePool(url), queuePool(url)];
    const [r1, r2] = await Promise.all([runSweep(smallItems(COUNT), { store: s1, pool: p1 }), runSweep(smallItems(COUNT), { store: s2, pool: p2 })]);
    await Promise.all([p1.close(), p2.close()]);
    expect(w.log.filter((l) => l.endsWith(': computed')).length).toBe(COUNT);
    for (const r of [r1, r2]) expect(r.records.map(timeless)).toEqual(reference.map(timeless));
    s1.close();
    s2.close();
  }, 180_000);

  it('a worker whose numerics digest differs from the job\'s refuses it, with a message, and computes nothing', async () => {
    const url = `redis://127.0.0.1:${port}/2`;
    const connection = redisConnection(url);
    const clients = [redisClient(connection), redisClient(connection)];
    const queue = new Queue(QUEUE_NAME, { connection: clients[0] });
    const events = new QueueEvents(QUEUE_NAME, { connection: clients[1] });
    await events.waitUntilReady();
    const job = await queue.add('run', { item: smallItems(1)[0], numerics: 'not-this-checkout' }, { jobId: 'digest-test', removeOnFail: false });
    const w = worker(url);
    workers.push(w);
    await expect(job.waitUntilFinished(events)).rejects.toThrow(/refused, the coordinator's numerics digest not-this-che differs from this worker's [0-9a-f]{12}/);
    expect(w.log.some((l) => l.endsWith(': computed'))).toBe(false);
    await events.close();
    await queue.close();
    for (const c of clients) await c.quit();
  }, 120_000);
});

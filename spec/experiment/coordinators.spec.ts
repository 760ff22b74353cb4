/**
 * Sweeps that are killed, and sweeps that share a store (src/experiment/sweep.ts, store.ts leases):
 * a coordinator killed with SIGKILL at several points and started again ends with the store an
 * uninterrupted sweep makes, and two coordinators on one store compute each run once between them.
 * Each coordinator is a process of its own (spec/support/sweepProcess.mts) on 12 runs of about a
 * second each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../src/experiment/store.ts';
import { runSweep } from '../../src/experiment/sweep.ts';
import type { RunRecord } from '../../src/run/record.ts';
import { smallItems } from '../support/smallItems.ts';
import { timeless } from '../support/timeless.ts';

const COUNT = 12;
const SCRIPT = fileURLToPath(new URL('../support/sweepProcess.mts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function coordinator(store: string): { child: ChildProcess; done: Promise<{ code: number | null; signal: string | null; out: string }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, store, String(COUNT)], { cwd: ROOT, env: { ...process.env, JAMMING_THREADS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b) => (out += b));
  child.stderr!.on('data', (b) => (out += b));
  return { child, done: new Promise((res) => child.on('exit', (code, signal) => res({ code, signal, out }))) };
}

function stored(path: string): RunRecord[] {
  const s = openStore(path);
  try {
    return s.all();
  } finally {
    s.close();
  }
}

let dir: string;
let reference: RunRecord[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jamming-coordinators-'));
  const s = openStore(join(dir, 'reference.sqlite'));
  await runSweep(smallItems(COUNT), { store: s, workers: 0 });
  reference = s.all();
  s.close();
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('coordinators', () => {
  it('killed with SIGKILL at three points and started again: the final store is the uninterrupted sweep\'s, bit for bit', async () => {
    const path = join(dir, 'killed.sqlite');
    const counts: number[] = [];
    // killed once 2, 5 and 8 of the 12 runs are stored: each time with the next run in flight
    for (const at of [2, 5, 8]) {
      const c = coordinator(path);
      let exited = false;
      void c.done.then(() => (exited = true));
      while (!exited && (existsSync(path) ? stored(path).length : 0) < at) await new Promise((r) => setTimeout(r, 50));
      c.child.kill('SIGKILL');
      expect((await c.done).signal).toBe('SIGKILL');
      counts.push(stored(path).length);
    }
    expect(counts[0]).toBeGreaterThanOrEqual(2);
    // started again after the third kill: the dead process's leases are taken over at once
    const last = await coordinator(path).done;
    expect(last.code, last.out).toBe(0);
    const final = stored(path);
    expect(final.map(timeless)).toEqual(reference.map(timeless));
    // the kills fell in the middle of the sweep: some runs were stored before, some after
    expect(counts.at(-1)!).toBeLessThan(COUNT);
    expect(JSON.parse(last.out.trim().split('\n').at(-1)!).computed).toBe(COUNT - counts.at(-1)!);
  }, 300_000);

  it('two coordinators on one store split the runs: each computed once, the store the uninterrupted sweep\'s', async () => {
    const path = join(dir, 'shared.sqlite');
    const [a, b] = await Promise.all([coordinator(path).done, coordinator(path).done]);
    expect(a.code, a.out).toBe(0);
    expect(b.code, b.out).toBe(0);
    const ra = JSON.parse(a.out.trim().split('\n').at(-1)!);
    const rb = JSON.parse(b.out.trim().split('\n').at(-1)!);
    expect(ra.computed + rb.computed).toBe(COUNT);
    expect(ra.computed).toBeGreaterThan(0);
    expect(rb.computed).toBeGreaterThan(0);
    expect(ra.computed + ra.reused).toBe(COUNT);
    expect(stored(path).map(timeless)).toEqual(reference.map(timeless));
  }, 300_000);
});

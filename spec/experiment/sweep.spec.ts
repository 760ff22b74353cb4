import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { validateConfig } from '../../src/run/config.ts';
import { itemKey } from '../../src/run/key.ts';
import { openStore, type Store } from '../../src/experiment/store.ts';
import { runSweep, type SweepResult } from '../../src/experiment/sweep.ts';
import { createPool, defaultWorkers } from '../../src/experiment/pool.ts';
import { progressDisplay, summary } from '../../src/experiment/progress.ts';
import type { AnalysisRequest, RunRecord, SweepItem } from '../../src/run/record.ts';
import { InputError } from '../../src/util/errors.ts';
import { timeless } from '../support/timeless.ts';

const ANALYSE: AnalysisRequest = { spectra: 'counts', deltas: true, testError: false };

function tinyItem(seed: number): SweepItem {
  return {
    config: validateConfig({
      data: { kind: 'random', P: 20, d: 3, seed },
      model: { h: 4, L: 1 },
      train: { optimizer: 'default', engine: 'float64' },
      seed,
    }),
    analyse: ANALYSE,
  };
}

const failingItem: SweepItem = {
  config: validateConfig({ data: { kind: 'file', path: '/nonexistent.csv' }, model: { h: 4, L: 1 }, seed: 1 }),
  analyse: ANALYSE,
};


let dir: string;
let n = 0;
const stores: Store[] = [];
function freshStore(): Store {
  const s = openStore(join(dir, `s${n++}`, 'runs.sqlite'));
  stores.push(s);
  return s;
}

const items = [1, 2, 3, 4].map(tinyItem);
const keys = items.map(itemKey);
let inline: SweepResult;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jamming-sweep-'));
  inline = await runSweep(items, { store: freshStore(), workers: 0 });
});

afterAll(() => {
  for (const s of stores) s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('runSweep', () => {
  it('returns one record per item in input order and stores each', async () => {
    const store = freshStore();
    const seen: string[] = [];
    const reversed = [...items].reverse();
    const res = await runSweep(reversed, { store, workers: 0, onRecord: (r) => seen.push(r.key) });
    expect(res.failures).toEqual([]);
    expect(res.computed).toBe(4);
    expect(res.reused).toBe(0);
    expect(res.records.map((r) => r.key)).toEqual([...keys].reverse());
    // each input item's record by its position, without hashing it again
    reversed.forEach((_, i) => expect(res.recordOf(i)).toBe(res.records[i]));
    expect(seen).toEqual([...keys].reverse()); // inline runs one at a time, in order
    expect(store.keys()).toEqual(new Set(keys));
    for (const r of res.records) {
      expect(store.get(r.key)).toEqual(r);
      expect(r.results.P).toBe(20);
      expect(r.deltas).toHaveLength(20);
      if (r.results.verdict === 'jammed') expect(r.spectra).toBeDefined();
    }
    // same runs as the shared inline sweep, in the other order
    expect(res.records.map(timeless)).toEqual([...inline.records].reverse().map(timeless));
  });

  it('a second sweep with the same items recomputes nothing and returns identical records', async () => {
    const store = freshStore();
    const first = await runSweep(items, { store, workers: 0 });
    let calls = 0;
    const second = await runSweep(items, { store, workers: 0, onRecord: () => calls++ });
    expect(calls).toBe(0);
    expect(second.computed).toBe(0);
    expect(second.reused).toBe(4);
    expect(second.records).toEqual(first.records); // wall times included: read back from the store
  });

  it('gives the same records with 2 worker threads as inline', async () => {
    const store = freshStore();
    const res = await runSweep(items, { store, workers: 2 });
    expect(res.failures).toEqual([]);
    expect(res.records.map((r) => r.key)).toEqual(keys);
    expect(res.records.map(timeless)).toEqual(inline.records.map(timeless));
    expect(store.all().map(timeless)).toEqual([...inline.records].sort((a, b) => (a.key < b.key ? -1 : 1)).map(timeless));
  });

  it('after a killed sweep computes only the missing items', async () => {
    const store = freshStore();
    await runSweep(items.slice(0, 2), { store, workers: 0 });
    const computed: string[] = [];
    const res = await runSweep(items, { store, workers: 0, onRecord: (r) => computed.push(r.key) });
    expect(computed).toEqual(keys.slice(2));
    expect(res.computed).toBe(2);
    expect(res.reused).toBe(2);
    expect(res.records.map((r) => r.key)).toEqual(keys);
    expect(res.records.map(timeless)).toEqual(inline.records.map(timeless));
  });

  it('reports a failing item, stores nothing for it, and completes the others (inline and in workers)', async () => {
    for (const workers of [0, 2]) {
      const store = freshStore();
      const failed: string[] = [];
      const mixed = [items[0], failingItem, items[1]];
      const res = await runSweep(mixed, { store, workers, onFailure: (f) => failed.push(f.key) });
      expect(res.records.map((r) => r.key)).toEqual([keys[0], keys[1]]);
      expect(res.failures).toHaveLength(1);
      const f = res.failures[0];
      expect(f.key).toBe(itemKey(failingItem));
      expect(f.item).toEqual(failingItem);
      expect(f.name).toBe('InputError');
      expect(f.message).toMatch(/nonexistent\.csv/);
      expect(failed).toEqual([f.key]);
      expect(store.has(f.key)).toBe(false);
      expect(store.keys()).toEqual(new Set([keys[0], keys[1]]));
      // the next sweep tries the failure again, and only it
      const again = await runSweep(mixed, { store, workers: 0 });
      expect(again.computed).toBe(1);
      expect(again.failures.map((x) => x.key)).toEqual([f.key]);
    }
  });

  it('runs identical items once', async () => {
    const store = freshStore();
    let calls = 0;
    const copy = tinyItem(1); // equal, not the same object
    const res = await runSweep([items[0], items[1], copy, items[0]], { store, workers: 0, onRecord: () => calls++ });
    expect(calls).toBe(2);
    expect(res.records.map((r) => r.key)).toEqual([keys[0], keys[1]]);
  });

  it('reuses a caller-owned pool across sweeps, and an empty sweep starts no pool', async () => {
    const pool = createPool({ workers: 1 });
    try {
      const store = freshStore();
      const a = await runSweep(items.slice(0, 1), { store, pool });
      const b = await runSweep(items.slice(1, 2), { store, pool });
      expect([...a.records, ...b.records].map(timeless)).toEqual(inline.records.slice(0, 2).map(timeless));
    } finally {
      await pool.close();
    }
    const empty = await runSweep([], { store: freshStore() });
    expect({ ...empty, recordOf: undefined }).toEqual({ records: [], failures: [], computed: 0, reused: 0, recordOf: undefined });
  });

  it('starts the longest runs first (P x N) and still returns records in input order', async () => {
    const sized = [10, 30, 20].map((P) => ({ ...tinyItem(1), config: { ...tinyItem(1).config, data: { kind: 'random' as const, P, d: 3, seed: 1 } } }));
    const started: number[] = [];
    const r = await runSweep(sized, { store: freshStore(), workers: 0, onRecord: (rec) => started.push((rec.item.config.data as { P: number }).P) });
    expect(started).toEqual([30, 20, 10]);
    expect(r.records.map((rec) => (rec.item.config.data as { P: number }).P)).toEqual([10, 30, 20]);
  });

  it('warm() loads every worker before a sweep, and the warmed pool gives the same records', async () => {
    const pool = createPool({ workers: 2 });
    try {
      await pool.warm();
      const r = await runSweep(items.slice(0, 2), { store: freshStore(), pool });
      expect(r.records.map(timeless)).toEqual(inline.records.slice(0, 2).map(timeless));
    } finally {
      await pool.close();
    }
  });

  it('rejects bad options with InputError', async () => {
    const store = freshStore();
    await expect(runSweep(items, { store, workers: -1 })).rejects.toThrow(InputError);
    await expect(runSweep(items, { store, workers: 1.5 })).rejects.toThrow(/workers/);
    await expect(runSweep([{} as SweepItem], { store })).rejects.toThrow(/items\[0\]/);
    expect(defaultWorkers()).toBeGreaterThanOrEqual(1);
  });
});

describe('store', () => {
  it('survives close and reopen', () => {
    const path = join(dir, 'reopen', 'runs.sqlite');
    const s1 = openStore(path);
    for (const r of inline.records) s1.put(r);
    s1.close();
    const s2 = openStore(path);
    stores.push(s2);
    expect(s2.size()).toBe(4);
    expect(s2.keys()).toEqual(new Set(keys));
    for (const r of inline.records) expect(s2.get(r.key)).toEqual(r);
    expect(s2.get('0'.repeat(64))).toBeNull();
    expect(s2.has(keys[0])).toBe(true);
    expect(s2.all().map((r) => r.key)).toEqual([...keys].sort());
  });

  it('replaces a record put twice, keeps NaN, Infinity and -0, and checks the key', () => {
    const s = freshStore();
    const base = inline.records[0];
    s.put(base);
    const odd = { ...base, wallSeconds: -0, results: { ...base.results, loss: NaN, gradientNorm: Infinity } } as RunRecord;
    s.put(odd);
    expect(s.size()).toBe(1);
    const back = s.get(base.key)!;
    expect(Object.is(back.wallSeconds, -0)).toBe(true);
    expect(back.results.loss).toBeNaN();
    expect(back.results.gradientNorm).toBe(Infinity);
    expect(() => s.put({ ...base, key: 'x' })).toThrow(InputError);
  });

  it('quarantines a record whose JSON does not parse, naming its key, and reads it as missing', () => {
    const path = join(dir, 'corrupt', 'runs.sqlite');
    const s = openStore(path);
    stores.push(s);
    s.put(inline.records[0]);
    const raw = new Database(path);
    raw.prepare('UPDATE runs SET record = ? WHERE key = ?').run('{"key": oops', keys[0]);
    raw.close();
    expect(s.get(keys[0])).toBeNull();
    expect(s.all()).toEqual([]);
    expect(s.quarantined()).toEqual([expect.objectContaining({ key: keys[0], reason: expect.stringMatching(/invalid JSON/) })]);
  });

  it('uses WAL mode', () => {
    const path = join(dir, 'wal', 'runs.sqlite');
    const s = openStore(path);
    s.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('refuses a file that is not a SQLite database', () => {
    const path = join(dir, 'notdb.sqlite');
    writeFileSync(path, 'this is not a database, just text that is long enough to have a header '.repeat(10));
    expect(() => openStore(path)).toThrow(InputError);
  });

});

describe('progressDisplay', () => {
  function fakeStream(isTTY: boolean) {
    const out: string[] = [];
    return { out, stream: { isTTY, columns: 200, write: (s: string) => out.push(s) } };
  }
  const rec = (): RunRecord => inline.records[0];
  const end = (): SweepResult => ({ records: [], recordOf: () => undefined, failures: [], computed: 0, reused: 0 });

  it('writes plain lines at most once per interval, plus one at the end', () => {
    const { out, stream } = fakeStream(false);
    let t = 0;
    const p = progressDisplay({ stream, now: () => t, intervalMs: 5000, label: 'test' });
    p.start({ total: 10, done: 2, toRun: 8, workers: 2 });
    for (let i = 0; i < 7; i++) {
      t += 1000;
      p.record(rec());
    }
    p.failure({ key: 'k', item: failingItem, name: 'InputError', message: 'no file' });
    p.end(end());
    expect(out.every((s) => s.endsWith('\n') && !s.includes('\r'))).toBe(true);
    expect(out[0]).toMatch(/10 runs, 2 already stored, 8 to run on 2 workers/);
    expect(out).toHaveLength(3); // header, one line at t = 5 s, the final line
    expect(out[1]).toMatch(/test 7\/10 .*ETA/);
    expect(out[2]).toMatch(/test 10\/10 +100% +2 stored +1 failed +in 7\.0s/);
    expect(out[2]).toMatch(/FAILED no file/);
  });

  it('on a queue: says the runs go to the queue\'s workers, and how many are live in each line', () => {
    const { out, stream } = fakeStream(false);
    let t = 0;
    let live = 3;
    const p = progressDisplay({ stream, now: () => t, intervalMs: 1000, label: 'q', liveWorkers: () => live });
    p.start({ total: 4, done: 0, toRun: 4, workers: -1 });
    t += 2000;
    p.record(rec());
    live = 1;
    t += 2000;
    p.record(rec());
    expect(out[0]).toMatch(/4 to run on the queue's workers/);
    expect(out[1]).toMatch(/q 1\/4 .* 3 workers live/);
    expect(out[2]).toMatch(/q 2\/4 .* 1 worker live/);
  });

  it('rewrites one line with a bar on a terminal', () => {
    const { out, stream } = fakeStream(true);
    let t = 0;
    const p = progressDisplay({ stream, now: () => t });
    p.start({ total: 2, done: 0, toRun: 2, workers: 0 });
    t += 1000;
    p.record(rec());
    t += 1000;
    p.record(rec());
    p.end(end());
    const bars = out.slice(1);
    expect(bars.every((s) => s.startsWith('\r\x1b[K'))).toBe(true);
    expect(bars.at(-1)).toMatch(/\[#+\] 2\/2 .*\n$/);
    expect(bars.at(-1)).toContain(summary(rec()));
  });
});

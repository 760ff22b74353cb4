import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { InputError } from '../util/errors.ts';
import { weightCount } from '../model/architecture.ts';
import { itemKey } from '../run/key.ts';
import { createPool, resolveWorkers, type RunPool } from './pool.ts';
import type { RunRecord, SweepItem } from '../run/record.ts';
import type { Store } from './store.ts';
import { baselineEntry, differingFields } from './baseline.ts';
import type { ProgressSink, SweepFailure, SweepResult } from './sweepTypes.ts';

export type { SweepFailure, SweepResult } from './sweepTypes.ts';

export interface SweepOptions {
  /** where finished records are looked up and put (each one as soon as it completes) */
  readonly store: Store;
  /** worker threads; default os.availableParallelism(); 0 runs inline in this thread. Ignored when `pool` is given. */
  readonly workers?: number;
  /** a pool to reuse across sweeps (the caller closes it); by default one is made for this sweep and closed after */
  readonly pool?: RunPool;
  /** called with each record computed by this sweep, right after it is stored (not for records already stored) */
  readonly onRecord?: (record: RunRecord) => void;
  /** called with each failure as it happens */
  readonly onFailure?: (failure: SweepFailure) => void;
  readonly progress?: ProgressSink;
  /**
   * How long a run's lease lasts without renewal (default 60 s; renewed every third of it while the
   * run computes). Another coordinator on the same store waits for a leased run instead of computing
   * it again, and takes it over once the lease expires (its holder was killed).
   */
  readonly leaseMs?: number;
  /** how often a coordinator looks again at runs leased by another (default 500 ms) */
  readonly pollMs?: number;
}

/** This process, as the owner of its leases. */
const OWNER = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/**
 * Runs every item not yet in the store, in parallel, storing each record the moment it completes;
 * a sweep killed and started again (or simply re-run) recomputes nothing that was stored. A run that
 * throws does not stop the sweep: it is reported in `failures` and nothing is stored for it.
 * Rejects only on bad arguments or when the store itself fails (after the runs in flight end).
 */
export async function runSweep(items: readonly SweepItem[], opts: SweepOptions): Promise<SweepResult> {
  if (!Array.isArray(items)) throw new InputError('items', items, 'an array of sweep items {config, analyse}');
  if (typeof opts !== 'object' || opts === null || typeof opts.store !== 'object' || opts.store === null) {
    throw new InputError('store', opts?.store, 'an open store (openStore)');
  }
  const { store, onRecord, onFailure, progress } = opts;
  const workers = opts.pool ? opts.pool.workers : resolveWorkers(opts.workers);

  // distinct items, in order of first appearance
  const order: { key: string; item: SweepItem }[] = [];
  const seen = new Set<string>();
  // each item's key, hashed here once (the record's own key is checked against it below)
  const keys: string[] = [];
  items.forEach((item, i) => {
    if (typeof item !== 'object' || item === null || typeof item.config !== 'object' || typeof item.analyse !== 'object') {
      throw new InputError(`items[${i}]`, item, 'a sweep item {config, analyse}');
    }
    const key = itemKey(item);
    keys.push(key);
    if (seen.has(key)) return;
    seen.add(key);
    order.push({ key, item });
  });

  const done = new Map<string, RunRecord>();
  const failed = new Map<string, SweepFailure>();
  const todo: { key: string; item: SweepItem }[] = [];
  for (const o of order) {
    const rec = store.get(o.key);
    if (rec) done.set(o.key, rec);
    else todo.push(o);
  }
  const reused = done.size;
  // Longest first (estimated by P x N): the runs that finish last then are short ones, so no core
  // idles at the end of a sweep. Records are returned in input order, so the order run never shows.
  todo.sort((a, b) => estimatedCost(b.item) - estimatedCost(a.item));
  progress?.start({ total: order.length, done: reused, toRun: todo.length, workers: workers < 0 ? -1 : Math.min(workers, todo.length) });

  let fatal: { error: unknown } | undefined;
  let computed = 0;
  let byOthers = 0;
  if (todo.length > 0) {
    const pool = opts.pool ?? createPool({ workers: Math.min(workers, todo.length) });
    const leaseMs = opts.leaseMs ?? 60_000;
    const held = new Set<string>();
    const renewal = setInterval(() => {
      try {
        store.renew([...held], OWNER, leaseMs);
      } catch {
        // a failed renewal lets the lease lapse: at worst another coordinator computes the run too
      }
    }, leaseMs / 3);
    renewal.unref();
    const queue = [...todo];
    const waiting: typeof todo = [];
    /** The next run this process may compute: stored meanwhile by another coordinator, or leased by one, it is not. */
    const nextItem = async (): Promise<{ key: string; item: SweepItem } | undefined> => {
      for (;;) {
        if (fatal) return undefined;
        const o = queue.shift();
        if (o) {
          const rec = store.get(o.key);
          if (rec) {
            done.set(o.key, rec);
            byOthers++;
            continue;
          }
          if (store.claim(o.key, OWNER, leaseMs)) {
            held.add(o.key);
            return o;
          }
          waiting.push(o);
          continue;
        }
        if (waiting.length === 0) return undefined;
        // leased by another coordinator: look again until it is stored, or its lease lapses and is ours
        await sleep(opts.pollMs ?? 500);
        queue.push(...waiting.splice(0));
      }
    };
    const lane = async (): Promise<void> => {
      for (let o = await nextItem(); o; o = await nextItem()) {
        const { key, item } = o;
        computed++;
        let rec: RunRecord;
        try {
          rec = await pool.run(item);
          if (rec?.key !== key) throw new Error(`run returned a record keyed ${String(rec?.key)}, expected ${key}`);
        } catch (e) {
          held.delete(key);
          store.release(key, OWNER);
          const err = e instanceof Error ? e : new Error(String(e));
          const f: SweepFailure = { key, item, name: err.name, message: err.message };
          failed.set(key, f);
          try {
            progress?.failure(f);
            onFailure?.(f);
          } catch (e2) {
            fatal ??= { error: e2 };
            return;
          }
          continue;
        }
        try {
          // a run completed twice (a job retried after its worker stalled, two coordinators) must agree
          const prior = store.get(key);
          const differs = prior ? firstDifference(prior, rec) : '';
          if (differs) throw new Error(`run ${key}: two completions differ (${differs}); the numerics are not deterministic here`);
          store.put(rec);
          held.delete(key);
          store.release(key, OWNER);
          done.set(key, rec);
          progress?.record(rec);
          onRecord?.(rec);
        } catch (e) {
          fatal ??= { error: e };
          return;
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(pool.concurrency, todo.length) }, lane));
    } finally {
      clearInterval(renewal);
      if (!opts.pool) await pool.close();
    }
  }
  const result: SweepResult = {
    records: order.flatMap(({ key }) => (done.has(key) ? [done.get(key)!] : [])),
    recordOf: (index) => done.get(keys[index]),
    failures: order.flatMap(({ key }) => (failed.has(key) ? [failed.get(key)!] : [])),
    computed,
    reused: reused + byOthers,
  };
  progress?.end(result);
  if (fatal) throw fatal.error;
  return result;
}

/** P x N of an item, the order in which sweeps start runs (0 when P is not known before loading). */
export function estimatedCost(item: SweepItem): number {
  const { data, model } = item.config;
  if (data.kind === 'file') return 0;
  return data.P * weightCount(data.d, model.h, model.L);
}

/** The first number in which two records of one run differ, wall times aside; '' when they agree. */
function firstDifference(a: RunRecord, b: RunRecord): string {
  const [x, y] = [baselineEntry(a).values, baselineEntry(b).values];
  const k = differingFields(x, y)[0];
  return k === undefined ? '' : `${k}: ${x[k]} vs ${y[k]}`;
}

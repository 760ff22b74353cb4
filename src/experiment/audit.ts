import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { committedRecord, type RunRecord } from '../run/record.ts';
import { itemId } from '../run/key.ts';
import { createRng, shuffleInPlace } from '../util/prng.ts';
import { baselineEntry, differingFields, relativeChange, runLabel } from './baseline.ts';
import { openStore } from './store.ts';
import { runSweep } from './sweep.ts';
import type { ProgressSink } from './sweepTypes.ts';

/** One audited run: identical, or the first field (in name order) that differs, by how much. */
export interface AuditRow {
  readonly id: string;
  readonly label: string;
  readonly verdict: string;
  readonly identical: boolean;
  readonly field?: string;
  readonly before?: unknown;
  readonly now?: unknown;
  readonly relative?: number;
  /** how many fields differ in all */
  readonly differing: number;
}

/** K runs drawn with a seeded shuffle of the runs in item order: the same sample for the same seed, whatever order they came in. */
export function auditSample(records: readonly RunRecord[], sample: number, seed: number): RunRecord[] {
  const sorted = [...records].sort((a, b) => (itemId(a.item) < itemId(b.item) ? -1 : 1));
  shuffleInPlace(sorted, createRng(seed));
  return sorted.slice(0, sample);
}

/**
 * Re-runs each record's item from nothing (a fresh, temporary store, so no stored record is read)
 * and compares the new record with the old one field by field, wall times aside. `committed`: the
 * old records are results.json's (per-pattern arrays left out), so the new ones are compared the same way.
 */
export async function audit(records: readonly RunRecord[], opts: { committed: boolean; workers?: number; progress?: ProgressSink }): Promise<AuditRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'jamming-audit-'));
  const store = openStore(join(dir, 'audit.sqlite'));
  try {
    const res = await runSweep(
      records.map((r) => r.item),
      { store, ...(opts.workers !== undefined ? { workers: opts.workers } : {}), ...(opts.progress ? { progress: opts.progress } : {}) },
    );
    return records.map((old, i) => {
      const fresh = res.recordOf(i);
      const id = itemId(old.item);
      if (!fresh) {
        const f = res.failures.find((x) => itemId(x.item) === id);
        return { id, label: runLabel(old), verdict: old.results.verdict, identical: false, field: '(run)', before: 'a record', now: `failed: ${f?.message ?? 'no record'}`, differing: 1 };
      }
      const a = baselineEntry(old).values;
      const b = baselineEntry(opts.committed ? committedRecord(fresh, old.deltas !== undefined) : fresh).values;
      const fields = differingFields(a, b);
      if (fields.length === 0) return { id, label: runLabel(old), verdict: old.results.verdict, identical: true, differing: 0 };
      const k = fields[0];
      return { id, label: runLabel(old), verdict: old.results.verdict, identical: false, field: k, before: a[k], now: b[k], relative: relativeChange(a[k], b[k]), differing: fields.length };
    });
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

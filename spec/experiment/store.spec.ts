/**
 * The store keeps going when a row or the file is damaged (src/experiment/store.ts): an unreadable
 * row is quarantined with its reason and its run recomputed; a damaged file is reported with its
 * name and the command that keeps what is readable, which then works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore, rebuildStore, StoreDamaged } from '../../src/experiment/store.ts';
import { runSweep } from '../../src/experiment/sweep.ts';
import type { RunRecord } from '../../src/run/record.ts';
import { smallItems } from '../support/smallItems.ts';

let dir: string;
let records: RunRecord[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jamming-store-'));
  const s = openStore(join(dir, 'made.sqlite'));
  records = (await runSweep(smallItems(3), { store: s, workers: 0 })).records;
  s.close();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function storeWith(name: string, rs: readonly RunRecord[]) {
  const path = join(dir, name);
  const s = openStore(path);
  for (const r of rs) s.put(r);
  s.close();
  return path;
}

describe('store', () => {
  it('a truncated row is quarantined with its reason, reads as missing, and the next sweep recomputes it identically', async () => {
    const path = storeWith('truncated.sqlite', records);
    const db = new Database(path);
    db.prepare('UPDATE runs SET record = substr(record, 1, 50) WHERE key = ?').run(records[1].key);
    db.close();
    const s = openStore(path);
    expect(s.all().map((r) => r.key)).toEqual([records[0].key, records[2].key].sort());
    const q = s.quarantined();
    expect(q.map((x) => x.key)).toEqual([records[1].key]);
    expect(q[0].reason).toMatch(/invalid JSON/);
    const again = await runSweep(smallItems(3), { store: s, workers: 0 });
    expect(again.computed).toBe(1);
    const strip = (r: RunRecord) => ({ ...r, wallSeconds: 0, results: { ...r.results, wallSeconds: 0 } });
    expect(again.records.map(strip)).toEqual(records.map(strip));
    expect(s.check()).toMatchObject({ integrity: 'ok', records: 3, quarantined: 1 });
    s.close();
  });

  it('a damaged file says which file and the command that keeps what is readable; --rebuild then keeps it', () => {
    const path = storeWith('damaged.sqlite', records);
    // overwrite the pages after the first with noise: SQLite's own structure is broken
    const fd = openSync(path, 'r+');
    const size = statSync(path).size;
    writeSync(fd, Buffer.alloc(size - 4096, 0xa5), 0, size - 4096, 4096);
    closeSync(fd);
    let err: unknown;
    try {
      const s = openStore(path);
      s.all();
      s.close();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreDamaged);
    expect((err as Error).message).toContain(`store ${path} is damaged`);
    expect((err as Error).message).toContain(`npx jamming store check --store ${path} --rebuild`);
    const r = rebuildStore(path);
    expect(r.damagedCopy).toMatch(/damaged\.sqlite\.damaged-/);
    const s = openStore(path);
    expect(s.check().integrity).toBe('ok');
    expect(s.all().length).toBe(r.kept);
    s.close();
  });
});

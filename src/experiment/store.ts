import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { InputError } from '../util/errors.ts';
import { itemKey } from '../run/key.ts';
import type { RunRecord } from '../run/record.ts';

/**
 * The run store: one embedded SQLite file (better-sqlite3, WAL mode), one row per finished run,
 * keyed by itemKey(item) (sha256 of the item's canonical JSON), the record kept as JSON text.
 *
 * Each put() is its own transaction, committed before put() returns: a sweep that is killed loses
 * at most the runs still in flight. Several processes may share one store file (WAL + busy timeout).
 *
 * Numbers are stored losslessly: JSON has no NaN, +-Infinity or -0, so those are written as
 * {"$number": "NaN" | "Infinity" | "-Infinity" | "-0"} and restored on reading; a record read back
 * is therefore identical to the one put.
 */
export interface Store {
  /** the file this store lives in (":memory:" for a throwaway store) */
  readonly path: string;
  has(key: string): boolean;
  /** the stored record, or null; a row whose JSON is corrupt throws an InputError naming its key */
  get(key: string): RunRecord | null;
  /** inserts or replaces the record under record.key (which must be itemKey(record.item)) */
  put(record: RunRecord): void;
  /** every record, ordered by key */
  all(): RunRecord[];
  keys(): Set<string>;
  /** how many records are stored */
  size(): number;
  close(): void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  key        TEXT PRIMARY KEY NOT NULL,
  record     TEXT NOT NULL,
  written_at TEXT NOT NULL
) WITHOUT ROWID;
`;

/** Opens (creating it and its parent folder if needed) the store at `path`. */
export function openStore(path: string): Store {
  if (typeof path !== 'string' || path === '') throw new InputError('store', path, 'a file path for the SQLite store');
  let db: Database.Database;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
  } catch (e) {
    throw new InputError('store', path, `a writable SQLite file path (${(e as Error).message})`);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 10000');
    db.exec(SCHEMA);
  } catch (e) {
    db.close();
    throw new InputError('store', path, `a SQLite database file (${(e as Error).message})`);
  }

  const hasStmt = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM runs WHERE key = ?');
  const getStmt = db.prepare<[string], { key: string; record: string }>('SELECT key, record FROM runs WHERE key = ?');
  const putStmt = db.prepare<[string, string, string]>('INSERT OR REPLACE INTO runs (key, record, written_at) VALUES (?, ?, ?)');
  const allStmt = db.prepare<[], { key: string; record: string }>('SELECT key, record FROM runs ORDER BY key');
  const keysStmt = db.prepare<[], { key: string }>('SELECT key FROM runs');
  const countStmt = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM runs');
  const putTx = db.transaction((key: string, json: string) => {
    putStmt.run(key, json, new Date().toISOString());
  });

  const parse = (key: string, text: string): RunRecord => {
    let rec: unknown;
    try {
      rec = JSON.parse(text, reviveNumber);
    } catch (e) {
      throw new InputError(`store ${path}: record ${key}`, `invalid JSON (${(e as Error).message})`, 'a JSON run record');
    }
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec) || (rec as { key?: unknown }).key !== key) {
      throw new InputError(`store ${path}: record ${key}`, rec, `a run record object whose key is ${key}`);
    }
    return rec as RunRecord;
  };

  return {
    path,
    has: (key) => hasStmt.get(key) !== undefined,
    get(key) {
      const row = getStmt.get(key);
      return row ? parse(row.key, row.record) : null;
    },
    put(record) {
      if (typeof record !== 'object' || record === null || typeof record.key !== 'string' || typeof record.item !== 'object') {
        throw new InputError('record', record, 'a run record {key, item, results, ...}');
      }
      const expected = itemKey(record.item);
      if (record.key !== expected) throw new InputError('record.key', record.key, `itemKey(record.item) = ${expected}`);
      putTx(record.key, JSON.stringify(record, replaceNumber));
    },
    all: () => allStmt.all().map((row) => parse(row.key, row.record)),
    keys: () => new Set(keysStmt.all().map((row) => row.key)),
    size: () => countStmt.get()!.n,
    close() {
      if (db.open) db.close();
    },
  };
}


const TAG = '$number';

function replaceNumber(_key: string, v: unknown): unknown {
  if (typeof v !== 'number') return v;
  if (Number.isNaN(v)) return { [TAG]: 'NaN' };
  if (v === Infinity) return { [TAG]: 'Infinity' };
  if (v === -Infinity) return { [TAG]: '-Infinity' };
  if (Object.is(v, -0)) return { [TAG]: '-0' };
  return v;
}

function reviveNumber(_key: string, v: unknown): unknown {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const t = o[TAG];
    if (typeof t === 'string' && Object.keys(o).length === 1) {
      switch (t) {
        case 'NaN':
          return NaN;
        case 'Infinity':
          return Infinity;
        case '-Infinity':
          return -Infinity;
        case '-0':
          return -0;
      }
    }
  }
  return v;
}

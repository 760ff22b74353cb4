import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { hostname } from 'node:os';
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
 * A row that cannot be read back (truncated or edited JSON, a record under another key) is moved to
 * the `quarantine` table with the reason, and the run is missing, so the next sweep recomputes it:
 * one bad row never blocks a store. A damaged file (SQLite's own pages) is reported with the file's
 * name and the command that keeps what is readable (`jamming store check --rebuild`).
 *
 * Numbers are stored losslessly: JSON has no NaN, +-Infinity or -0, so those are written as
 * {"$number": "NaN" | "Infinity" | "-Infinity" | "-0"} and restored on reading; a record read back
 * is therefore identical to the one put.
 */
export interface Store {
  /** the file this store lives in (":memory:" for a throwaway store) */
  readonly path: string;
  has(key: string): boolean;
  /** the stored record, or null; an unreadable row is quarantined and reads as null */
  get(key: string): RunRecord | null;
  /** inserts or replaces the record under record.key (which must be itemKey(record.item)) */
  put(record: RunRecord): void;
  /** every record, ordered by key */
  all(): RunRecord[];
  keys(): Set<string>;
  /** how many records are stored */
  size(): number;
  /** the quarantined rows: key, why, when */
  quarantined(): { key: string; reason: string; movedAt: string }[];
  /** SQLite's integrity check, then every row read back (unreadable ones quarantined) */
  check(): StoreCheck;
  /**
   * The lease of a run for `owner` until now + ttlMs, unless another owner holds one that has not
   * expired: two coordinators on one store split the pending runs instead of both computing them,
   * and the leases of a killed one expire, so its runs are taken over.
   */
  claim(key: string, owner: string, ttlMs: number): boolean;
  /** extends the owner's leases of these runs (a long run keeps its lease while it computes) */
  renew(keys: readonly string[], owner: string, ttlMs: number): void;
  release(key: string, owner: string): void;
  /** when each record was written (ISO time), by key */
  writtenAt(): Map<string, string>;
  /**
   * Registers claims' rule digests (claims/ruleDigest.ts) before the runs: a digest seen before
   * keeps its first registration, so a rule's registration says when it was first used here.
   */
  registerRules(rules: readonly { claim: number; digest: string }[], commit: string): void;
  /** every registration: claim, digest, commit, time */
  ruleRegistrations(): RuleRegistration[];
  close(): void;
}

export interface RuleRegistration {
  readonly claim: number;
  readonly digest: string;
  readonly commit: string;
  readonly registeredAt: string;
}

export interface StoreCheck {
  readonly integrity: string;
  readonly records: number;
  readonly quarantinedNow: number;
  readonly quarantined: number;
}

/**
 * A lease owner is "host:pid:nonce". On this host, a process that no longer exists holds nothing:
 * its leases are taken over at once instead of after their expiry (a sweep killed and started again).
 */
function ownerAlive(owner: string): boolean {
  const [host, pid] = owner.split(':');
  if (host !== hostname()) return true;
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The store's file is damaged below the rows (SQLite pages): a tool failure (exit 3) that says how to recover. */
export class StoreDamaged extends Error {
  constructor(readonly path: string, cause: string) {
    super(`store ${path} is damaged (${cause}); keep every readable record with: npx jamming store check --store ${path} --rebuild (the damaged file is kept beside it)`);
    this.name = 'StoreDamaged';
  }
}

/** SQLite's own pages are broken. (A file that is no SQLite database at all is bad input: InputError.) */
function damaged(path: string, e: unknown): never {
  if (((e as { code?: string }).code ?? '').startsWith('SQLITE_CORRUPT')) throw new StoreDamaged(path, (e as Error).message);
  throw e;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  key        TEXT PRIMARY KEY NOT NULL,
  record     TEXT NOT NULL,
  written_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS leases (
  key        TEXT PRIMARY KEY NOT NULL,
  owner      TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rules (
  claim         INTEGER NOT NULL,
  digest        TEXT NOT NULL,
  git_commit    TEXT NOT NULL,
  registered_at TEXT NOT NULL,
  PRIMARY KEY (claim, digest)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS quarantine (
  key        TEXT NOT NULL,
  record     TEXT NOT NULL,
  reason     TEXT NOT NULL,
  moved_at   TEXT NOT NULL
);
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
    if (((e as { code?: string }).code ?? '').startsWith('SQLITE_CORRUPT')) throw new StoreDamaged(path, (e as Error).message);
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
  const quarantineStmt = db.prepare<[string, string, string, string]>('INSERT INTO quarantine (key, record, reason, moved_at) VALUES (?, ?, ?, ?)');
  const dropStmt = db.prepare<[string]>('DELETE FROM runs WHERE key = ?');
  const quarantineTx = db.transaction((key: string, text: string, reason: string) => {
    quarantineStmt.run(key, text, reason, new Date().toISOString());
    dropStmt.run(key);
  });
  const leaseGet = db.prepare<[string], { owner: string; expires_at: number }>('SELECT owner, expires_at FROM leases WHERE key = ?');
  const leasePut = db.prepare<[string, string, number]>('INSERT OR REPLACE INTO leases (key, owner, expires_at) VALUES (?, ?, ?)');
  const leaseRenew = db.prepare<[number, string, string]>('UPDATE leases SET expires_at = ? WHERE key = ? AND owner = ?');
  const leaseDrop = db.prepare<[string, string]>('DELETE FROM leases WHERE key = ? AND owner = ?');
  // IMMEDIATE: the read and the write of a claim are one step for every process on the file
  const claimTx = db.transaction((key: string, owner: string, ttlMs: number): boolean => {
    const now = Date.now();
    const l = leaseGet.get(key);
    if (l && l.owner !== owner && l.expires_at > now && ownerAlive(l.owner)) return false;
    leasePut.run(key, owner, now + ttlMs);
    return true;
  });
  const writtenStmt = db.prepare<[], { key: string; written_at: string }>('SELECT key, written_at FROM runs');
  const ruleStmt = db.prepare<[number, string, string, string]>('INSERT OR IGNORE INTO rules (claim, digest, git_commit, registered_at) VALUES (?, ?, ?, ?)');
  const rulesTx = db.transaction((rules: readonly { claim: number; digest: string }[], commit: string) => {
    const now = new Date().toISOString();
    for (const r of rules) ruleStmt.run(r.claim, r.digest, commit, now);
  });
  const listRules = db.prepare<[], { claim: number; digest: string; git_commit: string; registered_at: string }>(
    'SELECT claim, digest, git_commit, registered_at FROM rules ORDER BY registered_at, claim',
  );
  const listQuarantine = db.prepare<[], { key: string; reason: string; moved_at: string }>('SELECT key, reason, moved_at FROM quarantine ORDER BY moved_at, key');

  /** The record of a row, or null after moving an unreadable row to the quarantine (its run is then recomputed). */
  const parse = (key: string, text: string): RunRecord | null => {
    let rec: unknown;
    let reason: string | undefined;
    try {
      rec = JSON.parse(text, reviveNumber);
      if (typeof rec !== 'object' || rec === null || Array.isArray(rec) || (rec as { key?: unknown }).key !== key) reason = `not a run record under its key ${key}`;
    } catch (e) {
      reason = `invalid JSON (${(e as Error).message})`;
    }
    if (reason === undefined) return rec as RunRecord;
    quarantineTx(key, text, reason);
    return null;
  };
  const guarded = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      return damaged(path, e);
    }
  };

  return {
    path,
    has: (key) => guarded(() => hasStmt.get(key) !== undefined),
    get(key) {
      const row = guarded(() => getStmt.get(key));
      return row ? parse(row.key, row.record) : null;
    },
    put(record) {
      if (typeof record !== 'object' || record === null || typeof record.key !== 'string' || typeof record.item !== 'object') {
        throw new InputError('record', record, 'a run record {key, item, results, ...}');
      }
      const expected = itemKey(record.item);
      if (record.key !== expected) throw new InputError('record.key', record.key, `itemKey(record.item) = ${expected}`);
      guarded(() => putTx(record.key, JSON.stringify(record, replaceNumber)));
    },
    all: () => guarded(() => allStmt.all()).flatMap((row) => parse(row.key, row.record) ?? []),
    keys: () => new Set(guarded(() => keysStmt.all()).map((row) => row.key)),
    size: () => guarded(() => countStmt.get()!.n),
    quarantined: () => guarded(() => listQuarantine.all()).map((r) => ({ key: r.key, reason: r.reason, movedAt: r.moved_at })),
    claim: (key, owner, ttlMs) => guarded(() => claimTx.immediate(key, owner, ttlMs)),
    renew: (keys, owner, ttlMs) =>
      guarded(() => {
        const until = Date.now() + ttlMs;
        for (const k of keys) leaseRenew.run(until, k, owner);
      }),
    release: (key, owner) => guarded(() => void leaseDrop.run(key, owner)),
    writtenAt: () => new Map(guarded(() => writtenStmt.all()).map((r) => [r.key, r.written_at])),
    registerRules: (rules, commit) => guarded(() => rulesTx(rules, commit)),
    ruleRegistrations: () =>
      guarded(() => listRules.all()).map((r) => ({ claim: r.claim, digest: r.digest, commit: r.git_commit, registeredAt: r.registered_at })),
    check() {
      const integrity = guarded(() => (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; '));
      const before = guarded(() => listQuarantine.all()).length;
      const records = this.all().length;
      const quarantined = guarded(() => listQuarantine.all()).length;
      return { integrity, records, quarantinedNow: quarantined - before, quarantined };
    },
    close() {
      if (db.open) db.close();
    },
  };
}


/** A record as text, losslessly (NaN, Infinity and -0 kept): the store's own encoding, also a queue job's return value. */
export function encodeRecord(record: RunRecord): string {
  return JSON.stringify(record, replaceNumber);
}

/** The inverse of encodeRecord; `where` names the source in the error of a text that is no record. */
export function decodeRecord(text: string, where: string): RunRecord {
  let rec: unknown;
  try {
    rec = JSON.parse(text, reviveNumber);
  } catch (e) {
    throw new Error(`${where}: not a run record (${(e as Error).message})`);
  }
  if (typeof rec !== 'object' || rec === null || typeof (rec as { key?: unknown }).key !== 'string') throw new Error(`${where}: not a run record`);
  return rec as RunRecord;
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

/**
 * Copies every readable row of a damaged store into a new file, which then takes the store's place;
 * the damaged file is kept beside it (`<path>.damaged-<time>`). Rows SQLite cannot read are lost
 * (their runs are recomputed by the next sweep). Returns how many rows were kept and the damaged copy.
 */
export function rebuildStore(path: string): { kept: number; unreadable: boolean; damagedCopy: string } {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const fresh = `${path}.rebuilt-${stamp}`;
  const out = new Database(fresh);
  out.pragma('journal_mode = WAL');
  out.exec(SCHEMA);
  const put = out.prepare<[string, string, string]>('INSERT OR REPLACE INTO runs (key, record, written_at) VALUES (?, ?, ?)');
  let kept = 0;
  let unreadable = false;
  let src: Database.Database | undefined;
  try {
    src = new Database(path, { readonly: true, fileMustExist: true });
    for (const row of src.prepare<[], { key: string; record: string; written_at: string }>('SELECT key, record, written_at FROM runs').iterate()) {
      put.run(row.key, row.record, row.written_at);
      kept++;
    }
  } catch {
    unreadable = true; // SQLite stopped at a damaged page: what was read before it is kept
  } finally {
    src?.close();
    out.pragma('wal_checkpoint(TRUNCATE)');
    out.close();
  }
  const damagedCopy = `${path}.damaged-${stamp}`;
  renameSync(path, damagedCopy);
  for (const ext of ['-wal', '-shm']) if (existsSync(path + ext)) renameSync(path + ext, damagedCopy + ext);
  renameSync(fresh, path);
  for (const ext of ['-wal', '-shm']) rmSync(fresh + ext, { force: true });
  return { kept, unreadable, damagedCopy };
}

import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RunRecord } from '../run/record.ts';
import { itemId } from '../run/key.ts';
import { numericsDigest } from '../run/numerics.ts';
import { writeFileAtomic } from '../util/atomicWrite.ts';
import { InputError } from '../util/errors.ts';

/**
 * The numbers of a scale's runs, committed (fixtures/baseline/<scale>.json) so that a change to the
 * numerics shows at once: every field of every record, wall times aside, one value per field; an
 * array of numbers (every Delta, eigenvalues, held-out outputs) as its length and a sha256 of its
 * bits. A run is named by its item (itemId), whatever the numerics: the store key changes with the
 * numerics digest, the run does not.
 */
export interface BaselineEntry {
  readonly id: string;
  readonly label: string;
  readonly values: Record<string, number | string | boolean | null>;
}

export interface Baseline {
  readonly format: 'jamming-baseline';
  readonly scale: string;
  /** the numerics digest the values were computed with (informative: the values are what is compared) */
  readonly numerics: string;
  readonly entries: BaselineEntry[];
}

/** A field whose value is a time, not a number of the run. */
const TIMING = /(^|\.)(wallSeconds|seconds)$/;

function arrayDigest(a: readonly number[]): string {
  return `${a.length} numbers, sha256 ${createHash('sha256').update(Buffer.from(Float64Array.from(a).buffer)).digest('hex').slice(0, 16)}`;
}

function flatten(v: unknown, path: string, out: Record<string, number | string | boolean | null>): void {
  if (TIMING.test(path)) return;
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number')) out[path] = arrayDigest(v as number[]);
  else if (Array.isArray(v)) v.forEach((x, i) => flatten(x, `${path}[${i}]`, out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v).sort()) flatten((v as Record<string, unknown>)[k], path ? `${path}.${k}` : k, out);
  else if (v !== undefined) out[path] = v as number | string | boolean | null;
}

/** "random P=300 d=12 h=12 L=2 seed=101" */
export function runLabel(r: RunRecord): string {
  const { data, model, seed } = r.item.config;
  const src = data.kind === 'file' ? `file ${data.path}` : `${data.kind} P=${data.P} d=${data.d}`;
  return `${src} h=${model.h} L=${model.L}${model.activation === 'softplus' ? ' softplus' : ''} seed=${seed}${r.item.analyse.spectra === 'full' ? ' (full spectra)' : ''}`;
}

export function baselineEntry(r: RunRecord): BaselineEntry {
  const values: Record<string, number | string | boolean | null> = {};
  const { key: _k, item: _i, ...rest } = r;
  flatten(rest, '', values);
  return { id: itemId(r.item), label: runLabel(r), values };
}

export function makeBaseline(scale: string, records: readonly RunRecord[]): Baseline {
  const entries = records.map(baselineEntry).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { format: 'jamming-baseline', scale, numerics: numericsDigest(), entries };
}

export function baselinePath(scale: string): string {
  return fileURLToPath(new URL(`../../fixtures/baseline/${scale}.json`, import.meta.url));
}

export function readBaseline(path: string): Baseline | null {
  if (!existsSync(path)) return null;
  const b = JSON.parse(readFileSync(path, 'utf8')) as Baseline;
  if (b.format !== 'jamming-baseline' || !Array.isArray(b.entries)) throw new InputError(path, b.format, 'a baseline file (format "jamming-baseline")');
  return b;
}

export function writeBaseline(path: string, b: Baseline): void {
  // one run per line: a diff of the file reads as a list of the runs that moved
  const head = JSON.stringify({ format: b.format, scale: b.scale, numerics: b.numerics });
  writeFileAtomic(path, `${head.slice(0, -1)},"entries":[\n${b.entries.map((e) => JSON.stringify(e)).join(',\n')}\n]}\n`);
}

/** The fields (in name order) whose values differ between two entries' values; NaN equals NaN. */
export function differingFields(a: BaselineEntry['values'], b: BaselineEntry['values']): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().filter((k) => a[k] !== b[k] && !(Number.isNaN(a[k] as number) && Number.isNaN(b[k] as number)));
}

/** |y - x| / max(|x|, |y|) for two numbers; NaN otherwise. */
export function relativeChange(x: unknown, y: unknown): number {
  return typeof x === 'number' && typeof y === 'number' ? Math.abs(y - x) / Math.max(Math.abs(x), Math.abs(y)) : NaN;
}

/** One number (or digest) that moved, or a run that appeared or went. */
export interface Moved {
  readonly label: string;
  readonly field: string;
  readonly before: number | string | boolean | null | undefined;
  readonly now: number | string | boolean | null | undefined;
  /** |now - before| / max(|before|, |now|) for numbers; NaN otherwise */
  readonly relative: number;
}

/** Every difference between a baseline and the records of the same runs (records of runs it does not hold are listed as new). */
export function compareToBaseline(b: Baseline, records: readonly RunRecord[]): Moved[] {
  const now = new Map(records.map((r) => [itemId(r.item), baselineEntry(r)]));
  const out: Moved[] = [];
  for (const e of b.entries) {
    const n = now.get(e.id);
    if (!n) {
      out.push({ label: e.label, field: '(run)', before: 'in the baseline', now: 'not run', relative: NaN });
      continue;
    }
    for (const field of differingFields(e.values, n.values)) {
      const [x, y] = [e.values[field], n.values[field]];
      out.push({ label: e.label, field, before: x, now: y, relative: relativeChange(x, y) });
    }
    now.delete(e.id);
  }
  for (const n of now.values()) out.push({ label: n.label, field: '(run)', before: 'not in the baseline', now: 'run', relative: NaN });
  return out;
}

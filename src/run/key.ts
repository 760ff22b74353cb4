import { createHash } from 'node:crypto';
import type { SweepItem } from './record.ts';
import { numericsDigest } from './numerics.ts';

/** Canonical JSON (keys sorted at every level): equal items hash equally whatever their key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The run an item asks for, whatever the numerics: sha256 of its canonical JSON (the baseline's and audit's name for a run). */
export function itemId(item: SweepItem): string {
  return createHash('sha256').update(canonicalJson(item)).digest('hex');
}

/**
 * The key of a run record: the item and the numerics that computed it (numerics.ts: a digest of the
 * code and built kernels that decide numbers), so a record of other numerics is never read back.
 */
export function itemKey(item: SweepItem): string {
  return keyUnder(item, numericsDigest());
}

/** The key the item had under the given numerics digest (a run file names the digest its record was made by). */
export function keyUnder(item: SweepItem, numerics: string): string {
  return createHash('sha256').update(canonicalJson({ item, numerics })).digest('hex');
}

import { createHash } from 'node:crypto';
import type { SweepItem } from './record.ts';

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

/**
 * Version of the numerics behind a record (minimisers, stopping rules, analyses). It is part of every
 * store key, so bumping it when they change makes old records unreachable instead of silently reused.
 */
export const NUMERICS_VERSION = 'default-v8';

/** The key of a run record: sha256 of its item's canonical JSON (config and requested analyses) and NUMERICS_VERSION. */
export function itemKey(item: SweepItem): string {
  return createHash('sha256').update(canonicalJson({ item, numerics: NUMERICS_VERSION })).digest('hex');
}

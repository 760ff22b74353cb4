import type { RunRecord } from '../run/record.ts';
import { mean, sem } from '../stats/describe.ts';

/** Mean of a per-run error at one width, with its standard error. */
export interface ErrorPoint {
  readonly N: number;
  readonly mean: number;
  readonly sem: number;
  readonly n: number;
}

export function errorCurve(records: readonly RunRecord[], error: (r: RunRecord) => number | undefined): ErrorPoint[] {
  const byN = new Map<number, number[]>();
  for (const r of records) {
    const e = error(r);
    if (e !== undefined && Number.isFinite(e)) byN.set(r.results.N, [...(byN.get(r.results.N) ?? []), e]);
  }
  return [...byN.entries()].sort((a, b) => a[0] - b[0]).map(([N, e]) => ({ N, mean: mean(e), sem: e.length > 1 ? sem(e) : NaN, n: e.length }));
}

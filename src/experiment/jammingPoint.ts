import type { RunRecord, SweepItem } from '../run/record.ts';
import { gridPoints } from './transition.ts';

/**
 * The authors' jamming line (SCIENCE.md, "Set-up"): at fixed P, start from a width where every seed
 * reaches N_Delta = 0 and decrease h until a run has N_Delta > 0.1 N; then bisect on h. N* is
 * reported as an interval: the largest N with a jammed run, the smallest N above it with every seed
 * fitted. Dead-pattern runs and budget runs (outcome unknown) count as neither: they are set apart
 * exactly as in the width grids (transition.ts) and counted in each probe's `apart`.
 */
export interface JammingSearch {
  readonly label: string;
  /** the fixed number of patterns */
  readonly P: number;
  readonly seeds: readonly number[];
  item(h: number, seed: number): SweepItem;
  N(h: number): number;
  readonly hStart: number;
  readonly hMin: number;
  readonly hMax: number;
}

export interface Probe {
  readonly h: number;
  readonly N: number;
  readonly runs: number;
  readonly fitted: number;
  readonly jammed: number;
  /** dead-pattern and budget runs, in no fraction */
  readonly apart: number;
}

export interface JammingPoint {
  readonly label: string;
  readonly P: number;
  readonly Nlow: number;
  readonly Nhigh: number;
  readonly probes: Probe[];
}

export async function findJammingPoint(search: JammingSearch, run: (items: SweepItem[]) => Promise<RunRecord[]>): Promise<JammingPoint> {
  const probes = new Map<number, Probe>();
  const probe = async (h: number): Promise<Probe> => {
    const known = probes.get(h);
    if (known) return known;
    const records = await run(search.seeds.map((s) => search.item(h, s)));
    const [g] = gridPoints(records, () => h);
    const p = { h, N: search.N(h), runs: g?.runs ?? 0, fitted: g?.fitted ?? 0, jammed: g?.jammed ?? 0, apart: records.length - (g?.runs ?? 0) };
    probes.set(h, p);
    return p;
  };
  const allFitted = (p: Probe) => p.runs > 0 && p.fitted === p.runs;
  // 1. up from hStart until every seed fits
  let hFit = search.hStart;
  while (!allFitted(await probe(hFit)) && hFit < search.hMax) hFit = Math.min(search.hMax, Math.ceil(hFit * 1.5));
  // 2. down by a quarter until a run is jammed by the authors' rule
  let hJam = hFit;
  while (hJam > search.hMin) {
    hJam = Math.max(search.hMin, Math.min(hJam - 1, Math.floor(hJam * 0.75)));
    const p = await probe(hJam);
    if (p.jammed > 0) break;
    if (allFitted(p)) hFit = hJam;
  }
  // 3. bisection between the two
  while (hFit - hJam > 1) {
    const mid = Math.floor((hFit + hJam) / 2);
    const p = await probe(mid);
    if (allFitted(p)) hFit = mid;
    else hJam = mid;
  }
  const list = [...probes.values()].sort((a, b) => a.h - b.h);
  const jammedNs = list.filter((p) => p.jammed > 0).map((p) => p.N);
  const Nlow = jammedNs.length ? Math.max(...jammedNs) : NaN;
  const above = list.filter((p) => allFitted(p) && !(p.N <= Nlow)).map((p) => p.N);
  return { label: search.label, P: search.P, Nlow, Nhigh: above.length ? Math.min(...above) : NaN, probes: list };
}

import { createHash } from 'node:crypto';
import { executeRun } from '../run/execute.ts';
import { hessianSpectra } from '../analyse/hessianSpectra.ts';
import { forward } from '../model/forward.ts';
import type { RunRecord, SpectraRecord, SweepItem } from './record.ts';

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
export const NUMERICS_VERSION = 'default-v5';

/** The store key of a sweep item: sha256 of its canonical JSON (config and requested analyses) and NUMERICS_VERSION. */
export function itemKey(item: SweepItem): string {
  return createHash('sha256').update(canonicalJson({ item, numerics: NUMERICS_VERSION })).digest('hex');
}

/** One sweep item end to end: train, then the analyses the claims asked for. Pure in the item. */
export async function runItem(item: SweepItem): Promise<RunRecord> {
  const start = performance.now();
  const run = await executeRun(item.config);
  const obj = { arch: run.arch, loss: run.loss, data: run.split.train };
  let spectra: SpectraRecord | undefined;
  if (item.analyse.spectra === 'full' || (item.analyse.spectra === 'counts' && run.results.verdict === 'jammed')) {
    const sp = hessianSpectra(obj, run.theta, run.hessian);
    let maxAbsHp = 0;
    for (const v of sp.eigHp) maxAbsHp = Math.max(maxAbsHp, Math.abs(v));
    spectra = {
      nNegHp: sp.nNegHp,
      nNegH: sp.nNegH,
      rankH0: sp.rankH0,
      minEigH: sp.minEigH,
      maxAbsHp,
      scale: sp.scale,
      tolerance: sp.tolerance,
      ...(item.analyse.spectra === 'full' ? { eigH: Array.from(sp.eigH), eigH0: Array.from(sp.eigH0), eigHp: Array.from(sp.eigHp) } : {}),
    };
  }
  let test: RunRecord['test'];
  if (item.analyse.testError && run.split.test) {
    const t = run.split.test;
    const f = forward(run.arch, run.theta, t.x, t.P);
    let wrong = 0;
    let loss = 0;
    for (let mu = 0; mu < t.P; mu++) {
      if (t.y[mu] * f[mu] <= 0) wrong++;
      loss += run.loss.ell(run.loss.kappa - t.y[mu] * f[mu]);
    }
    test = { P: t.P, error: wrong / t.P, loss: loss / t.P };
  }
  return {
    key: itemKey(item),
    item,
    results: run.results,
    ...(spectra ? { spectra } : {}),
    ...(item.analyse.deltas ? { deltas: Array.from(run.outcome.evaluation.delta) } : {}),
    ...(test ? { test } : {}),
    wallSeconds: (performance.now() - start) / 1000,
  };
}

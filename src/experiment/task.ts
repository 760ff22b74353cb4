import { createHash } from 'node:crypto';
import { executeRun } from '../run/execute.ts';
import { hessianSpectra } from '../analyse/hessianSpectra.ts';
import { forward } from '../model/forward.ts';
import { deadPatternIndices } from '../analyse/diagnostics.ts';
import type { Architecture } from '../model/architecture.ts';
import type { Dataset, DataSplit } from '../data/dataset.ts';
import type { Progress } from '../train/landscape.ts';
import type { RunRecord, SpectraRecord, SweepItem, TestRecord } from './record.ts';

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

/** The store key of a sweep item: sha256 of its canonical JSON (config and requested analyses) and NUMERICS_VERSION. */
export function itemKey(item: SweepItem): string {
  return createHash('sha256').update(canonicalJson({ item, numerics: NUMERICS_VERSION })).digest('hex');
}

/** One sweep item end to end: train, then the analyses the claims asked for. Pure in the item. */
export async function runItem(item: SweepItem): Promise<RunRecord> {
  const start = performance.now();
  const stopping = item.analyse.testError ? earlyStopping() : undefined;
  const run = await executeRun(item.config, stopping?.onProgress);
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
  let test: TestRecord | undefined;
  if (item.analyse.testError && run.split.test) {
    const t = run.split.test;
    const f = forward(run.arch, run.theta, t.x, t.P);
    let loss = 0;
    for (let mu = 0; mu < t.P; mu++) loss += run.loss.ell(run.loss.kappa - t.y[mu] * f[mu]);
    const early = stopping!.result(run.theta);
    test = { P: t.P, error: errorOn(t, f, 0, t.P), loss: loss / t.P, outputs: Array.from(f), labels: Array.from(t.y), ...(early ? { earlyStopped: early } : {}) };
  }
  return {
    key: itemKey(item),
    item,
    results: run.results,
    ...(spectra ? { spectra } : {}),
    ...(item.analyse.deltas ? { deltas: Array.from(run.outcome.evaluation.delta), deadIndices: deadPatternIndices(obj, run.outcome.evaluation) } : {}),
    ...(test ? { test } : {}),
    wallSeconds: (performance.now() - start) / 1000,
  };
}

/** Fraction of the held-out patterns lo .. hi-1 with y f <= 0. */
function errorOn(t: Dataset, f: Float64Array, lo: number, hi: number): number {
  let wrong = 0;
  for (let mu = lo; mu < hi; mu++) if (t.y[mu] * f[mu] <= 0) wrong++;
  return hi > lo ? wrong / (hi - lo) : NaN;
}

/**
 * Early stopping (claim 10's control, arXiv:1810.09665: "if early stopping is used, the cusp
 * disappears"): at every checkpoint of the minimiser (1000 steps) the held-out set's first half
 * (validation) is scored; the checkpoint with the lowest validation error is kept, and its error on
 * the second half is the early-stopped test error. The end of training is a candidate too.
 */
function earlyStopping() {
  let test: Dataset | undefined;
  let arch: Architecture | undefined;
  let best: { step: number; validationError: number; error: number } | undefined;
  let lastStep = 0;
  const score = (theta: Float64Array, step: number) => {
    if (!test || !arch) return;
    const half = Math.floor(test.P / 2);
    const f = forward(arch, theta, test.x, test.P);
    const validationError = errorOn(test, f, 0, half);
    if (!best || validationError < best.validationError) best = { step, validationError, error: errorOn(test, f, half, test.P) };
  };
  return {
    onProgress(p: Progress, run: { readonly arch: Architecture; readonly split: DataSplit }) {
      if (!p.theta) return;
      test = run.split.test;
      arch = run.arch;
      lastStep = p.step;
      score(p.theta, p.step);
    },
    result(theta: Float64Array): TestRecord['earlyStopped'] {
      if (!test || !arch) return undefined;
      score(theta, lastStep);
      const half = Math.floor(test.P / 2);
      const f = forward(arch, theta, test.x, test.P);
      return best ? { ...best, finalErrorSameHalf: errorOn(test, f, half, test.P) } : undefined;
    },
  };
}

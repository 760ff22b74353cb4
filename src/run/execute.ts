import { loadSource } from '../data/source.ts';
import type { Dataset, DataSplit } from '../data/dataset.ts';
import { layout, type Architecture } from '../model/architecture.ts';
import { initialParameters } from '../model/init.ts';
import { forward } from '../model/forward.ts';
import { makeLoss, type Loss } from '../loss/losses.ts';
import { minimise } from '../train/minimise.ts';
import type { Progress } from '../train/landscape.ts';
import { endPoint, type EndPoint } from '../analyse/endPoint.ts';
import { certify } from '../analyse/certificate.ts';
import { architectureOf } from './config.ts';
import { itemKey } from './key.ts';
import { requireMemory } from './memory.ts';
import type { AnalysisRequest, RunRecord, RunResults, SpectraRecord, SweepItem, TestRecord } from './record.ts';
import { norm2 } from '../util/vector.ts';

/** One run, end to end, and what it leaves besides its record (the run file keeps the parameters). */
export interface ExecutedRun {
  readonly record: RunRecord;
  readonly arch: Architecture;
  readonly loss: Loss;
  readonly split: DataSplit;
  readonly theta: Float64Array;
  /** the end point, with whatever was measured on it (its Hessian, when the run needed one) */
  readonly point: EndPoint;
}

export interface ExecuteOptions {
  /** called at the minimiser's checkpoints; also receives the run's architecture and data */
  readonly onProgress?: (p: Progress, run: { readonly arch: Architecture; readonly split: DataSplit }) => void;
}

/**
 * The one function that makes a run record: data -> model -> loss -> train, then the analyses the
 * item asks for, on one EndPoint (so the diagnostics, the Hessian and its eigenvalues are computed
 * once). The sweep's workers, `jamming train` and the scripts all call it; the store, the run file
 * and results.json keep its record unchanged. Pure in the item: same item, same bits.
 */
export async function executeRun(item: SweepItem, opts: ExecuteOptions = {}): Promise<ExecutedRun> {
  const start = performance.now();
  const { config, analyse } = item;
  // sizes that cannot fit are refused with the estimate before anything is allocated (a file's P is
  // known once it is read, which its own size bounds)
  if (config.data.kind !== 'file') requireMemory(architectureOf(config, config.data.d), config.data.P, analyse);
  const split = loadSource(config.data);
  const arch = architectureOf(config, split.train.d);
  if (config.data.kind === 'file') requireMemory(arch, split.train.P, analyse);
  const loss = makeLoss(config.loss.kind, config.loss.kappa);
  const obj = { arch, loss, data: split.train };
  const stopping = analyse.testError ? earlyStopping() : undefined;
  const onProgress =
    stopping || opts.onProgress
      ? (p: Progress) => {
          stopping?.onProgress(p, { arch, split });
          opts.onProgress?.(p, { arch, split });
        }
      : undefined;
  const outcome = await minimise(obj, initialParameters(arch, config.seed), { ...config.train, ...(onProgress ? { onProgress } : {}) });
  const lay = layout(arch);
  const ev = outcome.evaluation;
  const point = endPoint(obj, outcome.theta, ev);
  // every jammed run carries its certificate, measured (SCIENCE.md, "ReLU end points sit on kinks"):
  // ReLU runs of the default the non-smooth one their verdict rests on (train/), the others the
  // smooth one, measured on the Hessian
  const certificate = outcome.certificate ?? (outcome.verdict === 'jammed' ? certify(point) : undefined);
  const results: RunResults = {
    verdict: outcome.verdict,
    loss: ev.value,
    N: lay.N,
    Ntot: lay.Ntot,
    P: split.train.P,
    ...point.diagnostics(),
    gradientNorm: norm2(ev.gradient),
    ...(certificate ? { certificate } : {}),
    steps: outcome.steps,
    gradientEvaluations: outcome.gradientEvaluations,
    wallSeconds: outcome.wallSeconds,
    phases: outcome.phases,
    ...(outcome.backend ? { tfjsBackend: outcome.backend } : {}),
  };
  const spectra = wantsSpectra(analyse, outcome.verdict) ? spectraRecord(point, analyse.spectra === 'full') : undefined;
  let test: TestRecord | undefined;
  if (analyse.testError && split.test) {
    const t = split.test;
    const f = forward(arch, outcome.theta, t.x, t.P);
    let testLoss = 0;
    for (let mu = 0; mu < t.P; mu++) testLoss += loss.ell(loss.kappa - t.y[mu] * f[mu]);
    const early = stopping!.result(outcome.theta);
    test = { P: t.P, error: errorOn(t, f, 0, t.P), loss: testLoss / t.P, outputs: Array.from(f), labels: Array.from(t.y), ...(early ? { earlyStopped: early } : {}) };
  }
  const record: RunRecord = {
    key: itemKey(item),
    item,
    results,
    ...(spectra ? { spectra } : {}),
    ...(analyse.deltas ? { deltas: Array.from(ev.delta), deadIndices: point.deadPatternIndices() } : {}),
    // the end point itself where the loss is > 0: an independent check (scripts/adam-continuation.py)
    // continues it from the store instead of training it again
    ...(analyse.deltas && outcome.verdict !== 'fitted' ? { theta: Array.from(outcome.theta) } : {}),
    ...(test ? { test } : {}),
    wallSeconds: (performance.now() - start) / 1000,
  };
  return { record, arch, loss, split, theta: outcome.theta, point };
}

/** Spectra of jammed runs when counts are asked for; of every run when all eigenvalues are. */
function wantsSpectra(analyse: AnalysisRequest, verdict: RunResults['verdict']): boolean {
  return analyse.spectra === 'full' || (analyse.spectra === 'counts' && verdict === 'jammed');
}

/** The spectra part of a record (claims 2 to 4, 8), from the end point's one decomposition of H. */
export function spectraRecord(point: EndPoint, all: boolean): SpectraRecord {
  const sp = point.spectra();
  let maxAbsHp = 0;
  let sumSq = 0;
  for (const v of sp.eigHp) {
    maxAbsHp = Math.max(maxAbsHp, Math.abs(v));
    sumSq += v * v;
  }
  return {
    nNegHp: sp.nNegHp,
    nNegH: sp.nNegH,
    rankH0: sp.rankH0,
    minEigH: sp.minEigH,
    maxAbsHp,
    // the bulk of Hp's spectrum beside its edge (claim 8): sqrt(tr Hp^2 / Ntot)
    rmsHp: Math.sqrt(sumSq / sp.eigHp.length),
    scale: sp.scale,
    tolerance: sp.tolerance,
    ...(all ? { eigH: Array.from(sp.eigH), eigH0: Array.from(sp.eigH0), eigHp: Array.from(sp.eigHp) } : {}),
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

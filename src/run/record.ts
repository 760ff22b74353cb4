import type { RunConfig } from './config.ts';
import type { Diagnostics } from '../analyse/diagnostics.ts';
import type { Certificate } from '../analyse/certificate.ts';
import type { NonsmoothCertificate } from '../train/minimumCertificate.ts';
import type { Phase, Verdict } from '../train/minimise.ts';

/** What the claims may ask of one run beyond its training results. */
export interface AnalysisRequest {
  /** exact Hessian spectra of jammed runs (claims 3, 4, 8): counts, or counts plus every eigenvalue */
  readonly spectra: 'none' | 'counts' | 'full';
  /** keep every Delta at the minimum (claim 9: gaps) */
  readonly deltas: boolean;
  /** error on the held-out set (claims 10, 11), with the outputs on it and the early-stopped error */
  readonly testError: boolean;
}

export interface SweepItem {
  readonly config: RunConfig;
  readonly analyse: AnalysisRequest;
}

export interface SpectraRecord {
  readonly nNegHp: number;
  readonly nNegH: number;
  readonly rankH0: number;
  readonly minEigH: number;
  readonly maxAbsHp: number;
  /** sqrt(tr Hp^2 / Ntot), the rms eigenvalue of Hp (absent in records made before it was kept) */
  readonly rmsHp?: number;
  /** max |lambda(H)|: the scale of the threshold */
  readonly scale: number;
  readonly tolerance: number;
  readonly eigH?: number[];
  readonly eigH0?: number[];
  readonly eigHp?: number[];
}

/** What training gave, and the diagnostics and certificate of its end point. */
export interface RunResults extends Diagnostics {
  readonly verdict: Verdict;
  readonly loss: number;
  readonly N: number;
  readonly Ntot: number;
  readonly P: number;
  readonly gradientNorm: number;
  /** smooth or kinked (measured on the Hessian), or the non-smooth certificate of a ReLU run (its last one where the budget ended) */
  readonly certificate?: Certificate | NonsmoothCertificate;
  readonly steps: number;
  readonly gradientEvaluations: number;
  readonly wallSeconds: number;
  readonly phases: readonly Phase[];
  readonly tfjsBackend?: string;
}

/** One finished run, as stored (keyed by the hash of its sweep item) and exported to results.json. */
export interface RunRecord {
  readonly key: string;
  readonly item: SweepItem;
  readonly results: RunResults;
  readonly spectra?: SpectraRecord;
  readonly deltas?: number[];
  /** with deltas: the indices of the dead patterns (analyse/diagnostics.ts), which claim 9 leaves out */
  readonly deadIndices?: number[];
  /** with deltas, where the loss is > 0: the end point's parameters (the store keeps them, results.json not) */
  readonly theta?: number[];
  readonly test?: TestRecord;
  readonly wallSeconds: number;
}

/**
 * The held-out set of a run (claims 10, 11). The held-out patterns are split in two halves in
 * their order: `validation` (the first half) picks the early-stopping step, `error` and
 * `earlyStopped.error` are measured on the whole set and on the second half respectively.
 */
export interface TestRecord {
  readonly P: number;
  /** fraction of held-out patterns with y f <= 0 at the end of training */
  readonly error: number;
  readonly loss: number;
  /** f(x) on every held-out pattern at the end (claim 11: fluctuations between initialisations, ensembles) */
  readonly outputs?: number[];
  /** y on every held-out pattern (+1/-1), beside the outputs */
  readonly labels?: number[];
  /**
   * Early stopping (claim 10's control): the checkpoint (every 1000 steps) with the lowest error on
   * the validation half, and the error there on the other half.
   */
  readonly earlyStopped?: { readonly step: number; readonly validationError: number; readonly error: number; readonly finalErrorSameHalf: number };
}

/**
 * A run record as results.json keeps it: the record as stored, but for its per-pattern arrays (every
 * Delta, the dead patterns' indices, the held-out outputs and labels) and the end point's parameters,
 * thousands of numbers per run that would swell the committed file; they stay in the store.
 * `keepDeltas`: the Delta and dead indices of a run claim 9 reads (its values' `deltaRuns`) are kept,
 * so its exponents can be recomputed from results.json; JSON writes a float64 in the fewest digits
 * that read back the same number, so they are kept exactly.
 */
export function committedRecord(record: RunRecord, keepDeltas = false): RunRecord {
  const { deltas, deadIndices, theta: _theta, test, ...rest } = record;
  const kept = keepDeltas ? { ...(deltas ? { deltas } : {}), ...(deadIndices ? { deadIndices } : {}) } : {};
  if (!test) return { ...rest, ...kept };
  const { outputs: _o, labels: _l, ...t } = test;
  return { ...rest, ...kept, test: t };
}

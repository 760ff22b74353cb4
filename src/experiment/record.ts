import type { RunConfig } from '../run/config.ts';
import type { RunResults } from '../run/runFile.ts';

/** What the claims may ask of one run beyond its training results. */
export interface AnalysisRequest {
  /** exact Hessian spectra of jammed runs (claims 3, 4, 8): counts, or counts plus every eigenvalue */
  readonly spectra: 'none' | 'counts' | 'full';
  /** keep every Delta at the minimum (claim 9: gaps) */
  readonly deltas: boolean;
  /** error on the held-out set (claim 10) */
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
  /** max |lambda(H)|: the scale of the threshold */
  readonly scale: number;
  readonly tolerance: number;
  readonly eigH?: number[];
  readonly eigH0?: number[];
  readonly eigHp?: number[];
}

/** One finished run, as stored (keyed by the hash of its sweep item) and exported to results.json. */
export interface RunRecord {
  readonly key: string;
  readonly item: SweepItem;
  readonly results: RunResults;
  readonly spectra?: SpectraRecord;
  readonly deltas?: number[];
  readonly test?: { readonly P: number; readonly error: number; readonly loss: number };
  readonly wallSeconds: number;
}

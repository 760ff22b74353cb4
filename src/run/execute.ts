import { loadSource } from '../data/source.ts';
import type { DataSplit } from '../data/dataset.ts';
import { layout, type Architecture } from '../model/architecture.ts';
import { initialParameters } from '../model/init.ts';
import { makeLoss, type Loss } from '../loss/losses.ts';
import { minimise, type TrainOutcome } from '../train/minimise.ts';
import { diagnostics } from '../analyse/diagnostics.ts';
import { certify } from '../analyse/certificate.ts';
import { hessianSplit, type HessianSplit } from '../loss/hessian.ts';
import type { Progress } from '../train/landscape.ts';
import { architectureOf, type RunConfig } from './config.ts';
import type { RunResults } from './runFile.ts';
import { norm2 } from '../util/vector.ts';

export interface ExecutedRun {
  readonly config: RunConfig;
  readonly arch: Architecture;
  readonly loss: Loss;
  readonly split: DataSplit;
  readonly theta: Float64Array;
  readonly outcome: TrainOutcome;
  readonly results: RunResults;
  /** the exact Hessian at the end of a jammed run (built once, for its certificate) */
  readonly hessian?: HessianSplit;
}

/** data -> model -> loss -> train for one config; the same config gives bit-identical parameters. */
/** onProgress also receives the run's architecture and data (the sweep scores a held-out set at checkpoints). */
export async function executeRun(config: RunConfig, onProgress?: (p: Progress, run: { readonly arch: Architecture; readonly split: DataSplit }) => void): Promise<ExecutedRun> {
  const split = loadSource(config.data);
  const arch = architectureOf(config, split.train.d);
  const loss = makeLoss(config.loss.kind, config.loss.kappa);
  const obj = { arch, loss, data: split.train };
  const theta0 = initialParameters(arch, config.seed);
  const outcome = await minimise(obj, theta0, { ...config.train, ...(onProgress ? { onProgress: (p: Progress) => onProgress(p, { arch, split }) } : {}) });
  const lay = layout(arch);
  const ev = outcome.evaluation;
  // every jammed run carries its certificate, measured (SCIENCE.md, "ReLU end points sit on kinks"); its
  // Hessian is kept so that the analyses that follow do not build it again
  const hessian = outcome.verdict === 'jammed' ? hessianSplit(obj, outcome.theta, ev) : undefined;
  // ReLU runs of the default carry the non-smooth certificate their verdict rests on (train/);
  // the others the smooth one, measured on the Hessian
  const certificate = outcome.certificate ?? (hessian ? certify(obj, outcome.theta, ev, hessian) : undefined);
  const results: RunResults = {
    verdict: outcome.verdict,
    loss: ev.value,
    N: lay.N,
    Ntot: lay.Ntot,
    P: split.train.P,
    ...diagnostics(obj, ev),
    gradientNorm: norm2(ev.gradient),
    ...(certificate ? { certificate } : {}),
    steps: outcome.steps,
    gradientEvaluations: outcome.gradientEvaluations,
    wallSeconds: outcome.wallSeconds,
    phases: outcome.phases,
    ...(outcome.backend ? { tfjsBackend: outcome.backend } : {}),
  };
  return { config, arch, loss, split, theta: outcome.theta, outcome, results, ...(hessian ? { hessian } : {}) };
}

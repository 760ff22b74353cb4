import { loadSource } from '../data/source.ts';
import type { DataSplit } from '../data/dataset.ts';
import { layout, type Architecture } from '../model/architecture.ts';
import { initialParameters } from '../model/init.ts';
import { makeLoss, type Loss } from '../loss/losses.ts';
import { contacts, contactTolerance } from '../loss/delta.ts';
import { train, type TrainOptions } from '../train/train.ts';
import { architectureOf, type RunConfig } from './config.ts';
import type { RunResults } from './runFile.ts';
import { norm2 } from '../util/vector.ts';

export interface ExecutedRun {
  readonly config: RunConfig;
  readonly arch: Architecture;
  readonly loss: Loss;
  readonly split: DataSplit;
  readonly theta: Float64Array;
  readonly results: RunResults;
}

/** data -> model -> loss -> train for one config; deterministic in the config alone. */
export function executeRun(config: RunConfig, onProgress?: TrainOptions['onProgress']): ExecutedRun {
  const split = loadSource(config.data);
  const arch = architectureOf(config, split.train.d);
  const loss = makeLoss(config.loss.kind, config.loss.kappa);
  const obj = { arch, loss, data: split.train };
  const theta0 = initialParameters(arch, config.seed);
  const r = train(obj, theta0, { ...config.train, onProgress });
  const lay = layout(arch);
  const ev = r.evaluation;
  const tol = contactTolerance(loss.kappa);
  const results: RunResults = {
    verdict: r.verdict,
    loss: ev.value,
    N: lay.N,
    Ntot: lay.Ntot,
    nDelta: ev.nDelta,
    contacts: contacts(ev.delta, tol),
    contactTolerance: tol,
    gradientNorm: norm2(ev.gradient),
    steps: r.steps,
    gradientEvaluations: r.gradientEvaluations,
    wallSeconds: r.wallSeconds,
  };
  return { config, arch, loss, split, theta: r.theta, results };
}

import { validateConfig, type RunConfig } from '../run/config.ts';
import type { AnalysisRequest, SweepItem } from '../run/record.ts';

/** Random data with d = h (the authors' random-data runs, SCIENCE.md "Runs behind the published figures"). */
export function randomItem(
  p: { P: number; h: number; L: number; seed: number; d?: number; activation?: 'relu' | 'softplus'; beta?: number; loss?: 'quadratic' | 'crossEntropy'; maxEvaluations?: number },
  analyse: AnalysisRequest,
): SweepItem {
  const d = p.d ?? p.h;
  const config: RunConfig = validateConfig({
    data: { kind: 'random', P: p.P, d, seed: p.seed },
    model: { h: p.h, L: p.L, activation: p.activation ?? 'relu', beta: p.beta ?? 10 },
    loss: { kind: p.loss ?? 'quadratic' },
    train: { optimizer: 'default', engine: 'float64', ...(p.maxEvaluations ? { maxEvaluations: p.maxEvaluations } : {}) },
    seed: p.seed,
  });
  return { config, analyse };
}

/**
 * MNIST parity (PCA to d, default 10) with a held-out test set of nTest patterns. dataSeed (default:
 * the run's seed) picks the training and held-out sets; a family that shares it differs only in
 * the initialisation, as claim 11's fluctuations between initialisations and ensembles require.
 */
export function mnistItem(p: { P: number; h: number; L: number; seed: number; dataSeed?: number; d?: number; nTest: number; maxEvaluations?: number }, analyse: AnalysisRequest): SweepItem {
  const config: RunConfig = validateConfig({
    data: { kind: 'mnist', P: p.P, d: p.d ?? 10, seed: p.dataSeed ?? p.seed, nTest: p.nTest },
    model: { h: p.h, L: p.L },
    train: { optimizer: 'default', engine: 'float64', ...(p.maxEvaluations ? { maxEvaluations: p.maxEvaluations } : {}) },
    seed: p.seed,
  });
  return { config, analyse };
}

export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

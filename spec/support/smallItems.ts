import { validateConfig } from '../../src/run/config.ts';
import type { SweepItem } from '../../src/run/record.ts';

/** Runs of a fraction of a second each (P = 12, d = 4, h = 8, L = 1), seeds 1..count: a sweep small enough to kill and repeat. */
export function smallItems(count: number): SweepItem[] {
  return Array.from({ length: count }, (_, i) => ({
    config: validateConfig({ data: { kind: 'random', P: 12, d: 4, seed: i + 1 }, model: { h: 8, L: 1 }, train: { maxEvaluations: 5_000 }, seed: i + 1 }),
    analyse: { spectra: 'counts', deltas: true, testError: false },
  }));
}

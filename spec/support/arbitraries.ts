import fc from 'fast-check';
import { makeArchitecture, type Architecture } from '../../src/model/architecture.ts';
import { initialParameters } from '../../src/model/init.ts';
import { makeDataset, type Dataset } from '../../src/data/dataset.ts';
import { createRng } from '../../src/util/prng.ts';
import { makeLoss, type Loss, type LossKind } from '../../src/loss/losses.ts';
import type { Objective } from '../../src/loss/objective.ts';

/** Small arbitraries, composed: an architecture, then a network on it, then a problem around it. */
export const activationArb = fc.oneof(
  fc.constant({ activation: 'relu' as const, beta: 10 }),
  fc.record({ activation: fc.constant('softplus' as const), beta: fc.constantFrom(1, 2, 5, 10) }),
);

export const archArb = (maxL = 3): fc.Arbitrary<Architecture> =>
  fc
    .record({
      d: fc.integer({ min: 1, max: 5 }),
      h: fc.integer({ min: 1, max: 5 }),
      L: fc.integer({ min: 0, max: maxL }),
      bias: fc.boolean(),
      act: activationArb,
    })
    .map(({ d, h, L, bias, act }) => makeArchitecture({ d, h, L, bias, ...act }));

/** Parameters: the orthogonal initialisation plus a seeded perturbation (biases become non-zero). */
export function perturbedParameters(arch: Architecture, seed: number, scale = 0.3): Float64Array {
  const theta = initialParameters(arch, seed);
  const rng = createRng(seed + 7919);
  for (let i = 0; i < theta.length; i++) theta[i] += scale * rng.normal();
  return theta;
}

/** Gaussian inputs, alternating labels. */
export function gaussianData(P: number, d: number, seed: number): Dataset {
  const rng = createRng(seed);
  const x = new Float64Array(P * d);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const y = new Float64Array(P);
  for (let mu = 0; mu < P; mu++) y[mu] = mu % 2 === 0 ? 1 : -1;
  return makeDataset('gaussian', x, y, d);
}

export interface ProblemCase {
  readonly obj: Objective;
  readonly theta: Float64Array;
}

export const lossArb: fc.Arbitrary<Loss> = fc
  .record({ kind: fc.constantFrom<LossKind>('quadratic', 'quadratic', 'linear', 'crossEntropy'), kappa: fc.constantFrom(1, 0.5) })
  .map(({ kind, kappa }) => makeLoss(kind, kappa));

export const problemArb = (opts: { maxL?: number; loss?: fc.Arbitrary<Loss> } = {}): fc.Arbitrary<ProblemCase> =>
  fc
    .record({
      arch: archArb(opts.maxL ?? 3),
      P: fc.integer({ min: 1, max: 12 }),
      seed: fc.integer({ min: 0, max: 100_000 }),
      loss: opts.loss ?? fc.constant(makeLoss('quadratic', 1)),
    })
    .map(({ arch, P, seed, loss }) => ({
      obj: { arch, loss, data: gaussianData(P, arch.d, seed) },
      theta: perturbedParameters(arch, seed),
    }));

/**
 * Smallest |pre-activation| over all hidden units and patterns: ReLU derivatives are compared with
 * finite differences only away from the kinks, where they are defined.
 */
export function kinkDistance(trace: { z: Float64Array[] }): number {
  let m = Infinity;
  for (let l = 1; l < trace.z.length; l++) for (const z of trace.z[l]) m = Math.min(m, Math.abs(z));
  return m;
}

import { randomData } from '../data/random.ts';
import { makeArchitecture } from '../model/architecture.ts';
import { quadraticHinge } from '../loss/losses.ts';
import type { Objective } from '../loss/objective.ts';

/**
 * The fixed instances on which the default minimiser must agree with adam0 (a faster minimiser is
 * only a faster way to the same verdicts as the authors' protocol): random data,
 * d = h = 8, L = 2 (N = 136), P on both sides of the transition, which the default puts near
 * P = 200 to 300 here (P/N about 1.5 to 2.2), seeds 0 and 1. Fixed before any adam0 result was seen.
 */
export interface Adam0Instance {
  readonly name: string;
  readonly P: number;
  readonly d: number;
  readonly h: number;
  readonly L: number;
  readonly seed: number;
}

export const ADAM0_INSTANCES: readonly Adam0Instance[] = [100, 200, 300, 400].flatMap((P) =>
  [0, 1].map((seed) => ({ name: `random-d8-h8-L2-P${P}-s${seed}`, P, d: 8, h: 8, L: 2, seed })),
);

export function instanceObjective(i: Adam0Instance): Objective {
  return {
    arch: makeArchitecture({ d: i.d, h: i.h, L: i.L }),
    loss: quadraticHinge(1),
    data: randomData({ P: i.P, d: i.d, seed: i.seed }),
  };
}

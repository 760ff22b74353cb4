import { requireInt } from '../util/errors.ts';
import { createRng } from '../util/prng.ts';
import { makeDataset, type Dataset } from './dataset.ts';
import { centreThenRescale } from './normalize.ts';

export interface RandomDataOptions {
  /** number of patterns, >= 2 (centring one pattern leaves the zero vector, which has no direction) */
  readonly P: number;
  /** input dimension, >= 1 */
  readonly d: number;
  /** seed of createRng; the P x d Gaussian entries are drawn row by row from it */
  readonly seed: number;
}

/**
 * The authors' random data (SCIENCE.md, "Set-up"): x ~ N(0, I_d) for each pattern, centred over the
 * P patterns, then every row rescaled to norm sqrt(d). Labels alternate with the index,
 * y_mu = +1 for even mu and -1 for odd mu, so they are balanced and independent of x.
 */
export function randomData({ P, d, seed }: RandomDataOptions): Dataset {
  requireInt('P', P, 2);
  requireInt('d', d, 1);
  requireInt('seed', seed, 0, 0xffffffff);
  const rng = createRng(seed);
  const x = new Float64Array(P * d);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  centreThenRescale('random', x, P, d);
  return makeDataset('random', x, alternatingLabels(P), d);
}

/** +1, -1, +1, ... : the label of pattern mu is +1 iff mu is even. */
export function alternatingLabels(P: number): Float64Array {
  const y = new Float64Array(P);
  for (let mu = 0; mu < P; mu++) y[mu] = mu % 2 === 0 ? 1 : -1;
  return y;
}

import { InputError } from '../util/errors.ts';

/**
 * P patterns in d dimensions with labels +1/-1. x is row-major P x d (pattern mu is
 * x[mu*d .. mu*d+d-1]); float64 throughout, as the reference path requires.
 */
export interface Dataset {
  readonly name: string;
  readonly P: number;
  readonly d: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/** A train set and (optionally) a held-out test set drawn by the same recipe. */
export interface DataSplit {
  readonly train: Dataset;
  readonly test?: Dataset;
}

/**
 * The largest |x| a pattern may hold. Inputs are features of order 1 (the papers' rows have norm
 * sqrt(d)); 1e6 keeps every product of a forward pass far from overflow, where 1e308 gave a verdict
 * "jammed" with every pattern dead.
 */
export const MAX_ABS_INPUT = 1e6;

/** Checks shapes, finiteness, range and labels; every loader ends here, so no NaN reaches the model. */
export function makeDataset(name: string, x: Float64Array, y: Float64Array, d: number): Dataset {
  if (!Number.isInteger(d) || d < 1) throw new InputError(`${name}.d`, d, 'an integer >= 1');
  if (x.length % d !== 0) throw new InputError(`${name}.x`, `${x.length} numbers`, `a multiple of d = ${d}`);
  const P = x.length / d;
  if (P < 1) throw new InputError(`${name}.P`, P, 'at least one pattern');
  if (y.length !== P) throw new InputError(`${name}.y`, `${y.length} labels`, `one label per pattern (${P})`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]) || Math.abs(x[i]) > MAX_ABS_INPUT) {
      throw new InputError(`${name}.x[${Math.floor(i / d)}][${i % d}]`, x[i], `a finite number with |x| <= ${MAX_ABS_INPUT} (features of order 1; rescale the data)`);
    }
  }
  for (let mu = 0; mu < P; mu++) {
    if (y[mu] !== 1 && y[mu] !== -1) throw new InputError(`${name}.y[${mu}]`, y[mu], '+1 or -1');
  }
  return { name, P, d, x, y };
}

import { InputError } from '../util/errors.ts';

/**
 * The authors' data normalisation, shared by random data and MNIST: centre every column over the
 * P patterns, THEN rescale every row to norm sqrt(d). The order matters: rescaling after centring
 * leaves the column means small but not zero (mean_j = (1/P) sum_mu (c_mu - 1) z_mu,j, with c_mu the
 * row scale), exactly as in the reference code. x is row-major P x d and is modified in place.
 */
export function centreThenRescale(name: string, x: Float64Array, P: number, d: number): Float64Array {
  centreColumns(x, P, d);
  rescaleRows(name, x, P, d);
  return x;
}

/** Subtracts the sample mean over the P rows from every column (in place). */
export function centreColumns(x: Float64Array, P: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let mu = 0; mu < P; mu++) {
    const o = mu * d;
    for (let j = 0; j < d; j++) mean[j] += x[o + j];
  }
  for (let j = 0; j < d; j++) mean[j] /= P;
  for (let mu = 0; mu < P; mu++) {
    const o = mu * d;
    for (let j = 0; j < d; j++) x[o + j] -= mean[j];
  }
  return x;
}

/** Rescales every row to Euclidean norm sqrt(d) (in place); a zero row cannot be rescaled. */
export function rescaleRows(name: string, x: Float64Array, P: number, d: number): Float64Array {
  const target = Math.sqrt(d);
  for (let mu = 0; mu < P; mu++) {
    const o = mu * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += x[o + j] * x[o + j];
    const norm = Math.sqrt(s);
    if (!(norm > 0) || !Number.isFinite(norm)) {
      throw new InputError(`${name}.x[${mu}]`, `row norm ${norm}`, 'a row with finite non-zero norm (it is rescaled to sqrt(d))');
    }
    const c = target / norm;
    for (let j = 0; j < d; j++) x[o + j] *= c;
  }
  return x;
}

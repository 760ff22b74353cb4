/**
 * Cholesky factorisation A = L L^T of a symmetric n x n row-major matrix (lower triangle read),
 * in place into `out`; returns false as soon as A is not numerically positive definite.
 */
export function cholesky(a: Float64Array, n: number, out: Float64Array): boolean {
  out.fill(0);
  for (let j = 0; j < n; j++) {
    let s = a[j * n + j];
    for (let k = 0; k < j; k++) s -= out[j * n + k] * out[j * n + k];
    if (!(s > 0)) return false;
    const ljj = Math.sqrt(s);
    out[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let t = a[i * n + j];
      for (let k = 0; k < j; k++) t -= out[i * n + k] * out[j * n + k];
      out[i * n + j] = t / ljj;
    }
  }
  return true;
}

/** Solves L L^T x = b given the factor from cholesky(); x may alias b. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array, x: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * x[k];
    x[i] = s / l[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
}

// Householder reduction of a dense symmetric matrix to tridiagonal form, eigenvalues only: the
// O(n^3) part, with the same operations in the same order as src/kernels/reference/tridiagonal.ts
// (the implicit QL that follows is O(n^2) and stays in TypeScript, src/analyse/tridiagonal.ts).
// The product p = A u is split into a row part (in order, four rows interleaved) and a column part
// done as row-wise axpys: each p[j] still receives its terms in ascending k, so the result is
// bit-identical to the reference.
import { at } from './rows';

/** a: n x n row-major (lower triangle used, overwritten); d, e: length n; p: length n scratch. */
export function householderTridiagonal(a: usize, n: i32, d: usize, e: usize, p: usize): void {
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1;
    const u = a + at(i * n); // row i: u = a[i][0..l] after scaling
    let scale = 0.0;
    for (let k = 0; k <= l; k++) scale += Math.abs(load<f64>(u + at(k)));
    if (l == 0 || scale == 0) {
      store<f64>(e + at(i), load<f64>(u + at(l)));
      store<f64>(d + at(i), 0.0);
      continue;
    }
    let h = 0.0;
    for (let k = 0; k <= l; k++) {
      const v = load<f64>(u + at(k)) / scale;
      store<f64>(u + at(k), v);
      h += v * v;
    }
    const f = load<f64>(u + at(l));
    const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
    store<f64>(e + at(i), scale * g);
    h -= f * g;
    store<f64>(u + at(l), f - g);
    rowPart(a, n, u, p, l);
    // column part: p[j] += a[k][j] u[k] for k = j+1 .. l, ascending k
    for (let k = 1; k <= l; k++) {
      const uk = f64x2.splat(load<f64>(u + at(k)));
      const ukS = load<f64>(u + at(k));
      const rk = a + at(k * n);
      let j = 0;
      for (; j + 2 <= k; j += 2) {
        v128.store(p + at(j), f64x2.add(v128.load(p + at(j)), f64x2.mul(v128.load(rk + at(j)), uk)));
      }
      if (j < k) store<f64>(p + at(j), load<f64>(p + at(j)) + load<f64>(rk + at(j)) * ukS);
    }
    let uKu = 0.0;
    for (let j = 0; j <= l; j++) {
      const pj = load<f64>(p + at(j)) / h;
      store<f64>(p + at(j), pj);
      uKu += pj * load<f64>(u + at(j));
    }
    const hh = uKu / (h + h);
    for (let j = 0; j <= l; j++) store<f64>(p + at(j), load<f64>(p + at(j)) - hh * load<f64>(u + at(j)));
    // A <- A - u q^T - q u^T on the lower triangle of the leading block
    for (let j = 0; j <= l; j++) {
      const ujS = load<f64>(u + at(j));
      const qjS = load<f64>(p + at(j));
      const uj = f64x2.splat(ujS);
      const qj = f64x2.splat(qjS);
      const rj = a + at(j * n);
      let k = 0;
      for (; k + 2 <= j + 1; k += 2) {
        const t = f64x2.add(f64x2.mul(uj, v128.load(p + at(k))), f64x2.mul(qj, v128.load(u + at(k))));
        v128.store(rj + at(k), f64x2.sub(v128.load(rj + at(k)), t));
      }
      if (k <= j) store<f64>(rj + at(k), load<f64>(rj + at(k)) - (ujS * load<f64>(p + at(k)) + qjS * load<f64>(u + at(k))));
    }
    store<f64>(d + at(i), h);
  }
  for (let i = 0; i < n; i++) store<f64>(d + at(i), load<f64>(a + at(i * n + i)));
}

/** p[j] = sum_{k <= j} a[j][k] u[k], k ascending, for j = 0..l; four rows at a time for ILP. */
function rowPart(a: usize, n: i32, u: usize, p: usize, l: i32): void {
  let j = 0;
  for (; j + 3 <= l; j += 4) {
    const r0 = a + at(j * n), r1 = r0 + at(n), r2 = r1 + at(n), r3 = r2 + at(n);
    let s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    for (let k = 0; k <= j; k++) {
      const uk = load<f64>(u + at(k));
      s0 += load<f64>(r0 + at(k)) * uk;
      s1 += load<f64>(r1 + at(k)) * uk;
      s2 += load<f64>(r2 + at(k)) * uk;
      s3 += load<f64>(r3 + at(k)) * uk;
    }
    // rows j+1..j+3 continue with their remaining terms, still in ascending k
    let uk = load<f64>(u + at(j + 1));
    s1 += load<f64>(r1 + at(j + 1)) * uk;
    s2 += load<f64>(r2 + at(j + 1)) * uk;
    s3 += load<f64>(r3 + at(j + 1)) * uk;
    uk = load<f64>(u + at(j + 2));
    s2 += load<f64>(r2 + at(j + 2)) * uk;
    s3 += load<f64>(r3 + at(j + 2)) * uk;
    s3 += load<f64>(r3 + at(j + 3)) * load<f64>(u + at(j + 3));
    store<f64>(p + at(j), s0);
    store<f64>(p + at(j + 1), s1);
    store<f64>(p + at(j + 2), s2);
    store<f64>(p + at(j + 3), s3);
  }
  for (; j <= l; j++) {
    const rj = a + at(j * n);
    let s = 0.0;
    for (let k = 0; k <= j; k++) s += load<f64>(rj + at(k)) * load<f64>(u + at(k));
    store<f64>(p + at(j), s);
  }
}

// Householder reduction of a dense symmetric matrix to tridiagonal form, eigenvalues only: the
// O(n^3) part, with the same operations in the same order as src/kernels/reference/tridiagonal.ts
// (the implicit QL that follows is O(n^2) and stays in TypeScript, src/analyse/tridiagonal.ts).
//
// One pass over the matrix per step instead of three: at n of several thousand the matrix lives in
// main memory and the reduction is bound by reading it, not by arithmetic. Step i's rank-2 update
// of row j is followed at once by step i-1's product p' = A' u' on that row (u' is row i-1, updated
// and scaled first), while the row is in cache. Every p'[j] still receives its terms as the
// reference adds them: its row part (k <= j, ascending k), then its column part (rows k > j,
// ascending), so the result is bit-identical to the reference.
import { at } from './rows';

/**
 * a: n x n row-major (lower triangle used, overwritten); d, e: length n; p, p2: length n scratch
 * (the product of this step and that of the next, swapped from step to step).
 */
export function householderTridiagonal(a: usize, n: i32, d: usize, e: usize, p: usize, p2: usize): void {
  let ready = false; // p holds the raw row-plus-column sums of this step (done in the last step's pass)
  let h = 0.0;
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1;
    const u = a + at(i * n); // row i: u = a[i][0..l] after scaling
    if (!ready) {
      h = prelude(u, l, d, e, i);
      if (h == 0) continue; // nothing to annihilate in this row (l == 0 or an all-zero row)
      pass(a, n, l + 1, 0, 0, false, u, p);
    }
    // p = A u / h, K = u.p / 2h, q = p - K u
    let uKu = 0.0;
    for (let j = 0; j <= l; j++) {
      const pj = load<f64>(p + at(j)) / h;
      store<f64>(p + at(j), pj);
      uKu += pj * load<f64>(u + at(j));
    }
    const hh = uKu / (h + h);
    for (let j = 0; j <= l; j++) store<f64>(p + at(j), load<f64>(p + at(j)) - hh * load<f64>(u + at(j)));
    store<f64>(d + at(i), h);
    // A <- A - u q^T - q u^T on the lower triangle of rows 0..l: row l first, since it is the next u
    updateRow(a + at(l * n), l, u, p, load<f64>(u + at(l)), load<f64>(p + at(l)));
    const hNext = l > 0 ? prelude(a + at(l * n), l - 1, d, e, l) : 0.0;
    if (hNext == 0) {
      // the next step annihilates nothing: update the other rows alone, and that step starts afresh
      pass(a, n, l, u, p, true, 0, 0);
      ready = false;
    } else {
      pass(a, n, l, u, p, true, a + at(l * n), p2);
      const t = p;
      p = p2;
      p2 = t;
      h = hNext;
      ready = true;
    }
  }
  for (let i = 0; i < n; i++) store<f64>(d + at(i), load<f64>(a + at(i * n + i)));
}

/**
 * The start of step i on its row u = a[i][0..l]: scale, u <- u / scale with the Householder
 * shift on u[l], e[i]; returns h (0 when the step has nothing to do: l == 0 or u == 0, in which
 * case e[i] = u[l] and d[i] = 0 as the reference sets them).
 */
function prelude(u: usize, l: i32, d: usize, e: usize, i: i32): f64 {
  let scale = 0.0;
  for (let k = 0; k <= l; k++) scale += Math.abs(load<f64>(u + at(k)));
  if (l == 0 || scale == 0) {
    store<f64>(e + at(i), load<f64>(u + at(l)));
    store<f64>(d + at(i), 0.0);
    return 0;
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
  return h;
}

/** row[k] -= uj q[k] + qj u[k] for k = 0..j: one row of the rank-2 update. */
@inline function updateRow(row: usize, j: i32, u: usize, q: usize, ujS: f64, qjS: f64): void {
  const uj = f64x2.splat(ujS);
  const qj = f64x2.splat(qjS);
  let k = 0;
  for (; k + 2 <= j + 1; k += 2) {
    const t = f64x2.add(f64x2.mul(uj, v128.load(q + at(k))), f64x2.mul(qj, v128.load(u + at(k))));
    v128.store(row + at(k), f64x2.sub(v128.load(row + at(k)), t));
  }
  if (k <= j) store<f64>(row + at(k), load<f64>(row + at(k)) - (ujS * load<f64>(q + at(k)) + qjS * load<f64>(u + at(k))));
}

/** a[r][k] -= u[r] q[k] + q[r] u[k] (scalar, one entry) */
@inline function update1(a: usize, n: i32, r: i32, k: i32, u: usize, q: usize): f64 {
  const ptr = a + at(r * n + k);
  const v = load<f64>(ptr) - (load<f64>(u + at(r)) * load<f64>(q + at(k)) + load<f64>(q + at(r)) * load<f64>(u + at(k)));
  store<f64>(ptr, v);
  return v;
}

/**
 * Rows 0..m-1 of the lower triangle, in ascending order: with `upd`, the rank-2 update by (u, q)
 * first; with w != 0, then the product p'[j] = sum_{k<=j} a[j][k] w[k] (row part, ascending k),
 * and p'[k] += a[j][k] w[j] for k < j (column part, rows ascending). Four rows at a time for
 * instruction-level parallelism in the row sums, which are sequential in k as the reference's.
 */
function pass(a: usize, n: i32, m: i32, u: usize, q: usize, upd: bool, w: usize, pn: usize): void {
  if (w == 0) {
    for (let j = 0; j < m; j++) updateRow(a + at(j * n), j, u, q, load<f64>(u + at(j)), load<f64>(q + at(j)));
    return;
  }
  let j = 0;
  for (; j + 4 <= m; j += 4) {
    const r0 = a + at(j * n), r1 = r0 + at(n), r2 = r1 + at(n), r3 = r2 + at(n);
    const u0 = f64x2.splat(upd ? load<f64>(u + at(j)) : 0), u1 = f64x2.splat(upd ? load<f64>(u + at(j + 1)) : 0);
    const u2 = f64x2.splat(upd ? load<f64>(u + at(j + 2)) : 0), u3 = f64x2.splat(upd ? load<f64>(u + at(j + 3)) : 0);
    const q0 = f64x2.splat(upd ? load<f64>(q + at(j)) : 0), q1 = f64x2.splat(upd ? load<f64>(q + at(j + 1)) : 0);
    const q2 = f64x2.splat(upd ? load<f64>(q + at(j + 2)) : 0), q3 = f64x2.splat(upd ? load<f64>(q + at(j + 3)) : 0);
    const w0 = f64x2.splat(load<f64>(w + at(j))), w1 = f64x2.splat(load<f64>(w + at(j + 1)));
    const w2 = f64x2.splat(load<f64>(w + at(j + 2))), w3 = f64x2.splat(load<f64>(w + at(j + 3)));
    let s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    let k = 0;
    for (; k + 2 <= j; k += 2) {
      let a0 = v128.load(r0 + at(k)), a1 = v128.load(r1 + at(k)), a2 = v128.load(r2 + at(k)), a3 = v128.load(r3 + at(k));
      if (upd) {
        const qk = v128.load(q + at(k));
        const uk = v128.load(u + at(k));
        a0 = f64x2.sub(a0, f64x2.add(f64x2.mul(u0, qk), f64x2.mul(q0, uk)));
        a1 = f64x2.sub(a1, f64x2.add(f64x2.mul(u1, qk), f64x2.mul(q1, uk)));
        a2 = f64x2.sub(a2, f64x2.add(f64x2.mul(u2, qk), f64x2.mul(q2, uk)));
        a3 = f64x2.sub(a3, f64x2.add(f64x2.mul(u3, qk), f64x2.mul(q3, uk)));
        v128.store(r0 + at(k), a0);
        v128.store(r1 + at(k), a1);
        v128.store(r2 + at(k), a2);
        v128.store(r3 + at(k), a3);
      }
      const wk = v128.load(w + at(k));
      let t = f64x2.mul(a0, wk);
      s0 += f64x2.extract_lane(t, 0);
      s0 += f64x2.extract_lane(t, 1);
      t = f64x2.mul(a1, wk);
      s1 += f64x2.extract_lane(t, 0);
      s1 += f64x2.extract_lane(t, 1);
      t = f64x2.mul(a2, wk);
      s2 += f64x2.extract_lane(t, 0);
      s2 += f64x2.extract_lane(t, 1);
      t = f64x2.mul(a3, wk);
      s3 += f64x2.extract_lane(t, 0);
      s3 += f64x2.extract_lane(t, 1);
      let pk = v128.load(pn + at(k));
      pk = f64x2.add(pk, f64x2.mul(a0, w0));
      pk = f64x2.add(pk, f64x2.mul(a1, w1));
      pk = f64x2.add(pk, f64x2.mul(a2, w2));
      pk = f64x2.add(pk, f64x2.mul(a3, w3));
      v128.store(pn + at(k), pk);
    }
    if (k < j) {
      // one column left before the diagonal block (j odd)
      const b0 = upd ? update1(a, n, j, k, u, q) : load<f64>(r0 + at(k));
      const b1 = upd ? update1(a, n, j + 1, k, u, q) : load<f64>(r1 + at(k));
      const b2 = upd ? update1(a, n, j + 2, k, u, q) : load<f64>(r2 + at(k));
      const b3 = upd ? update1(a, n, j + 3, k, u, q) : load<f64>(r3 + at(k));
      const wk = load<f64>(w + at(k));
      s0 += b0 * wk;
      s1 += b1 * wk;
      s2 += b2 * wk;
      s3 += b3 * wk;
      let pk = load<f64>(pn + at(k));
      pk += b0 * load<f64>(w + at(j));
      pk += b1 * load<f64>(w + at(j + 1));
      pk += b2 * load<f64>(w + at(j + 2));
      pk += b3 * load<f64>(w + at(j + 3));
      store<f64>(pn + at(k), pk);
    }
    // the 4 x 4 diagonal block: update, finish the row sums, then the column terms inside the block
    if (upd) for (let mm = 0; mm < 4; mm++) for (let kk = 0; kk <= mm; kk++) update1(a, n, j + mm, j + kk, u, q);
    const wj0 = load<f64>(w + at(j)), wj1 = load<f64>(w + at(j + 1)), wj2 = load<f64>(w + at(j + 2)), wj3 = load<f64>(w + at(j + 3));
    s0 += load<f64>(r0 + at(j)) * wj0;
    s1 += load<f64>(r1 + at(j)) * wj0;
    s1 += load<f64>(r1 + at(j + 1)) * wj1;
    s2 += load<f64>(r2 + at(j)) * wj0;
    s2 += load<f64>(r2 + at(j + 1)) * wj1;
    s2 += load<f64>(r2 + at(j + 2)) * wj2;
    s3 += load<f64>(r3 + at(j)) * wj0;
    s3 += load<f64>(r3 + at(j + 1)) * wj1;
    s3 += load<f64>(r3 + at(j + 2)) * wj2;
    s3 += load<f64>(r3 + at(j + 3)) * wj3;
    s0 += load<f64>(r1 + at(j)) * wj1;
    s0 += load<f64>(r2 + at(j)) * wj2;
    s0 += load<f64>(r3 + at(j)) * wj3;
    s1 += load<f64>(r2 + at(j + 1)) * wj2;
    s1 += load<f64>(r3 + at(j + 1)) * wj3;
    s2 += load<f64>(r3 + at(j + 2)) * wj3;
    store<f64>(pn + at(j), s0);
    store<f64>(pn + at(j + 1), s1);
    store<f64>(pn + at(j + 2), s2);
    store<f64>(pn + at(j + 3), s3);
  }
  for (; j < m; j++) {
    const rj = a + at(j * n);
    if (upd) updateRow(rj, j, u, q, load<f64>(u + at(j)), load<f64>(q + at(j)));
    const wj = f64x2.splat(load<f64>(w + at(j)));
    const wjS = load<f64>(w + at(j));
    let s = 0.0;
    let k = 0;
    for (; k + 2 <= j; k += 2) {
      const ak = v128.load(rj + at(k));
      const t = f64x2.mul(ak, v128.load(w + at(k)));
      s += f64x2.extract_lane(t, 0);
      s += f64x2.extract_lane(t, 1);
      v128.store(pn + at(k), f64x2.add(v128.load(pn + at(k)), f64x2.mul(ak, wj)));
    }
    if (k < j) {
      const ak = load<f64>(rj + at(k));
      s += ak * load<f64>(w + at(k));
      store<f64>(pn + at(k), load<f64>(pn + at(k)) + ak * wjS);
    }
    s += load<f64>(rj + at(j)) * wjS;
    store<f64>(pn + at(j), s);
  }
}

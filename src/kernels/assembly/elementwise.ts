// Element-wise steps between the dense products; same operand order as the reference loops.
import { at, rowPtr } from './rows';

/** dst[q] = a[q] * b[q] (dst may alias a or b). */
export function mulInto(dst: usize, a: usize, b: usize, n: i32): void {
  let q = 0;
  for (; q + 2 <= n; q += 2) v128.store(dst + at(q), f64x2.mul(v128.load(a + at(q)), v128.load(b + at(q))));
  if (q < n) store<f64>(dst + at(q), load<f64>(a + at(q)) * load<f64>(b + at(q)));
}

/** dst[q] += (a[q] * b[q]) * c[q]: sigma'' Rz e, the curvature term of the R-backward pass. */
export function addProduct3(dst: usize, a: usize, b: usize, c: usize, n: i32): void {
  let q = 0;
  for (; q + 2 <= n; q += 2) {
    const t = f64x2.mul(f64x2.mul(v128.load(a + at(q)), v128.load(b + at(q))), v128.load(c + at(q)));
    v128.store(dst + at(q), f64x2.add(v128.load(dst + at(q)), t));
  }
  if (q < n) store<f64>(dst + at(q), load<f64>(dst + at(q)) + load<f64>(a + at(q)) * load<f64>(b + at(q)) * load<f64>(c + at(q)));
}

/** dst[q] = 0 */
export function zero(dst: usize, n: i32): void {
  memory.fill(dst, 0, <usize>n << 3);
}

/** *p = v: one entry, for a helper thread's call list (a Hessian column's unit vector e_j). */
export function poke(p: usize, v: f64): void {
  store<f64>(p, v);
}

/** dst[q] = src[q] > 0 ? src[q] : 0, the ReLU of the reference (NaN and -0 give +0). */
export function reluForward(dst: usize, src: usize, n: i32): void {
  const zero = f64x2.splat(0.0);
  let q = 0;
  for (; q + 2 <= n; q += 2) {
    const z = v128.load(src + at(q));
    v128.store(dst + at(q), v128.and(z, f64x2.gt(z, zero)));
  }
  if (q < n) {
    const z = load<f64>(src + at(q));
    store<f64>(dst + at(q), z > 0 ? z : 0.0);
  }
}

/** dst[r][i] = (z[row r][i] > 0 ? 1 : 0) * e[r][i]: sigma'(z) e for ReLU at the selected rows. */
export function reluBackward(dst: usize, z: usize, idx: usize, e: usize, rows: i32, width: i32): void {
  const zero = f64x2.splat(0.0);
  const one = f64x2.splat(1.0);
  for (let r = 0; r < rows; r++) {
    const zr = rowPtr(z, idx, r, width);
    const er = e + at(r * width);
    const dr = dst + at(r * width);
    let i = 0;
    for (; i + 2 <= width; i += 2) {
      const ds = v128.and(one, f64x2.gt(v128.load(zr + at(i)), zero));
      v128.store(dr + at(i), f64x2.mul(ds, v128.load(er + at(i))));
    }
    if (i < width) store<f64>(dr + at(i), (load<f64>(zr + at(i)) > 0 ? 1.0 : 0.0) * load<f64>(er + at(i)));
  }
}

/** dst[r][o] = c[r] * G[r][o]: chain-rule weights times output sensitivities. */
export function scaleRows(dst: usize, c: usize, G: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const cr = load<f64>(c + at(r));
    const cv = f64x2.splat(cr);
    const g = G + at(r * cols);
    const o_ = dst + at(r * cols);
    let q = 0;
    for (; q + 2 <= cols; q += 2) v128.store(o_ + at(q), f64x2.mul(cv, v128.load(g + at(q))));
    if (q < cols) store<f64>(o_ + at(q), cr * load<f64>(g + at(q)));
  }
}

/** Pages of linear memory as this instance sees them (a helper thread waits until it sees the poster's: src/kernels/helper.mjs). */
export function memoryPages(): i32 {
  return memory.size();
}

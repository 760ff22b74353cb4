// The products of one gradient evaluation with the zero terms left out. About half of a
// ReLU network's activations and sensitivities are exactly 0, so skipping them halves the work.
// Every output still accumulates its non-zero terms in the reference order, and:
//  - back-propagation and the weight gradient: the reference loops skip g = 0 too, so the sums
//    are the same operations;
//  - the forward pass: the reference adds w * 0 = +-0, which changes an accumulator only when it
//    is -0 (-0 + +0 = +0). A skipped sum can therefore differ from the reference only by ending
//    at -0 where the reference ends at +0, so every output that ends at -0 is recomputed with
//    all terms. The caller keeps this path to finite weights (w * 0 is NaN for w = +-Inf).
import { at, rowPtr } from './rows';

@inline function splat(p: usize): v128 {
  return f64x2.splat(load<f64>(p));
}
@inline function madd(acc: v128, a: v128, b: v128): v128 {
  return f64x2.add(acc, f64x2.mul(a, b));
}

/**
 * out[q] = init[q] + sum_j s[j] * rows[j][q] for q < n, j ascending: the common core. rows[j] is
 * the byte address ptrs[j] (i32), s[j] a float64, init = 0 means zeros; init must not alias out.
 * Lanes run over q, never over the sum. Blocks are as wide as n allows (8 independent vector
 * sums keep both FP ports busy); the last block is shifted back to end at n, so it recomputes a
 * few lanes of the one before with the same operations and writes the same values.
 */
export function accumulateRows(out: usize, init: usize, n: i32, ptrs: usize, s: usize, m: i32): void {
  if (n >= 12) {
    for (let q = 0; ; q += 12) {
      if (q + 12 > n) q = n - 12;
      block12(out + at(q), init == 0 ? 0 : init + at(q), at(q), ptrs, s, m);
      if (q + 12 == n) break;
    }
  } else if (n >= 8) {
    block8(out, init, 0, ptrs, s, m);
    if (n > 8) block8(out + at(n - 8), init == 0 ? 0 : init + at(n - 8), at(n - 8), ptrs, s, m);
  } else if (n >= 2) {
    for (let q = 0; ; q += 2) {
      if (q + 2 > n) q = n - 2;
      block2(out + at(q), init == 0 ? 0 : init + at(q), at(q), ptrs, s, m);
      if (q + 2 == n) break;
    }
  } else if (n == 1) {
    let c = init == 0 ? 0.0 : load<f64>(init);
    for (let j = 0; j < m; j++) c += load<f64>(<usize>load<i32>(ptrs + (<usize>j << 2))) * load<f64>(s + at(j));
    store<f64>(out, c);
  }
}

@inline function start(init: usize, offset: usize): v128 {
  return init == 0 ? f64x2.splat(0.0) : v128.load(init + offset);
}

// Six vector sums: with the six loads and the splat that is 13 of the 15 xmm registers V8
// allocates, so nothing spills (eight sums spilled one to the stack and halved the speed).
@inline function block12(o: usize, init: usize, q: usize, ptrs: usize, s: usize, m: i32): void {
  let c0 = start(init, 0), c1 = start(init, 16), c2 = start(init, 32);
  let c3 = start(init, 48), c4 = start(init, 64), c5 = start(init, 80);
  for (let j = 0; j < m; j++) {
    const p = <usize>load<i32>(ptrs + (<usize>j << 2)) + q;
    const x = splat(s + at(j));
    c0 = madd(c0, v128.load(p), x); c1 = madd(c1, v128.load(p, 16), x); c2 = madd(c2, v128.load(p, 32), x);
    c3 = madd(c3, v128.load(p, 48), x); c4 = madd(c4, v128.load(p, 64), x); c5 = madd(c5, v128.load(p, 80), x);
  }
  v128.store(o, c0); v128.store(o, c1, 16); v128.store(o, c2, 32);
  v128.store(o, c3, 48); v128.store(o, c4, 64); v128.store(o, c5, 80);
}

@inline function block8(o: usize, init: usize, q: usize, ptrs: usize, s: usize, m: i32): void {
  let c0 = start(init, 0), c1 = start(init, 16), c2 = start(init, 32), c3 = start(init, 48);
  for (let j = 0; j < m; j++) {
    const p = <usize>load<i32>(ptrs + (<usize>j << 2)) + q;
    const x = splat(s + at(j));
    c0 = madd(c0, v128.load(p), x); c1 = madd(c1, v128.load(p, 16), x);
    c2 = madd(c2, v128.load(p, 32), x); c3 = madd(c3, v128.load(p, 48), x);
  }
  v128.store(o, c0); v128.store(o, c1, 16); v128.store(o, c2, 32); v128.store(o, c3, 48);
}

@inline function block2(o: usize, init: usize, q: usize, ptrs: usize, s: usize, m: i32): void {
  let c0 = start(init, 0);
  for (let j = 0; j < m; j++) c0 = madd(c0, v128.load(<usize>load<i32>(ptrs + (<usize>j << 2)) + q), splat(s + at(j)));
  v128.store(o, c0);
}

// Pairs of rows: two rows share every load of a weight row, as in the dense kernels, and a term
// is skipped when it is zero in both rows (about a quarter of them after a ReLU).

/** accumulateRows for two rows at once: out0 from s0 and out1 from s1 over the same rows[j]. */
export function accumulatePair(out0: usize, out1: usize, init: usize, n: i32, ptrs: usize, s0: usize, s1: usize, m: i32): void {
  if (n >= 8) {
    for (let q = 0; ; q += 8) {
      if (q + 8 > n) q = n - 8;
      pair8(out0 + at(q), out1 + at(q), init == 0 ? 0 : init + at(q), at(q), ptrs, s0, s1, m);
      if (q + 8 == n) break;
    }
  } else if (n >= 2) {
    for (let q = 0; ; q += 2) {
      if (q + 2 > n) q = n - 2;
      pair2(out0 + at(q), out1 + at(q), init == 0 ? 0 : init + at(q), at(q), ptrs, s0, s1, m);
      if (q + 2 == n) break;
    }
  } else if (n == 1) {
    let c0 = init == 0 ? 0.0 : load<f64>(init);
    let c1 = c0;
    for (let j = 0; j < m; j++) {
      const w = load<f64>(<usize>load<i32>(ptrs + (<usize>j << 2)));
      c0 += w * load<f64>(s0 + at(j));
      c1 += w * load<f64>(s1 + at(j));
    }
    store<f64>(out0, c0);
    store<f64>(out1, c1);
  }
}

// Eight vector sums, four loads and two splats: 14 of the 15 xmm registers V8 allocates.
@inline function pair8(o0: usize, o1: usize, init: usize, q: usize, ptrs: usize, s0: usize, s1: usize, m: i32): void {
  let c00 = start(init, 0), c01 = start(init, 16), c02 = start(init, 32), c03 = start(init, 48);
  let c10 = c00, c11 = c01, c12 = c02, c13 = c03;
  for (let j = 0; j < m; j++) {
    const p = <usize>load<i32>(ptrs + (<usize>j << 2)) + q;
    const x0 = splat(s0 + at(j)), x1 = splat(s1 + at(j));
    const w0 = v128.load(p), w1 = v128.load(p, 16), w2 = v128.load(p, 32), w3 = v128.load(p, 48);
    c00 = madd(c00, w0, x0); c01 = madd(c01, w1, x0); c02 = madd(c02, w2, x0); c03 = madd(c03, w3, x0);
    c10 = madd(c10, w0, x1); c11 = madd(c11, w1, x1); c12 = madd(c12, w2, x1); c13 = madd(c13, w3, x1);
  }
  v128.store(o0, c00); v128.store(o0, c01, 16); v128.store(o0, c02, 32); v128.store(o0, c03, 48);
  v128.store(o1, c10); v128.store(o1, c11, 16); v128.store(o1, c12, 32); v128.store(o1, c13, 48);
}

@inline function pair2(o0: usize, o1: usize, init: usize, q: usize, ptrs: usize, s0: usize, s1: usize, m: i32): void {
  let c0 = start(init, 0);
  let c1 = c0;
  for (let j = 0; j < m; j++) {
    const w = v128.load(<usize>load<i32>(ptrs + (<usize>j << 2)) + q);
    c0 = madd(c0, w, splat(s0 + at(j)));
    c1 = madd(c1, w, splat(s1 + at(j)));
  }
  v128.store(o0, c0);
  v128.store(o1, c1);
}

/**
 * Lists the non-zero x[j], j < n, in order: s[m] = x[j] and ptrs[m] = base + j * stride (the row of
 * the other factor that x[j] multiplies). Branch-free: the zero pattern is random, and a branch on
 * it mispredicts. Returns m.
 */
@inline function listRow(x: usize, n: i32, base: usize, stride: usize, ptrs: usize, s: usize): i32 {
  let m = 0;
  for (let j = 0; j < n; j++) {
    const v = load<f64>(x + at(j));
    store<i32>(ptrs + (<usize>m << 2), <i32>(base + <usize>j * stride));
    store<f64>(s + at(m), v);
    m += i32(v != 0);
  }
  return m;
}

/** listRow for two rows at once: j is kept when x0[j] or x1[j] is non-zero. */
@inline function listPair(x0: usize, x1: usize, n: i32, base: usize, stride: usize, ptrs: usize, s0: usize, s1: usize): i32 {
  let m = 0;
  for (let j = 0; j < n; j++) {
    const v0 = load<f64>(x0 + at(j)), v1 = load<f64>(x1 + at(j));
    store<i32>(ptrs + (<usize>m << 2), <i32>(base + <usize>j * stride));
    store<f64>(s0 + at(m), v0);
    store<f64>(s1 + at(m), v1);
    m += i32((v0 != 0) | (v1 != 0));
  }
  return m;
}

/** Recomputes over all i every output of row z that ended at -0 (the one case skipping can change). */
@inline function fixNegativeZeros(z: usize, a: usize, WT: usize, inDim: i32, outDim: i32, bias: usize): void {
  const rowBytes = at(outDim);
  for (let o = 0; o < outDim; o++) {
    if (load<u64>(z + at(o)) != 0x8000000000000000) continue;
    let full = bias != 0 ? load<f64>(bias + at(o)) : 0.0;
    for (let i = 0; i < inDim; i++) full += load<f64>(WT + <usize>i * rowBytes + at(o)) * load<f64>(a + at(i));
    store<f64>(z + at(o), full);
  }
}

/**
 * Z[r][o] = init + sum_i WT[i][o] * A[row r][i], i ascending, leaving out inputs that are 0 in both
 * rows of a pair, then any output at -0 recomputed over all i (see above). init = bias[o] when
 * bias != 0, else 0. The caller keeps this to finite weights. Scratch: ptrs (inDim int32) and
 * s (2 inDim float64).
 */
export function denseForwardSkip(Z: usize, A: usize, idx: usize, rows: i32, WT: usize, inDim: i32, outDim: i32, bias: usize, ptrs: usize, s: usize): void {
  const rowBytes = at(outDim);
  const s1 = s + at(inDim);
  let r = 0;
  for (; r + 1 < rows; r += 2) {
    const a0 = rowPtr(A, idx, r, inDim);
    const a1 = rowPtr(A, idx, r + 1, inDim);
    const m = listPair(a0, a1, inDim, WT, rowBytes, ptrs, s, s1);
    const z0 = Z + <usize>r * rowBytes;
    accumulatePair(z0, z0 + rowBytes, bias, outDim, ptrs, s, s1, m);
    fixNegativeZeros(z0, a0, WT, inDim, outDim, bias);
    fixNegativeZeros(z0 + rowBytes, a1, WT, inDim, outDim, bias);
  }
  if (r < rows) {
    const a = rowPtr(A, idx, r, inDim);
    const m = listRow(a, inDim, WT, rowBytes, ptrs, s);
    const z = Z + <usize>r * rowBytes;
    accumulateRows(z, bias, outDim, ptrs, s, m);
    fixNegativeZeros(z, a, WT, inDim, outDim, bias);
  }
}

/**
 * Back-propagation through one layer: E[r][i] = sum_{o: G[r][o] != 0} W[o][i] * G[r][o], o
 * ascending, from +0 (W is out x in, the parameter layout). Rows go in pairs, leaving out the
 * outputs that are 0 in both; a term 0 kept for the other row of the pair adds +-0 to a sum that
 * started at +0, which leaves it unchanged (such a sum is never -0), so this is exactly the
 * reference's skip, as long as W is finite (Inf * 0 is NaN): otherwise rows go one at a time.
 * Scratch: ptrs (outDim int32), s (2 outDim float64).
 */
export function denseBackwardSkip(E: usize, W: usize, G: usize, rows: i32, outDim: i32, inDim: i32, ptrs: usize, s: usize): void {
  const wRow = at(inDim);
  const s1 = s + at(outDim);
  let r = 0;
  if (allFinite(W, outDim * inDim)) {
    for (; r + 1 < rows; r += 2) {
      const g0 = G + at(r * outDim);
      const g1 = g0 + at(outDim);
      const m = listPair(g0, g1, outDim, W, wRow, ptrs, s, s1);
      const e0 = E + <usize>r * wRow;
      accumulatePair(e0, e0 + wRow, 0, inDim, ptrs, s, s1, m);
    }
  }
  for (; r < rows; r++) {
    const g = G + at(r * outDim);
    const m = listRow(g, outDim, W, wRow, ptrs, s);
    accumulateRows(E + <usize>r * wRow, 0, inDim, ptrs, s, m);
  }
}

/**
 * 1 when none of the n float64 at p is +-Inf or NaN: where adding a term 0 * w is exact. v - v is
 * +0 for a finite v and NaN otherwise, so a sum of them stays 0 exactly when all are finite.
 */
export function allFinite(p: usize, n: i32): bool {
  let c0 = f64x2.splat(0.0), c1 = c0, c2 = c0, c3 = c0;
  let q = 0;
  for (; q + 8 <= n; q += 8) {
    const v0 = v128.load(p + at(q)), v1 = v128.load(p + at(q), 16), v2 = v128.load(p + at(q), 32), v3 = v128.load(p + at(q), 48);
    c0 = f64x2.add(c0, f64x2.sub(v0, v0)); c1 = f64x2.add(c1, f64x2.sub(v1, v1));
    c2 = f64x2.add(c2, f64x2.sub(v2, v2)); c3 = f64x2.add(c3, f64x2.sub(v3, v3));
  }
  const c = f64x2.add(f64x2.add(c0, c1), f64x2.add(c2, c3));
  let s = f64x2.extract_lane(c, 0) + f64x2.extract_lane(c, 1);
  for (; q < n; q++) {
    const v = load<f64>(p + at(q));
    s += v - v;
  }
  return s == 0;
}

/**
 * The weight gradient of one layer into dW (out x in) and db (0 when the layer has no bias), in
 * the reference's own loop order: for each row r ascending, for each output o in [oBegin, oEnd)
 * with go = c[r] * G[r][o] != 0 (rows with c[r] = 0 skipped too), dW[o][.] += go * A[row r][.] and
 * db[o] += go. dW stays in cache while G and A stream through once. Rows go in pairs: an output
 * with terms in both rows loads and stores its row of dW once for the two updates, in order.
 * The lists of each pair's outputs (both rows, first only, second only) are built without a
 * branch. Scratch: os (3 outDim int32), gs (4 outDim float64).
 */
export function weightGradientSkip(dW: usize, db: usize, c: usize, G: usize, A: usize, idx: usize, rows: i32, outDim: i32, inDim: i32, oBegin: i32, oEnd: i32, os: usize, gs: usize): void {
  memory.fill(dW + at(oBegin * inDim), 0, at((oEnd - oBegin) * inDim));
  if (db != 0) memory.fill(db + at(oBegin), 0, at(oEnd - oBegin));
  const osB = os, os0 = os + (<usize>outDim << 2), os1 = os + (<usize>outDim << 3);
  const gB0 = gs, gB1 = gs + at(outDim), g0s = gs + at(2 * outDim), g1s = gs + at(3 * outDim);
  let r = 0;
  for (; r + 1 < rows; r += 2) {
    const c0 = load<f64>(c + at(r)), c1 = load<f64>(c + at(r + 1));
    const G0 = G + at(r * outDim), G1 = G0 + at(outDim);
    let nB = 0, n0 = 0, n1 = 0;
    for (let o = oBegin; o < oEnd; o++) {
      const g0 = c0 * load<f64>(G0 + at(o)), g1 = c1 * load<f64>(G1 + at(o));
      const k0 = (c0 != 0) & (g0 != 0), k1 = (c1 != 0) & (g1 != 0);
      store<i32>(osB + (<usize>nB << 2), o); store<f64>(gB0 + at(nB), g0); store<f64>(gB1 + at(nB), g1);
      store<i32>(os0 + (<usize>n0 << 2), o); store<f64>(g0s + at(n0), g0);
      store<i32>(os1 + (<usize>n1 << 2), o); store<f64>(g1s + at(n1), g1);
      nB += i32(k0 & k1);
      n0 += i32(k0 & !k1);
      n1 += i32(k1 & !k0);
    }
    const a0 = rowPtr(A, idx, r, inDim), a1 = rowPtr(A, idx, r + 1, inDim);
    for (let j = 0; j < nB; j++) {
      const o = load<i32>(osB + (<usize>j << 2));
      const x0 = load<f64>(gB0 + at(j)), x1 = load<f64>(gB1 + at(j));
      axpy2(dW + at(o * inDim), x0, a0, x1, a1, inDim);
      if (db != 0) store<f64>(db + at(o), (load<f64>(db + at(o)) + x0) + x1);
    }
    for (let j = 0; j < n0; j++) {
      const o = load<i32>(os0 + (<usize>j << 2));
      const x = load<f64>(g0s + at(j));
      axpy(dW + at(o * inDim), x, a0, inDim);
      if (db != 0) store<f64>(db + at(o), load<f64>(db + at(o)) + x);
    }
    for (let j = 0; j < n1; j++) {
      const o = load<i32>(os1 + (<usize>j << 2));
      const x = load<f64>(g1s + at(j));
      axpy(dW + at(o * inDim), x, a1, inDim);
      if (db != 0) store<f64>(db + at(o), load<f64>(db + at(o)) + x);
    }
  }
  if (r < rows) {
    const cr = load<f64>(c + at(r));
    if (cr != 0) {
      const a = rowPtr(A, idx, r, inDim);
      for (let o = oBegin; o < oEnd; o++) {
        const go = cr * load<f64>(G + at(r * outDim + o));
        if (go == 0) continue;
        axpy(dW + at(o * inDim), go, a, inDim);
        if (db != 0) store<f64>(db + at(o), load<f64>(db + at(o)) + go);
      }
    }
  }
}

/** y[i] += x * a[i] for i < n (each entry one rounding of the product, one of the sum). */
@inline function axpy(y: usize, x: f64, a: usize, n: i32): void {
  const xv = f64x2.splat(x);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const q = at(i);
    v128.store(y + q, madd(v128.load(y + q), xv, v128.load(a + q)));
    v128.store(y + q, madd(v128.load(y + q, 16), xv, v128.load(a + q, 16)), 16);
    v128.store(y + q, madd(v128.load(y + q, 32), xv, v128.load(a + q, 32)), 32);
    v128.store(y + q, madd(v128.load(y + q, 48), xv, v128.load(a + q, 48)), 48);
  }
  for (; i + 2 <= n; i += 2) v128.store(y + at(i), madd(v128.load(y + at(i)), xv, v128.load(a + at(i))));
  if (i < n) store<f64>(y + at(i), load<f64>(y + at(i)) + x * load<f64>(a + at(i)));
}

/** y[i] = (y[i] + x0 * a0[i]) + x1 * a1[i]: two rows' updates in their order, one load and store of y. */
@inline function axpy2(y: usize, x0: f64, a0: usize, x1: f64, a1: usize, n: i32): void {
  const v0 = f64x2.splat(x0), v1 = f64x2.splat(x1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const q = at(i);
    v128.store(y + q, madd(madd(v128.load(y + q), v0, v128.load(a0 + q)), v1, v128.load(a1 + q)));
    v128.store(y + q, madd(madd(v128.load(y + q, 16), v0, v128.load(a0 + q, 16)), v1, v128.load(a1 + q, 16)), 16);
  }
  for (; i + 2 <= n; i += 2) v128.store(y + at(i), madd(madd(v128.load(y + at(i)), v0, v128.load(a0 + at(i))), v1, v128.load(a1 + at(i))));
  if (i < n) store<f64>(y + at(i), (load<f64>(y + at(i)) + x0 * load<f64>(a0 + at(i))) + x1 * load<f64>(a1 + at(i)));
}

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
 * Z[r][o] = init + sum_i WT[i][o] * A[row r][i], i ascending, leaving out the inputs that are 0,
 * then any output at -0 recomputed over all i (see above). init = bias[o] when bias != 0, else 0.
 * The caller keeps this to finite weights. Rows go one at a time: each has its own list, so only
 * its own zeros are left out (pairs of rows sharing one list keep the terms that are 0 in one row
 * only, a quarter more work, and measured 10 to 20% slower at widths 51 and 60).
 * Scratch: ptrs (inDim int32) and s (inDim float64).
 */
export function denseForwardSkip(Z: usize, A: usize, idx: usize, rows: i32, WT: usize, inDim: i32, outDim: i32, bias: usize, ptrs: usize, s: usize): void {
  const rowBytes = at(outDim);
  for (let r = 0; r < rows; r++) {
    const a = rowPtr(A, idx, r, inDim);
    const m = listRow(a, inDim, WT, rowBytes, ptrs, s);
    const z = Z + <usize>r * rowBytes;
    accumulateRows(z, bias, outDim, ptrs, s, m);
    fixNegativeZeros(z, a, WT, inDim, outDim, bias);
  }
}

/**
 * Back-propagation through one layer: E[r][i] = sum_{o: G[r][o] != 0} W[o][i] * G[r][o], o
 * ascending, from +0 (W is out x in, the parameter layout): exactly the reference's skip, whatever
 * W holds. Scratch: ptrs (outDim int32), s (outDim float64).
 */
export function denseBackwardSkip(E: usize, W: usize, G: usize, rows: i32, outDim: i32, inDim: i32, ptrs: usize, s: usize): void {
  const wRow = at(inDim);
  for (let r = 0; r < rows; r++) {
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
 * The weight gradient of one layer, outputs o in [oBegin, oEnd) of dW (out x in) and db (0 when
 * the layer has no bias): dW[o][i] = sum_r go * A[row r][i] and db[o] = sum_r go over the rows r
 * ascending with c[r] != 0 and go = c[r] * G[r][o] != 0, as the reference weightedGradient. Rows
 * go in chunks of `chunk`: one pass over the chunk's rows of G lists, for each output, its
 * non-zero go with their rows of A; then each row of dW continues its sums over its list with the
 * sums held in registers (accumulateRows, init = what the row held), while the chunk's rows of A
 * stay in cache. The chunks keep each entry's order of terms, so the bits do not depend on
 * `chunk` (spec/kernels). Scratch: counts (oEnd - oBegin int32), ptrs ((oEnd - oBegin) * chunk
 * int32), s ((oEnd - oBegin) * chunk float64), tmp (inDim float64).
 */
export function weightGradientSkip(dW: usize, db: usize, c: usize, G: usize, A: usize, idx: usize, rows: i32, outDim: i32, inDim: i32, oBegin: i32, oEnd: i32, counts: usize, ptrs: usize, s: usize, tmp: usize, chunk: i32): void {
  const no = oEnd - oBegin;
  const rowBytes = at(inDim);
  const dW0 = dW + <usize>oBegin * rowBytes;
  if (db != 0) memory.fill(db + at(oBegin), 0, at(no));
  if (rows == 0) memory.fill(dW0, 0, <usize>no * rowBytes);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const r1 = min(rows, r0 + chunk);
    memory.fill(counts, 0, <usize>no << 2);
    for (let r = r0; r < r1; r++) {
      const cr = load<f64>(c + at(r));
      if (cr == 0) continue; // the reference skips the row (c = 0 and G = Inf would give go = NaN)
      const a = <i32>rowPtr(A, idx, r, inDim);
      const g = G + at(r * outDim + oBegin);
      for (let o = 0; o < no; o++) {
        // branch-free append: the zero pattern is random
        const go = cr * load<f64>(g + at(o));
        const cp = counts + (<usize>o << 2);
        const m = load<i32>(cp);
        const slot = <usize>(o * chunk + m);
        store<i32>(ptrs + (slot << 2), a);
        store<f64>(s + at(<i32>slot), go);
        store<i32>(cp, m + i32(go != 0));
      }
    }
    for (let o = 0; o < no; o++) {
      const m = load<i32>(counts + (<usize>o << 2));
      const so = s + at(o * chunk);
      if (db != 0) {
        let b = load<f64>(db + at(oBegin + o));
        for (let j = 0; j < m; j++) b += load<f64>(so + at(j));
        store<f64>(db + at(oBegin + o), b);
      }
      const row = dW0 + <usize>o * rowBytes;
      const po = ptrs + (<usize>(o * chunk) << 2);
      if (r0 == 0) accumulateRows(row, 0, inDim, po, so, m);
      else {
        // accumulateRows's last block may overlap the one before, so its init must not be the row itself
        memory.copy(tmp, row, rowBytes);
        accumulateRows(row, tmp, inDim, po, so, m);
      }
    }
  }
}

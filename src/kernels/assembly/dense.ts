// Dense products of the forward pass, back-propagation and Hessian assembly.
// Every output entry is accumulated in the same order, with the same roundings, as the plain-TS
// reference loops in src/kernels/reference: SIMD lanes run over independent outputs, never over
// a reduction, and WASM has no fused multiply-add. So the two paths agree bit for bit (spec/kernels).
import { at, rowPtr } from './rows';

@inline function splat(p: usize): v128 {
  return f64x2.splat(load<f64>(p));
}
@inline function madd(acc: v128, a: v128, b: v128): v128 {
  return f64x2.add(acc, f64x2.mul(a, b));
}

/**
 * Z[r][o] = init + sum_i WT[i][o] * A[row r][i], i ascending. WT is W transposed (in x out).
 * mode 0: init = 0; mode 1: init = bias[o]; mode 2: init = Z[r][o] (continue an accumulation).
 */
export function denseForward(Z: usize, A: usize, idx: usize, rows: i32, WT: usize, inDim: i32, outDim: i32, bias: usize, mode: i32): void {
  let r = 0;
  for (; r + 1 < rows; r += 2) {
    const a0 = rowPtr(A, idx, r, inDim);
    const a1 = rowPtr(A, idx, r + 1, inDim);
    const z0 = Z + at(r * outDim);
    const z1 = z0 + at(outDim);
    let o = 0;
    for (; o + 8 <= outDim; o += 8) {
      const q = at(o);
      let c00 = init(mode, bias + q, z0 + q), c01 = init(mode, bias + q + 16, z0 + q + 16);
      let c02 = init(mode, bias + q + 32, z0 + q + 32), c03 = init(mode, bias + q + 48, z0 + q + 48);
      let c10 = init(mode, bias + q, z1 + q), c11 = init(mode, bias + q + 16, z1 + q + 16);
      let c12 = init(mode, bias + q + 32, z1 + q + 32), c13 = init(mode, bias + q + 48, z1 + q + 48);
      for (let i = 0; i < inDim; i++) {
        const w = WT + at(i * outDim + o);
        const x0 = splat(a0 + at(i)), x1 = splat(a1 + at(i));
        const w0 = v128.load(w), w1 = v128.load(w, 16), w2 = v128.load(w, 32), w3 = v128.load(w, 48);
        c00 = madd(c00, w0, x0); c01 = madd(c01, w1, x0); c02 = madd(c02, w2, x0); c03 = madd(c03, w3, x0);
        c10 = madd(c10, w0, x1); c11 = madd(c11, w1, x1); c12 = madd(c12, w2, x1); c13 = madd(c13, w3, x1);
      }
      v128.store(z0 + q, c00); v128.store(z0 + q, c01, 16); v128.store(z0 + q, c02, 32); v128.store(z0 + q, c03, 48);
      v128.store(z1 + q, c10); v128.store(z1 + q, c11, 16); v128.store(z1 + q, c12, 32); v128.store(z1 + q, c13, 48);
    }
    for (; o + 2 <= outDim; o += 2) {
      const q = at(o);
      let c0 = init(mode, bias + q, z0 + q), c1 = init(mode, bias + q, z1 + q);
      for (let i = 0; i < inDim; i++) {
        const w0 = v128.load(WT + at(i * outDim + o));
        c0 = madd(c0, w0, splat(a0 + at(i)));
        c1 = madd(c1, w0, splat(a1 + at(i)));
      }
      v128.store(z0 + q, c0);
      v128.store(z1 + q, c1);
    }
    if (o < outDim) {
      const q = at(o);
      let s0 = init1(mode, bias + q, z0 + q), s1 = init1(mode, bias + q, z1 + q);
      for (let i = 0; i < inDim; i++) {
        const w = load<f64>(WT + at(i * outDim + o));
        s0 += w * load<f64>(a0 + at(i));
        s1 += w * load<f64>(a1 + at(i));
      }
      store<f64>(z0 + q, s0);
      store<f64>(z1 + q, s1);
    }
  }
  if (r < rows) {
    const a0 = rowPtr(A, idx, r, inDim);
    const z0 = Z + at(r * outDim);
    let o = 0;
    for (; o + 2 <= outDim; o += 2) {
      const q = at(o);
      let c0 = init(mode, bias + q, z0 + q);
      for (let i = 0; i < inDim; i++) c0 = madd(c0, v128.load(WT + at(i * outDim + o)), splat(a0 + at(i)));
      v128.store(z0 + q, c0);
    }
    if (o < outDim) {
      const q = at(o);
      let s0 = init1(mode, bias + q, z0 + q);
      for (let i = 0; i < inDim; i++) s0 += load<f64>(WT + at(i * outDim + o)) * load<f64>(a0 + at(i));
      store<f64>(z0 + q, s0);
    }
  }
}

@inline function init(mode: i32, b: usize, z: usize): v128 {
  return mode == 0 ? f64x2.splat(0.0) : mode == 1 ? v128.load(b) : v128.load(z);
}
@inline function init1(mode: i32, b: usize, z: usize): f64 {
  return mode == 0 ? 0.0 : mode == 1 ? load<f64>(b) : load<f64>(z);
}

/**
 * Back-propagation through one layer: E[r][i] = sum_o (U[o][i] * GU[r][o] + W[o][i] * GW[r][o]),
 * o ascending, from E = 0; the U term is absent when U = 0. W and U are out x in (the parameter
 * layout), G* are rows x out, E is rows x in.
 */
export function denseBackward(E: usize, W: usize, GW: usize, U: usize, GU: usize, rows: i32, outDim: i32, inDim: i32): void {
  let r = 0;
  for (; r + 1 < rows; r += 2) {
    const e0 = E + at(r * inDim);
    const e1 = e0 + at(inDim);
    const g0 = at(r * outDim);
    const g1 = g0 + at(outDim);
    let i = 0;
    for (; i + 8 <= inDim; i += 8) {
      const zero = f64x2.splat(0.0);
      let c00 = zero, c01 = zero, c02 = zero, c03 = zero, c10 = zero, c11 = zero, c12 = zero, c13 = zero;
      for (let o = 0; o < outDim; o++) {
        if (U != 0) {
          const u = U + at(o * inDim + i);
          const x0 = splat(GU + g0 + at(o)), x1 = splat(GU + g1 + at(o));
          const w0 = v128.load(u), w1 = v128.load(u, 16), w2 = v128.load(u, 32), w3 = v128.load(u, 48);
          c00 = madd(c00, w0, x0); c01 = madd(c01, w1, x0); c02 = madd(c02, w2, x0); c03 = madd(c03, w3, x0);
          c10 = madd(c10, w0, x1); c11 = madd(c11, w1, x1); c12 = madd(c12, w2, x1); c13 = madd(c13, w3, x1);
        }
        const w = W + at(o * inDim + i);
        const x0 = splat(GW + g0 + at(o)), x1 = splat(GW + g1 + at(o));
        const w0 = v128.load(w), w1 = v128.load(w, 16), w2 = v128.load(w, 32), w3 = v128.load(w, 48);
        c00 = madd(c00, w0, x0); c01 = madd(c01, w1, x0); c02 = madd(c02, w2, x0); c03 = madd(c03, w3, x0);
        c10 = madd(c10, w0, x1); c11 = madd(c11, w1, x1); c12 = madd(c12, w2, x1); c13 = madd(c13, w3, x1);
      }
      const q = at(i);
      v128.store(e0 + q, c00); v128.store(e0 + q, c01, 16); v128.store(e0 + q, c02, 32); v128.store(e0 + q, c03, 48);
      v128.store(e1 + q, c10); v128.store(e1 + q, c11, 16); v128.store(e1 + q, c12, 32); v128.store(e1 + q, c13, 48);
    }
    for (; i + 2 <= inDim; i += 2) {
      let c0 = f64x2.splat(0.0), c1 = f64x2.splat(0.0);
      for (let o = 0; o < outDim; o++) {
        if (U != 0) {
          const u0 = v128.load(U + at(o * inDim + i));
          c0 = madd(c0, u0, splat(GU + g0 + at(o)));
          c1 = madd(c1, u0, splat(GU + g1 + at(o)));
        }
        const w0 = v128.load(W + at(o * inDim + i));
        c0 = madd(c0, w0, splat(GW + g0 + at(o)));
        c1 = madd(c1, w0, splat(GW + g1 + at(o)));
      }
      v128.store(e0 + at(i), c0);
      v128.store(e1 + at(i), c1);
    }
    if (i < inDim) {
      let s0 = 0.0, s1 = 0.0;
      for (let o = 0; o < outDim; o++) {
        if (U != 0) {
          const u = load<f64>(U + at(o * inDim + i));
          s0 += u * load<f64>(GU + g0 + at(o));
          s1 += u * load<f64>(GU + g1 + at(o));
        }
        const w = load<f64>(W + at(o * inDim + i));
        s0 += w * load<f64>(GW + g0 + at(o));
        s1 += w * load<f64>(GW + g1 + at(o));
      }
      store<f64>(e0 + at(i), s0);
      store<f64>(e1 + at(i), s1);
    }
  }
  if (r < rows) {
    const e0 = E + at(r * inDim);
    const g0 = at(r * outDim);
    let i = 0;
    for (; i + 2 <= inDim; i += 2) {
      let c0 = f64x2.splat(0.0);
      for (let o = 0; o < outDim; o++) {
        if (U != 0) c0 = madd(c0, v128.load(U + at(o * inDim + i)), splat(GU + g0 + at(o)));
        c0 = madd(c0, v128.load(W + at(o * inDim + i)), splat(GW + g0 + at(o)));
      }
      v128.store(e0 + at(i), c0);
    }
    if (i < inDim) {
      let s0 = 0.0;
      for (let o = 0; o < outDim; o++) {
        if (U != 0) s0 += load<f64>(U + at(o * inDim + i)) * load<f64>(GU + g0 + at(o));
        s0 += load<f64>(W + at(o * inDim + i)) * load<f64>(GW + g0 + at(o));
      }
      store<f64>(e0 + at(i), s0);
    }
  }
}

/**
 * Sums of outer products over the rows, r ascending, onto what OUT holds:
 *   OUT[o][i] += GA[r][o] * A[row r][i]  (+ GB[r][o] * B[rowB r][i], interleaved per r; absent when GB = 0).
 * OUT is out x in. upper = 1 computes only i >= o (plus the entry (o+1, o) of each pair of rows),
 * for a symmetric result mirrored afterwards (H0 = J^T diag(w) J).
 */
export function outerAccumulate(OUT: usize, GA: usize, A: usize, idxA: usize, GB: usize, B: usize, idxB: usize, rows: i32, outDim: i32, inDim: i32, upper: i32): void {
  let o = 0;
  for (; o + 1 < outDim; o += 2) {
    const out0 = OUT + at(o * inDim);
    const out1 = out0 + at(inDim);
    let i = upper != 0 ? o : 0;
    for (; i + 8 <= inDim; i += 8) {
      const q = at(i);
      let c00 = v128.load(out0 + q), c01 = v128.load(out0 + q, 16), c02 = v128.load(out0 + q, 32), c03 = v128.load(out0 + q, 48);
      let c10 = v128.load(out1 + q), c11 = v128.load(out1 + q, 16), c12 = v128.load(out1 + q, 32), c13 = v128.load(out1 + q, 48);
      for (let r = 0; r < rows; r++) {
        const g = at(r * outDim + o);
        {
          const a = rowPtr(A, idxA, r, inDim) + q;
          const x0 = splat(GA + g), x1 = splat(GA + g + 8);
          const w0 = v128.load(a), w1 = v128.load(a, 16), w2 = v128.load(a, 32), w3 = v128.load(a, 48);
          c00 = madd(c00, x0, w0); c01 = madd(c01, x0, w1); c02 = madd(c02, x0, w2); c03 = madd(c03, x0, w3);
          c10 = madd(c10, x1, w0); c11 = madd(c11, x1, w1); c12 = madd(c12, x1, w2); c13 = madd(c13, x1, w3);
        }
        if (GB != 0) {
          const b = rowPtr(B, idxB, r, inDim) + q;
          const x0 = splat(GB + g), x1 = splat(GB + g + 8);
          const w0 = v128.load(b), w1 = v128.load(b, 16), w2 = v128.load(b, 32), w3 = v128.load(b, 48);
          c00 = madd(c00, x0, w0); c01 = madd(c01, x0, w1); c02 = madd(c02, x0, w2); c03 = madd(c03, x0, w3);
          c10 = madd(c10, x1, w0); c11 = madd(c11, x1, w1); c12 = madd(c12, x1, w2); c13 = madd(c13, x1, w3);
        }
      }
      v128.store(out0 + q, c00); v128.store(out0 + q, c01, 16); v128.store(out0 + q, c02, 32); v128.store(out0 + q, c03, 48);
      v128.store(out1 + q, c10); v128.store(out1 + q, c11, 16); v128.store(out1 + q, c12, 32); v128.store(out1 + q, c13, 48);
    }
    for (; i + 2 <= inDim; i += 2) {
      const q = at(i);
      let c0 = v128.load(out0 + q), c1 = v128.load(out1 + q);
      for (let r = 0; r < rows; r++) {
        const g = at(r * outDim + o);
        const w = v128.load(rowPtr(A, idxA, r, inDim) + q);
        c0 = madd(c0, splat(GA + g), w);
        c1 = madd(c1, splat(GA + g + 8), w);
        if (GB != 0) {
          const v = v128.load(rowPtr(B, idxB, r, inDim) + q);
          c0 = madd(c0, splat(GB + g), v);
          c1 = madd(c1, splat(GB + g + 8), v);
        }
      }
      v128.store(out0 + q, c0);
      v128.store(out1 + q, c1);
    }
    if (i < inDim) {
      const q = at(i);
      let s0 = load<f64>(out0 + q), s1 = load<f64>(out1 + q);
      for (let r = 0; r < rows; r++) {
        const g = at(r * outDim + o);
        const w = load<f64>(rowPtr(A, idxA, r, inDim) + q);
        s0 += load<f64>(GA + g) * w;
        s1 += load<f64>(GA + g + 8) * w;
        if (GB != 0) {
          const v = load<f64>(rowPtr(B, idxB, r, inDim) + q);
          s0 += load<f64>(GB + g) * v;
          s1 += load<f64>(GB + g + 8) * v;
        }
      }
      store<f64>(out0 + q, s0);
      store<f64>(out1 + q, s1);
    }
  }
  if (o < outDim) {
    const out0 = OUT + at(o * inDim);
    let i = upper != 0 ? o : 0;
    for (; i + 2 <= inDim; i += 2) {
      const q = at(i);
      let c0 = v128.load(out0 + q);
      for (let r = 0; r < rows; r++) {
        const g = at(r * outDim + o);
        c0 = madd(c0, splat(GA + g), v128.load(rowPtr(A, idxA, r, inDim) + q));
        if (GB != 0) c0 = madd(c0, splat(GB + g), v128.load(rowPtr(B, idxB, r, inDim) + q));
      }
      v128.store(out0 + q, c0);
    }
    if (i < inDim) {
      const q = at(i);
      let s0 = load<f64>(out0 + q);
      for (let r = 0; r < rows; r++) {
        const g = at(r * outDim + o);
        s0 += load<f64>(GA + g) * load<f64>(rowPtr(A, idxA, r, inDim) + q);
        if (GB != 0) s0 += load<f64>(GB + g) * load<f64>(rowPtr(B, idxB, r, inDim) + q);
      }
      store<f64>(out0 + q, s0);
    }
  }
}

/** dst[o] += sum_r G[r][o], r ascending (the bias rows of a gradient or Hessian product). */
export function columnSums(dst: usize, G: usize, rows: i32, cols: i32): void {
  let o = 0;
  for (; o + 2 <= cols; o += 2) {
    let c = v128.load(dst + at(o));
    for (let r = 0; r < rows; r++) c = f64x2.add(c, v128.load(G + at(r * cols + o)));
    v128.store(dst + at(o), c);
  }
  if (o < cols) {
    let s = load<f64>(dst + at(o));
    for (let r = 0; r < rows; r++) s += load<f64>(G + at(r * cols + o));
    store<f64>(dst + at(o), s);
  }
}

/** WT = W^T for an out x in block (the forward kernel reads outputs as lanes). */
export function transpose(WT: usize, W: usize, outDim: i32, inDim: i32): void {
  for (let o = 0; o < outDim; o++) {
    for (let i = 0; i < inDim; i++) store<f64>(WT + at(i * outDim + o), load<f64>(W + at(o * inDim + i)));
  }
}

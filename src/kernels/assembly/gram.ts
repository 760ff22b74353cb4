// H0 = sum_r w_r J_r J_r^T as a Gram product on packed panels (src/kernels/wasm/hessian.ts packs
// them): the Jacobian rows of the patterns with Delta > 0, eight columns to a panel, so that every
// tile streams its two operands from consecutive addresses whatever Ntot is. Each entry of M is its
// own accumulator over r ascending, from the value M holds (0, or the sum of earlier chunks of
// rows), with the products (w_r J_r[i]) J_r[j] of the reference loop: bit-identical to it.
import { at } from './rows';

@inline function madd(acc: v128, a: v128, b: v128): v128 {
  return f64x2.add(acc, f64x2.mul(a, b));
}

/**
 * M[i - i0][j] += sum_{r < k} WJ[r][i] J[r][j] for i in [i0, i1) and j in the panels
 * [p0, p1) (columns 8 p .. 8 p + 7), restricted to the upper tiles (8 p + 7 >= i).
 * WJ and J are packed as panels: element (r, c) at ((c >> 3) * k * 8 + r * 8 + (c & 7)).
 * M has rows of width ldm (a multiple of 8), its first row being row i0; i0 is even.
 */
export function gramUpper(M: usize, WJ: usize, J: usize, k: i32, i0: i32, i1: i32, p0: i32, p1: i32, ldm: i32): void {
  // cache blocking: KC rows of J at a time (a panel's slice, 16 KB, stays in L1) and MC rows of M
  // (their WJ slices, 128 KB, stay in L2); every entry still sums its r in ascending order
  for (let rb = 0; rb < k; rb += KC) {
    const re = min(k, rb + KC);
    for (let ib = i0; ib < i1; ib += MC) {
      const ie = min(i1, ib + MC);
      for (let p = max(p0, ib >> 3); p < p1; p++) tiles(M, WJ, J, k, i0, ib, min(ie, p * 8 + 8), p, rb, re, ldm);
    }
  }
}

const KC = 256;
const MC = 64;

/** Rows [ib, iEnd) of M (row i0 first) in panel p's eight columns, over the rows [rb, re) of J. */
@inline function tiles(M: usize, WJ: usize, J: usize, k: i32, i0: i32, ib: i32, iEnd: i32, p: i32, rb: i32, re: i32, ldm: i32): void {
  const panel = k * 8;
  const j0 = p * 8;
  const jp = J + at(p * panel);
  let i = ib;
  for (; i + 2 <= iEnd; i += 2) {
    const out0 = M + at((i - i0) * ldm + j0);
    const out1 = out0 + at(ldm);
    const wp = WJ + at((i >> 3) * panel + (i & 7)); // i even: i and i + 1 share a panel
    let c00 = v128.load(out0), c01 = v128.load(out0, 16), c02 = v128.load(out0, 32), c03 = v128.load(out0, 48);
    let c10 = v128.load(out1), c11 = v128.load(out1, 16), c12 = v128.load(out1, 32), c13 = v128.load(out1, 48);
    for (let r = rb; r < re; r++) {
      const x0 = f64x2.splat(load<f64>(wp + at(r * 8)));
      const x1 = f64x2.splat(load<f64>(wp + at(r * 8 + 1)));
      const b = jp + at(r * 8);
      const w0 = v128.load(b), w1 = v128.load(b, 16), w2 = v128.load(b, 32), w3 = v128.load(b, 48);
      c00 = madd(c00, x0, w0); c01 = madd(c01, x0, w1); c02 = madd(c02, x0, w2); c03 = madd(c03, x0, w3);
      c10 = madd(c10, x1, w0); c11 = madd(c11, x1, w1); c12 = madd(c12, x1, w2); c13 = madd(c13, x1, w3);
    }
    v128.store(out0, c00); v128.store(out0, c01, 16); v128.store(out0, c02, 32); v128.store(out0, c03, 48);
    v128.store(out1, c10); v128.store(out1, c11, 16); v128.store(out1, c12, 32); v128.store(out1, c13, 48);
  }
  if (i < iEnd) {
    const out0 = M + at((i - i0) * ldm + j0);
    const wp = WJ + at((i >> 3) * panel + (i & 7));
    let c00 = v128.load(out0), c01 = v128.load(out0, 16), c02 = v128.load(out0, 32), c03 = v128.load(out0, 48);
    for (let r = rb; r < re; r++) {
      const x0 = f64x2.splat(load<f64>(wp + at(r * 8)));
      const b = jp + at(r * 8);
      c00 = madd(c00, x0, v128.load(b)); c01 = madd(c01, x0, v128.load(b, 16)); c02 = madd(c02, x0, v128.load(b, 32)); c03 = madd(c03, x0, v128.load(b, 48));
    }
    v128.store(out0, c00); v128.store(out0, c01, 16); v128.store(out0, c02, 32); v128.store(out0, c03, 48);
  }
}

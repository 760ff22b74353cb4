// The gradient path's kernels in C, run on the WASM kernels' own shared linear memory by a native
// team of threads (src/kernels/native/team.ts): the same operations as src/kernels/assembly, in the
// same order for every output entry, so the results are the same bit for bit (spec/kernels).
//  - Vector lanes run over independent outputs, never over a sum: the width (AVX-512, AVX2, SSE2,
//    or none) changes the speed, never a bit.
//  - Built with -ffp-contract=off: a fused multiply-add rounds once and would change the bits.
//  - Blocks of lanes may overlap (the last one shifted back to end at n): every accumulator of a
//    block is loaded before any is stored, and a block recomputes the overlapping lanes with the
//    same operations, so it writes the same values.
#include <node_api.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define CLONES
#endif
#if defined(__x86_64__) || defined(__i386__)
#define PAUSE() __builtin_ia32_pause()
#else
#define PAUSE() ((void)0)
#endif
#define INLINE static inline __attribute__((always_inline))

typedef double v8 __attribute__((vector_size(64), aligned(8)));
#define LOAD(p) (*(const v8 *)(p))
#define STORE(p, v) (*(v8 *)(p) = (v))

typedef unsigned char byte;
#define F64(off) ((double *)(base + (size_t)(off)))
#define I32(off) ((int32_t *)(base + (size_t)(off)))

/** Row r of a row-major matrix of the given width, gathered through idx (NULL: rows in order). */
INLINE const double *row_of(const double *m, const int32_t *idx, int r, int width) {
  return m + (size_t)(idx ? idx[r] : r) * (size_t)width;
}

// ---------------------------------------------------------------------------------------------
// The common core: out[q] = init[q] + sum_j s_j * row_j[q], j ascending, q < n. The terms come
// from a source: a list (rows[j], s[j]), or strided rows of a matrix. init may be NULL (zeros) or
// out itself: every block loads its accumulators before it stores any.

enum { LIST, OUTER };
typedef struct {
  // LIST: rows[j] + off, s[j]
  const double *const *rows;
  const double *s;
  // OUTER: A rows through idx, scalars G[j * gstride]; OUTER2 interleaves B rows with H scalars
  const double *A, *B, *G, *H;
  const int32_t *idxA, *idxB;
  int width, gstride;
} terms;

INLINE void term(const int kind, const terms *t, int j, const double **row, double *s) {
  if (kind == LIST) {
    *row = t->rows[j];
    *s = t->s[j];
  } else {
    *row = row_of(t->A, t->idxA, j, t->width);
    *s = t->G[(size_t)j * t->gstride];
  }
}

/** K vectors at offsets o_v = min(8 v, w - 8) from q0 (w >= 8 lanes), over all m terms. */
INLINE void blockK(const int K, const int kind, double *out, const double *init, int q0, int w, const terms *t, int m, int interleaved) {
  v8 acc[8];
  int off[8];
  for (int v = 0; v < K; v++) {
    off[v] = q0 + (8 * v + 8 <= w ? 8 * v : w - 8);
    acc[v] = init ? LOAD(init + off[v]) : (v8){0};
  }
  for (int j = 0; j < m; j++) {
    const double *row;
    double s;
    term(kind, t, j, &row, &s);
    for (int v = 0; v < K; v++) acc[v] = acc[v] + LOAD(row + off[v]) * s;
    if (interleaved) {
      const double *rb = row_of(t->B, t->idxB, j, t->width);
      double sb = t->H[(size_t)j * t->gstride];
      for (int v = 0; v < K; v++) acc[v] = acc[v] + LOAD(rb + off[v]) * sb;
    }
  }
  for (int v = 0; v < K; v++) STORE(out + off[v], acc[v]);
}

INLINE void scalar_lanes(const int kind, double *out, const double *init, int q0, int w, const terms *t, int m, int interleaved) {
  for (int q = q0; q < q0 + w; q++) {
    double c = init ? init[q] : 0.0;
    for (int j = 0; j < m; j++) {
      const double *row;
      double s;
      term(kind, t, j, &row, &s);
      c = c + row[q] * s;
      if (interleaved) c = c + row_of(t->B, t->idxB, j, t->width)[q] * t->H[(size_t)j * t->gstride];
    }
    out[q] = c;
  }
}

/** A block of w lanes from q0: at most 64, in as few vectors as cover it. */
INLINE void block(const int kind, double *out, const double *init, int q0, int w, const terms *t, int m, int interleaved) {
  if (w < 8) return scalar_lanes(kind, out, init, q0, w, t, m, interleaved);
  switch ((w + 7) >> 3) {
  case 1: blockK(1, kind, out, init, q0, w, t, m, interleaved); break;
  case 2: blockK(2, kind, out, init, q0, w, t, m, interleaved); break;
  case 3: blockK(3, kind, out, init, q0, w, t, m, interleaved); break;
  case 4: blockK(4, kind, out, init, q0, w, t, m, interleaved); break;
  case 5: blockK(5, kind, out, init, q0, w, t, m, interleaved); break;
  case 6: blockK(6, kind, out, init, q0, w, t, m, interleaved); break;
  case 7: blockK(7, kind, out, init, q0, w, t, m, interleaved); break;
  default: blockK(8, kind, out, init, q0, w, t, m, interleaved); break;
  }
}

/** All n lanes: blocks of nearly equal widths of at most 64, each at least 8 when n >= 8 (no block overlaps another). */
INLINE void accumulate(const int kind, double *out, const double *init, int n, const terms *t, int m, int interleaved) {
  const int blocks = (n + 63) >> 6;
  for (int b = 0; b < blocks; b++) {
    const int q0 = (int)(((int64_t)n * b) / blocks), q1 = (int)(((int64_t)n * (b + 1)) / blocks);
    block(kind, out, init, q0, q1 - q0, t, m, interleaved);
  }
}

/**
 * Lists the non-zero x[j], j < n, in order: s[m] = x[j], rows[m] = rowBase + j * stride (NaN is
 * listed; +0 and -0 are not). rows and s need n + 8 entries (the vector version stores 8 at a time).
 */
typedef int (*lister)(const double *x, int n, const double *rowBase, size_t stride, const double **rows, double *s);

static int list_row_scalar(const double *x, int n, const double *rowBase, size_t stride, const double **rows, double *s) {
  int m = 0;
  for (int j = 0; j < n; j++) {
    const double v = x[j];
    rows[m] = rowBase + (size_t)j * stride;
    s[m] = v;
    m += v != 0; // branch-free: the zero pattern is random, and a branch on it mispredicts
  }
  return m;
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#include <immintrin.h>
/** The same list, eight entries at a time: the non-zero lanes compressed to the front. */
__attribute__((target("avx512f"))) static int list_row_avx512(const double *x, int n, const double *rowBase, size_t stride, const double **rows, double *s) {
  int m = 0;
  const long long b = (long long)(uintptr_t)rowBase, st = (long long)(stride * sizeof(double));
  __m512i addr = _mm512_set_epi64(b + 7 * st, b + 6 * st, b + 5 * st, b + 4 * st, b + 3 * st, b + 2 * st, b + st, b);
  const __m512i step = _mm512_set1_epi64(8 * st);
  const __m512d zero = _mm512_setzero_pd();
  for (int j = 0; j < n; j += 8) {
    const __mmask8 in = n - j >= 8 ? (__mmask8)0xff : (__mmask8)((1u << (n - j)) - 1);
    const __m512d v = _mm512_maskz_loadu_pd(in, x + j);
    const __mmask8 k = _mm512_mask_cmp_pd_mask(in, v, zero, _CMP_NEQ_UQ); // NaN != 0, -0 == 0
    _mm512_storeu_pd(s + m, _mm512_maskz_compress_pd(k, v));
    _mm512_storeu_si512((void *)(rows + m), _mm512_maskz_compress_epi64(k, addr));
    m += __builtin_popcount(k);
    addr = _mm512_add_epi64(addr, step);
  }
  return m;
}
#endif

/** The lister for this CPU, chosen once (the lists are the same either way). */
static lister list_row = list_row_scalar;
static void choose_lister(void) {
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) list_row = list_row_avx512;
#endif
}

// ---------------------------------------------------------------------------------------------
// The kernels, with src/kernels/assembly's signatures: byte addresses into linear memory.

/** The arguments both forward kernels share: (Z, A, idx, rows, WT, inDim, outDim, bias, ...). */
typedef struct {
  double *Z;
  const double *A, *WT, *bias;
  const int32_t *idx;
  int rows, inDim, outDim;
} forward_args;
INLINE forward_args forward_of(byte *base, const double *a) {
  return (forward_args){F64(a[0]), F64(a[1]), F64(a[4]), a[7] ? F64(a[7]) : NULL, a[2] ? I32(a[2]) : NULL, (int)a[3], (int)a[5], (int)a[6]};
}

/** Z[r][o] = init + sum_i WT[i][o] * A[row r][i], i ascending (mode 0: init 0, 1: bias, 2: Z). */
CLONES static int denseForward(byte *base, const double *a) {
  const forward_args f = forward_of(base, a);
  const int mode = (int)a[8];
  terms t = {.width = f.outDim, .gstride = 1};
  for (int r = 0; r < f.rows; r++) {
    double *z = f.Z + (size_t)r * f.outDim;
    // terms i: rows WT[i], scalars a[i]
    t.A = f.WT;
    t.G = row_of(f.A, f.idx, r, f.inDim);
    accumulate(OUTER, z, mode == 0 ? NULL : mode == 1 ? f.bias : z, f.outDim, &t, f.inDim, 0);
  }
  return 0;
}

/** Recomputes over all i every output of row z that ended at -0 (the one case skipping changes). */
INLINE void fix_negative_zeros(double *z, const double *a, const double *WT, int inDim, int outDim, const double *bias) {
  // rare: one vectorised scan for any -0 first
  uint64_t any = 0;
  for (int o = 0; o < outDim; o++) {
    uint64_t bits;
    memcpy(&bits, z + o, 8);
    any |= bits == 0x8000000000000000ull;
  }
  if (!any) return;
  for (int o = 0; o < outDim; o++) {
    uint64_t bits;
    memcpy(&bits, z + o, 8);
    if (bits != 0x8000000000000000ull) continue;
    double full = bias ? bias[o] : 0.0;
    for (int i = 0; i < inDim; i++) full = full + WT[(size_t)i * outDim + o] * a[i];
    z[o] = full;
  }
}

/** denseForward from the bias, leaving out the inputs that are 0 (finite weights), then -0 fixed. */
CLONES static int denseForwardSkip(byte *base, const double *a) {
  const forward_args f = forward_of(base, a);
  double *Z = f.Z;
  const double *A = f.A, *WT = f.WT, *bias = f.bias;
  const int32_t *idx = f.idx;
  const int rows = f.rows, inDim = f.inDim, outDim = f.outDim;
  const double **ptrs = (const double **)malloc(sizeof(double *) * ((size_t)inDim + 8));
  double *s = (double *)malloc(sizeof(double) * ((size_t)inDim + 8));
  if (!ptrs || !s) return free(ptrs), free(s), 1;
  for (int r = 0; r < rows; r++) {
    const double *x = row_of(A, idx, r, inDim);
    const int m = list_row(x, inDim, WT, (size_t)outDim, ptrs, s);
    double *z = Z + (size_t)r * outDim;
    terms t = {.rows = ptrs, .s = s};
    accumulate(LIST, z, bias, outDim, &t, m, 0);
    fix_negative_zeros(z, x, WT, inDim, outDim, bias);
  }
  free(ptrs);
  free(s);
  return 0;
}

/** E[r][i] = sum_o (U[o][i] GU[r][o] + W[o][i] GW[r][o]), o ascending, from 0 (U absent when 0). */
CLONES static int denseBackward(byte *base, const double *a) {
  double *E = F64(a[0]);
  const double *W = F64(a[1]), *GW = F64(a[2]);
  const double *U = a[3] ? F64(a[3]) : NULL, *GU = a[3] ? F64(a[4]) : NULL;
  const int rows = (int)a[5], outDim = (int)a[6], inDim = (int)a[7];
  for (int r = 0; r < rows; r++) {
    double *e = E + (size_t)r * inDim;
    if (U) {
      terms t = {.A = U, .G = GU + (size_t)r * outDim, .B = W, .H = GW + (size_t)r * outDim, .width = inDim, .gstride = 1};
      accumulate(OUTER, e, NULL, inDim, &t, outDim, 1);
    } else {
      terms t = {.A = W, .G = GW + (size_t)r * outDim, .width = inDim, .gstride = 1};
      accumulate(OUTER, e, NULL, inDim, &t, outDim, 0);
    }
  }
  return 0;
}

/** E[r][i] = sum_{o: G[r][o] != 0} W[o][i] G[r][o], o ascending, from 0. */
CLONES static int denseBackwardSkip(byte *base, const double *a) {
  double *E = F64(a[0]);
  const double *W = F64(a[1]), *G = F64(a[2]);
  const int rows = (int)a[3], outDim = (int)a[4], inDim = (int)a[5];
  const double **ptrs = (const double **)malloc(sizeof(double *) * ((size_t)outDim + 8));
  double *s = (double *)malloc(sizeof(double) * ((size_t)outDim + 8));
  if (!ptrs || !s) return free(ptrs), free(s), 1;
  for (int r = 0; r < rows; r++) {
    const int m = list_row(G + (size_t)r * outDim, outDim, W, (size_t)inDim, ptrs, s);
    terms t = {.rows = ptrs, .s = s};
    accumulate(LIST, E + (size_t)r * inDim, NULL, inDim, &t, m, 0);
  }
  free(ptrs);
  free(s);
  return 0;
}

/** Four rows of OUT (out0..out0 + 3 inDim, 8 <= inDim <= 16) += GA[r][o..o+3] A[row r], r ascending. */
INLINE void outer4(double *out0, const double *G, const double *A, const int32_t *idx, int rows, int outDim, int inDim) {
  const int o1 = inDim - 8; // the second vector, shifted back to end at inDim (loaded before any store)
  v8 c[4][2];
  for (int u = 0; u < 4; u++) c[u][0] = LOAD(out0 + (size_t)u * inDim), c[u][1] = LOAD(out0 + (size_t)u * inDim + o1);
  for (int r = 0; r < rows; r++) {
    const double *ar = row_of(A, idx, r, inDim);
    const v8 a0 = LOAD(ar), a1 = LOAD(ar + o1);
    const double *g = G + (size_t)r * outDim;
    for (int u = 0; u < 4; u++) c[u][0] = c[u][0] + a0 * g[u], c[u][1] = c[u][1] + a1 * g[u];
  }
  for (int u = 0; u < 4; u++) STORE(out0 + (size_t)u * inDim, c[u][0]), STORE(out0 + (size_t)u * inDim + o1, c[u][1]);
}

/**
 * OUT[o][i] += sum_r GA[r][o] A[row r][i] (+ GB[r][o] B[rowB r][i], interleaved per r), r ascending.
 * upper: rows o and o + 1 of each pair from i = o (the last, odd row from its own o).
 */
CLONES static int outerAccumulate(byte *base, const double *a) {
  double *OUT = F64(a[0]);
  const double *GA = F64(a[1]), *A = F64(a[2]);
  const int32_t *idxA = a[3] ? I32(a[3]) : NULL;
  const double *GB = a[4] ? F64(a[4]) : NULL, *B = a[4] ? F64(a[5]) : NULL;
  const int32_t *idxB = a[6] ? I32(a[6]) : NULL;
  const int rows = (int)a[7], outDim = (int)a[8], inDim = (int)a[9], upper = (int)a[10];
  int o = 0;
  if (!upper && !GB && inDim >= 8 && inDim <= 16) {
    // narrow rows (a first layer's d inputs): one or two vectors a row would leave the adds waiting
    // on each other, so four outputs go together, sharing each row of A
    for (; o + 4 <= outDim; o += 4) outer4(OUT + (size_t)o * inDim, GA + o, A, idxA, rows, outDim, inDim);
  }
  for (; o < outDim; o++) {
    // the pair (o, o + 1), o even, starts both rows at i = o (as the WASM kernel; the caller mirrors)
    const int i0 = upper ? o & ~1 : 0;
    double *out = OUT + (size_t)o * inDim + i0;
    terms t = {.A = A + i0, .idxA = idxA, .B = GB ? B + i0 : NULL, .idxB = idxB, .G = GA + o, .H = GB ? GB + o : NULL, .width = inDim, .gstride = outDim};
    if (GB) accumulate(OUTER, out, out, inDim - i0, &t, rows, 1);
    else accumulate(OUTER, out, out, inDim - i0, &t, rows, 0);
  }
  return 0;
}

/** dst[o] += sum_r G[r][o], r ascending. */
CLONES static int columnSums(byte *base, const double *a) {
  double *dst = F64(a[0]);
  const double *G = F64(a[1]);
  const int rows = (int)a[2], cols = (int)a[3];
  for (int o = 0; o < cols; o++) {
    double c = dst[o];
    for (int r = 0; r < rows; r++) c = c + G[(size_t)r * cols + o];
    dst[o] = c;
  }
  return 0;
}

static int transpose(byte *base, const double *a) {
  double *WT = F64(a[0]);
  const double *W = F64(a[1]);
  const int outDim = (int)a[2], inDim = (int)a[3];
  for (int o = 0; o < outDim; o++)
    for (int i = 0; i < inDim; i++) WT[(size_t)i * outDim + o] = W[(size_t)o * inDim + i];
  return 0;
}

CLONES static int mulInto(byte *base, const double *a) {
  double *dst = F64(a[0]);
  const double *x = F64(a[1]), *y = F64(a[2]);
  const int n = (int)a[3];
  for (int q = 0; q < n; q++) dst[q] = x[q] * y[q];
  return 0;
}

CLONES static int addProduct3(byte *base, const double *a) {
  double *dst = F64(a[0]);
  const double *x = F64(a[1]), *y = F64(a[2]), *z = F64(a[3]);
  const int n = (int)a[4];
  for (int q = 0; q < n; q++) dst[q] = dst[q] + (x[q] * y[q]) * z[q];
  return 0;
}

static int zero(byte *base, const double *a) {
  memset(F64(a[0]), 0, sizeof(double) * (size_t)a[1]);
  return 0;
}

static int poke(byte *base, const double *a) {
  *F64(a[0]) = a[1];
  return 0;
}

/** dst[q] = src[q] > 0 ? src[q] : +0 (NaN and -0 give +0). */
CLONES static int reluForward(byte *base, const double *a) {
  double *dst = F64(a[0]);
  const double *src = F64(a[1]);
  const int n = (int)a[2];
  for (int q = 0; q < n; q++) dst[q] = src[q] > 0 ? src[q] : 0.0;
  return 0;
}

/** dst[r][i] = (z[row r][i] > 0 ? 1 : 0) * e[r][i]. */
CLONES static int reluBackward(byte *base, const double *a) {
  double *dst = F64(a[0]);
  const double *z = F64(a[1]);
  const int32_t *idx = a[2] ? I32(a[2]) : NULL;
  const double *e = F64(a[3]);
  const int rows = (int)a[4], width = (int)a[5];
  for (int r = 0; r < rows; r++) {
    const double *zr = row_of(z, idx, r, width);
    for (int i = 0; i < width; i++) dst[(size_t)r * width + i] = (zr[i] > 0 ? 1.0 : 0.0) * e[(size_t)r * width + i];
  }
  return 0;
}

/** dst[r][o] = c[r] * G[r][o]. */
CLONES static int scaleRows(byte *base, const double *a) {
  double *dst = F64(a[0]);
  const double *c = F64(a[1]), *G = F64(a[2]);
  const int rows = (int)a[3], cols = (int)a[4];
  for (int r = 0; r < rows; r++)
    for (int q = 0; q < cols; q++) dst[(size_t)r * cols + q] = c[r] * G[(size_t)r * cols + q];
  return 0;
}

/**
 * One layer's weight gradient for outputs [oBegin, oEnd): dW[o][i] = sum_r go A[row r][i] and
 * db[o] = sum_r go, go = c[r] G[r][o], over the rows with c[r] != 0 and go != 0, r ascending, in
 * chunks of rows whose A stays in cache (src/kernels/assembly/skipZeros.ts). Scratch of its own.
 */
CLONES static int weightGradientSkip(byte *base, const double *a) {
  double *dW = F64(a[0]);
  double *db = a[1] ? F64(a[1]) : NULL;
  const double *c = F64(a[2]), *G = F64(a[3]), *A = F64(a[4]);
  const int32_t *idx = a[5] ? I32(a[5]) : NULL;
  const int rows = (int)a[6], outDim = (int)a[7], inDim = (int)a[8], oBegin = (int)a[9], oEnd = (int)a[10];
  const int chunk = (int)a[15];
  const int no = oEnd - oBegin;
  double *dW0 = dW + (size_t)oBegin * inDim;
  if (db) memset(db + oBegin, 0, sizeof(double) * (size_t)no);
  if (rows == 0) memset(dW0, 0, sizeof(double) * (size_t)no * inDim);
  int *counts = (int *)malloc(sizeof(int) * (size_t)no);
  const double **ptrs = (const double **)malloc(sizeof(double *) * (size_t)no * chunk);
  double *s = (double *)malloc(sizeof(double) * (size_t)no * chunk);
  if (!counts || !ptrs || !s) return free(counts), free(ptrs), free(s), 1;
  for (int r0 = 0; r0 < rows; r0 += chunk) {
    const int r1 = rows < r0 + chunk ? rows : r0 + chunk;
    memset(counts, 0, sizeof(int) * (size_t)no);
    for (int r = r0; r < r1; r++) {
      const double cr = c[r];
      if (cr == 0) continue;
      const double *ar = row_of(A, idx, r, inDim);
      const double *g = G + (size_t)r * outDim + oBegin;
      for (int o = 0; o < no; o++) {
        const double go = cr * g[o];
        const int m = counts[o];
        const size_t slot = (size_t)o * chunk + m;
        ptrs[slot] = ar;
        s[slot] = go;
        counts[o] = m + (go != 0);
      }
    }
    for (int o = 0; o < no; o++) {
      const int m = counts[o];
      const double *so = s + (size_t)o * chunk;
      if (db) {
        double b = db[oBegin + o];
        for (int j = 0; j < m; j++) b = b + so[j];
        db[oBegin + o] = b;
      }
      double *row = dW0 + (size_t)o * inDim;
      terms t = {.rows = ptrs + (size_t)o * chunk, .s = so};
      accumulate(LIST, row, r0 == 0 ? NULL : row, inDim, &t, m, 0);
    }
  }
  free(counts);
  free(ptrs);
  free(s);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// The team: the calling thread plus threads - 1 helpers take the posted tasks from one shared
// counter (src/kernels/team.ts's layout of a task list: T, T offsets, then per task its number of
// calls and per call (name index, argc, args...), all float64).

typedef int (*kernel)(byte *, const double *);

// Bounds: a WASM kernel that strays outside its linear memory traps; C would read or write another
// part of the process, or crash it. So every call is checked before it runs: each buffer it
// touches lies within the memory's current size, the sizes are whole numbers >= 0, and a gathered
// row (through idx) lies within it too. A call that fails the check is not run; share reports it.
typedef struct {
  byte *base;
  size_t mem;
} bounds;

static int whole(double v) { return v >= 0 && v <= 2147483647.0 && v == (double)(int64_t)v; }
/** [p, p + count * elem) within the memory; p = 0 with optional is an absent buffer. */
static int span(const bounds *b, double p, double count, size_t elem) {
  if (!whole(p) || !(count >= 0) || count > 1e15) return 0;
  return (size_t)p <= b->mem && (size_t)(count * (double)elem) <= b->mem - (size_t)p;
}
static int optional(const bounds *b, double p, double count, size_t elem) { return p == 0 || span(b, p, count, elem); }
/** rows rows of width float64 from A, in order or through idx (int32). */
static int rows_in(const bounds *b, double A, double idx, double rows, double width) {
  if (idx == 0) return span(b, A, rows * width, 8);
  if (!span(b, idx, rows, 4) || !span(b, A, 0, 8)) return 0;
  const int32_t *ix = (const int32_t *)(b->base + (size_t)idx);
  for (int r = 0; r < (int)rows; r++)
    if (ix[r] < 0 || !span(b, A + (double)ix[r] * width * 8, width, 8)) return 0;
  return 1;
}
#define W3(x, y, z) (whole(x) && whole(y) && whole(z))

// One check a kernel, by the kernel's arguments (a) and the memory's bounds (b).
static int ck_forward(const double *a, const bounds *b, int skip) {
  if (!W3(a[3], a[5], a[6]) || (!skip && !(a[8] == 0 || a[8] == 1 || a[8] == 2))) return 0;
  return span(b, a[0], a[3] * a[6], 8) && rows_in(b, a[1], a[2], a[3], a[5]) && span(b, a[4], a[5] * a[6], 8) && optional(b, a[7], a[6], 8);
}
static int ck_denseForward(const double *a, const bounds *b) { return ck_forward(a, b, 0); }
static int ck_denseForwardSkip(const double *a, const bounds *b) { return ck_forward(a, b, 1); }
static int ck_denseBackward(const double *a, const bounds *b) {
  return W3(a[5], a[6], a[7]) && span(b, a[0], a[5] * a[7], 8) && span(b, a[1], a[6] * a[7], 8) && span(b, a[2], a[5] * a[6], 8) &&
         (a[3] == 0 || (span(b, a[3], a[6] * a[7], 8) && span(b, a[4], a[5] * a[6], 8)));
}
static int ck_denseBackwardSkip(const double *a, const bounds *b) {
  return W3(a[3], a[4], a[5]) && span(b, a[0], a[3] * a[5], 8) && span(b, a[1], a[4] * a[5], 8) && span(b, a[2], a[3] * a[4], 8);
}
static int ck_outerAccumulate(const double *a, const bounds *b) {
  return W3(a[7], a[8], a[9]) && span(b, a[0], a[8] * a[9], 8) && span(b, a[1], a[7] * a[8], 8) && rows_in(b, a[2], a[3], a[7], a[9]) &&
         (a[4] == 0 || (span(b, a[4], a[7] * a[8], 8) && rows_in(b, a[5], a[6], a[7], a[9])));
}
static int ck_columnSums(const double *a, const bounds *b) { return whole(a[2]) && whole(a[3]) && span(b, a[0], a[3], 8) && span(b, a[1], a[2] * a[3], 8); }
static int ck_transpose(const double *a, const bounds *b) { return whole(a[2]) && whole(a[3]) && span(b, a[0], a[2] * a[3], 8) && span(b, a[1], a[2] * a[3], 8); }
static int ck_mulInto(const double *a, const bounds *b) { return whole(a[3]) && span(b, a[0], a[3], 8) && span(b, a[1], a[3], 8) && span(b, a[2], a[3], 8); }
static int ck_addProduct3(const double *a, const bounds *b) {
  return whole(a[4]) && span(b, a[0], a[4], 8) && span(b, a[1], a[4], 8) && span(b, a[2], a[4], 8) && span(b, a[3], a[4], 8);
}
static int ck_zero(const double *a, const bounds *b) { return whole(a[1]) && span(b, a[0], a[1], 8); }
static int ck_poke(const double *a, const bounds *b) { return span(b, a[0], 1, 8); }
static int ck_reluForward(const double *a, const bounds *b) { return whole(a[2]) && span(b, a[0], a[2], 8) && span(b, a[1], a[2], 8); }
static int ck_reluBackward(const double *a, const bounds *b) {
  return whole(a[4]) && whole(a[5]) && span(b, a[0], a[4] * a[5], 8) && rows_in(b, a[1], a[2], a[4], a[5]) && span(b, a[3], a[4] * a[5], 8);
}
static int ck_scaleRows(const double *a, const bounds *b) {
  return whole(a[3]) && whole(a[4]) && span(b, a[0], a[3] * a[4], 8) && span(b, a[1], a[3], 8) && span(b, a[2], a[3] * a[4], 8);
}
static int ck_weightGradientSkip(const double *a, const bounds *b) {
  return W3(a[6], a[7], a[8]) && whole(a[9]) && whole(a[10]) && a[9] <= a[10] && a[10] <= a[7] && whole(a[15]) && a[15] >= 1 &&
         span(b, a[0], a[7] * a[8], 8) && optional(b, a[1], a[7], 8) && span(b, a[2], a[6], 8) && span(b, a[3], a[6] * a[7], 8) &&
         rows_in(b, a[4], a[5], a[6], a[8]);
}

/** A kernel of this build: its name (the WASM export's), the kernel, and its bounds check. */
typedef struct {
  const char *name;
  kernel f;
  int (*check)(const double *a, const bounds *b);
} entry;
#define K(name) {#name, name, ck_##name}
static const entry KERNELS[] = {
    K(denseForward), K(denseForwardSkip), K(denseBackward), K(denseBackwardSkip), K(outerAccumulate),
    K(columnSums), K(transpose), K(mulInto), K(addProduct3), K(zero),
    K(poke), K(reluForward), K(reluBackward), K(scaleRows), K(weightGradientSkip),
};
#undef K
#define NKERNELS (sizeof(KERNELS) / sizeof(KERNELS[0]))
#define MAX_HELPERS 1
#define SPIN_NS 20000000LL

typedef struct {
  byte *base;
  const entry **kernels; // by the caller's name index; NULL where this build has no such kernel
  int nkernels;
  size_t mem; // bytes of linear memory at this share
  char failure[160]; // the first failure of this share, said by share
  int threads;
  const double *calls;
  atomic_int seq, done, next, failed, stop;
  pthread_mutex_t failureLock;
  pthread_mutex_t lock;
  pthread_cond_t posted;
  pthread_t helpers[MAX_HELPERS];
} team;

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void fail(team *tm, const char *why, const char *name) {
  pthread_mutex_lock(&tm->failureLock);
  if (!atomic_load(&tm->failed)) snprintf(tm->failure, sizeof tm->failure, "%s%s", why, name);
  atomic_store(&tm->failed, 1);
  pthread_mutex_unlock(&tm->failureLock);
}

/** Takes tasks until none is left, each call checked against the memory's bounds first. */
static void take_tasks(team *tm) {
  const double *buf = tm->calls;
  const int tasks = (int)buf[0];
  const bounds b = {tm->base, tm->mem};
  for (int t = atomic_fetch_add(&tm->next, 1); t < tasks; t = atomic_fetch_add(&tm->next, 1)) {
    size_t q = (size_t)buf[1 + t];
    const int n = (int)buf[q++];
    for (int c = 0; c < n; c++) {
      const int i = (int)buf[q++];
      const int argc = (int)buf[q++];
      const entry *e = i >= 0 && i < tm->nkernels ? tm->kernels[i] : NULL;
      if (!e) fail(tm, "a task named a kernel this build lacks", "");
      else if (!e->check(buf + q, &b)) fail(tm, "a call outside the linear memory's bounds, not run: ", e->name);
      else if (e->f(tm->base, buf + q) != 0) fail(tm, "out of memory for scratch in ", e->name);
      q += (size_t)argc;
    }
  }
}

static void *helper_main(void *arg) {
  team *tm = (team *)arg;
  int last = 0;
  for (;;) {
    const int64_t since = now_ns();
    for (int polls = 1; atomic_load(&tm->seq) == last && !atomic_load(&tm->stop); polls++) {
      PAUSE(); // leaves the core's issue slots to a sibling thread while it waits
      if ((polls & 255) == 0 && now_ns() - since > SPIN_NS) {
        pthread_mutex_lock(&tm->lock);
        while (atomic_load(&tm->seq) == last && !atomic_load(&tm->stop)) pthread_cond_wait(&tm->posted, &tm->lock);
        pthread_mutex_unlock(&tm->lock);
      }
    }
    if (atomic_load(&tm->stop)) return NULL;
    last = atomic_load(&tm->seq);
    take_tasks(tm);
    atomic_fetch_add(&tm->done, 1);
  }
}

// ---------------------------------------------------------------------------------------------
// N-API: createTeam(memory: Uint8Array over the whole linear memory, names: string[], threads),
// share(team, callsByteOffset), close(team). The base address of a shared WebAssembly.Memory
// never moves when it grows (its maximum is reserved up front), so the team keeps it.

#define CHECK(call) \
  do { \
    if ((call) != napi_ok) { \
      napi_throw_error(env, NULL, "native kernels: " #call " failed"); \
      return NULL; \
    } \
  } while (0)

/** Stops and joins the helpers (idempotent). */
static void stop_team(team *tm) {
  if (atomic_exchange(&tm->stop, 1)) return;
  pthread_mutex_lock(&tm->lock);
  pthread_cond_broadcast(&tm->posted);
  pthread_mutex_unlock(&tm->lock);
  for (int h = 0; h < tm->threads - 1; h++) pthread_join(tm->helpers[h], NULL);
}

static void finalize_team(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  team *tm = (team *)data;
  stop_team(tm);
  free(tm->kernels);
  free(tm);
}

/** The arguments of a call (at most 4) whose first is a team; NULL with a JS error thrown when not. */
static team *team_call(napi_env env, napi_callback_info info, size_t *argc, napi_value *argv) {
  team *tm;
  if (napi_get_cb_info(env, info, argc, argv, NULL, NULL) != napi_ok || *argc < 1 || napi_get_value_external(env, argv[0], (void **)&tm) != napi_ok) {
    napi_throw_type_error(env, NULL, "native kernels: the first argument must be a team from createTeam");
    return NULL;
  }
  return tm;
}

static napi_value close_team(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  team *tm = team_call(env, info, &argc, argv);
  if (tm) stop_team(tm);
  return NULL;
}

static napi_value create_team(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  napi_typedarray_type type;
  size_t length, offset;
  void *data;
  napi_value ab;
  CHECK(napi_get_typedarray_info(env, argv[0], &type, &length, &data, &ab, &offset));
  uint32_t nnames;
  CHECK(napi_get_array_length(env, argv[1], &nnames));
  int32_t threads;
  CHECK(napi_get_value_int32(env, argv[2], &threads));
  if (threads < 1 || threads > MAX_HELPERS + 1) {
    napi_throw_range_error(env, NULL, "native kernels: threads must be 1 or 2");
    return NULL;
  }
  choose_lister();
  team *tm = (team *)calloc(1, sizeof(team));
  tm->base = (byte *)data;
  tm->nkernels = (int)nnames;
  tm->kernels = (const entry **)calloc(nnames ? nnames : 1, sizeof(entry *));
  for (uint32_t i = 0; i < nnames; i++) {
    napi_value v;
    char name[64];
    size_t len;
    CHECK(napi_get_element(env, argv[1], i, &v));
    CHECK(napi_get_value_string_utf8(env, v, name, sizeof name, &len));
    for (size_t k = 0; k < NKERNELS; k++)
      if (strcmp(KERNELS[k].name, name) == 0) tm->kernels[i] = &KERNELS[k];
  }
  tm->threads = threads;
  pthread_mutex_init(&tm->lock, NULL);
  pthread_mutex_init(&tm->failureLock, NULL);
  pthread_cond_init(&tm->posted, NULL);
  for (int h = 0; h < threads - 1; h++) pthread_create(&tm->helpers[h], NULL, helper_main, tm);
  napi_value ext;
  CHECK(napi_create_external(env, tm, finalize_team, NULL, &ext));
  return ext;
}

static napi_value has_kernel(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char name[64];
  size_t len;
  CHECK(napi_get_value_string_utf8(env, argv[0], name, sizeof name, &len));
  bool found = false;
  for (size_t k = 0; k < NKERNELS; k++) found = found || strcmp(KERNELS[k].name, name) == 0;
  napi_value r;
  CHECK(napi_get_boolean(env, found, &r));
  return r;
}

static napi_value share(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  team *tm = team_call(env, info, &argc, argv);
  if (!tm) return NULL;
  if (argc < 3) {
    napi_throw_type_error(env, NULL, "native kernels: share(team, callsOffset, memoryBytes[, memory])");
    return NULL;
  }
  if (atomic_load(&tm->stop)) {
    napi_throw_error(env, NULL, "native kernels: share after close");
    return NULL;
  }
  double offset;
  CHECK(napi_get_value_double(env, argv[1], &offset));
  double mem;
  CHECK(napi_get_value_double(env, argv[2], &mem));
  tm->mem = (size_t)mem;
  if (!whole(offset) || offset + 8 > mem) {
    napi_throw_range_error(env, NULL, "native kernels: the task list lies outside the linear memory");
    return NULL;
  }
  napi_valuetype vt = napi_undefined;
  if (argc >= 4) CHECK(napi_typeof(env, argv[3], &vt));
  if (vt == napi_object) {
    // the memory grew: its base must not have moved (a shared WebAssembly.Memory reserves its maximum)
    napi_typedarray_type type;
    size_t length, boff;
    void *data;
    napi_value ab;
    CHECK(napi_get_typedarray_info(env, argv[3], &type, &length, &data, &ab, &boff));
    if ((byte *)data != tm->base) {
      napi_throw_error(env, NULL, "native kernels: the linear memory moved when it grew");
      return NULL;
    }
  }
  tm->calls = (const double *)(tm->base + (size_t)offset);
  atomic_store(&tm->next, 0);
  atomic_store(&tm->failed, 0);
  const int helpers = tm->threads - 1;
  const int target = atomic_load(&tm->done) + helpers;
  if (helpers > 0) {
    pthread_mutex_lock(&tm->lock);
    atomic_fetch_add(&tm->seq, 1);
    pthread_cond_broadcast(&tm->posted);
    pthread_mutex_unlock(&tm->lock);
  }
  take_tasks(tm);
  while (atomic_load(&tm->done) != target) PAUSE();
  if (atomic_load(&tm->failed)) {
    char msg[200];
    snprintf(msg, sizeof msg, "native kernels: %s", tm->failure);
    napi_throw_error(env, NULL, msg);
    return NULL;
  }
  return NULL;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_property_descriptor props[] = {
      {"createTeam", NULL, create_team, NULL, NULL, NULL, napi_default, NULL},
      {"share", NULL, share, NULL, NULL, NULL, napi_default, NULL},
      {"hasKernel", NULL, has_kernel, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, close_team, NULL, NULL, NULL, napi_default, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}

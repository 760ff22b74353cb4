/**
 * src/util/cholesky.ts, the factorisation behind every damped Newton step (src/train/newton.ts):
 * A = L L^T for a symmetric positive definite A (lower triangle read), and the solve L L^T x = b.
 *
 * Tolerances are the classical backward-error bounds of Cholesky (Higham, "Accuracy and Stability
 * of Numerical Algorithms", 2nd ed., Thms 10.3 and 10.4), with gamma_k = k eps / (1 - k eps):
 *   factor: L L^T = A + dA with |dA| <= gamma_{n+1} |L| |L^T|, and (|L| |L^T|)_ij <= sqrt(a_ii a_jj);
 *   solve:  (A + dA) x = b with |dA| <= gamma_{3n+1} |L| |L^T|.
 * Each spec allows a factor of about 2 over the bound (the test's own products round too), so a
 * wrong index or sign, which gives errors of order 1, cannot pass.
 * Refusal: the code returns false as soon as a pivot is not > 0. For a matrix whose smallest
 * eigenvalue is below -1e-6 max |lambda| a success is impossible (the computed L L^T would be a
 * positive semi-definite matrix within about n^2 eps ||A|| of A), so every such matrix is refused.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { assertProperty } from '../support/fc.ts';
import { cholesky, choleskySolve } from '../../src/util/cholesky.ts';
import { orthogonal } from '../../src/model/init.ts';
import { createRng } from '../../src/util/prng.ts';

const EPS = Number.EPSILON;

/** Q diag(lambda) Q^T (row-major, exactly symmetric), Q a seeded random orthogonal matrix. */
function withSpectrum(lambda: readonly number[], seed: number): Float64Array {
  const n = lambda.length;
  const Q = orthogonal(n, n, createRng(seed));
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += Q[i * n + k] * lambda[k] * Q[j * n + k];
      A[i * n + j] = s;
      A[j * n + i] = s;
    }
  }
  return A;
}

/**
 * A random SPD system: n from 1 to 30, spectrum log-uniform in [scale / kappa, scale] with both
 * ends present (kappa up to 1e8, scale 1e-6 to 1e6), and a standard normal solution x.
 */
const spdArb = fc
  .record({
    n: fc.integer({ min: 1, max: 30 }),
    logKappa: fc.double({ min: 0, max: 8, noNaN: true }),
    logScale: fc.double({ min: -6, max: 6, noNaN: true }),
    seed: fc.integer({ min: 0, max: 0xfffffffe }),
  })
  .map(({ n, logKappa, logScale, seed }) => {
    const rng = createRng(seed);
    const scale = Math.pow(10, logScale);
    const kappa = Math.pow(10, logKappa);
    const lambda = Array.from({ length: n }, (_, k) => scale * Math.pow(kappa, -(k === 0 ? 0 : k === n - 1 ? 1 : rng.uniform())));
    const A = withSpectrum(lambda, seed + 1);
    const x = Float64Array.from({ length: n }, () => rng.normal());
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[i] += A[i * n + j] * x[j];
    return { n, kappa: n === 1 ? 1 : kappa, A, x, b };
  });

const factor = (A: Float64Array, n: number): Float64Array => {
  const L = new Float64Array(n * n);
  expect(cholesky(A, n, L)).toBe(true);
  return L;
};

/** x solving A x = b through the factor, and the factor */
const solve = (A: Float64Array, n: number, b: Float64Array): { L: Float64Array; x: Float64Array } => {
  const L = factor(A, n);
  const x = new Float64Array(n);
  choleskySolve(L, n, b, x);
  return { L, x };
};

const sameBits = (a: Float64Array, b: Float64Array): boolean => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

describe('cholesky: A = L L^T on random symmetric positive definite matrices', () => {
  it('L is lower triangular with a positive diagonal and |L L^T - A|_ij <= 4 (n + 1) eps sqrt(a_ii a_jj)', () => {
    assertProperty(
      fc.property(spdArb, ({ n, A }) => {
        const L = factor(A, n);
        for (let i = 0; i < n; i++) {
          expect(L[i * n + i]).toBeGreaterThan(0);
          for (let j = i + 1; j < n; j++) expect(L[i * n + j]).toBe(0);
        }
        for (let i = 0; i < n; i++) {
          for (let j = 0; j <= i; j++) {
            let s = 0;
            for (let k = 0; k <= j; k++) s += L[i * n + k] * L[j * n + k];
            expect(Math.abs(s - A[i * n + j])).toBeLessThanOrEqual(4 * (n + 1) * EPS * Math.sqrt(A[i * n + i] * A[j * n + j]));
          }
        }
      }),
    );
  });

  it('reads the lower triangle only, and overwrites whatever `out` held', () => {
    assertProperty(
      fc.property(spdArb, fc.integer({ min: 0, max: 0xffffffff }), ({ n, A }, seed) => {
        const L = factor(A, n);
        const rng = createRng(seed);
        const upperJunk = Float64Array.from(A);
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) upperJunk[i * n + j] = rng.uniform() < 0.5 ? NaN : 1e6 * rng.normal();
        const out = Float64Array.from({ length: n * n }, () => rng.normal());
        expect(cholesky(upperJunk, n, out)).toBe(true);
        expect(sameBits(out, L)).toBe(true);
      }),
    );
  });
});

describe('choleskySolve: L L^T x = b', () => {
  it('backward stable: |b - A x|_i <= 8 (n + 1) eps sqrt(a_ii) sum_j sqrt(a_jj) |x_j|', () => {
    assertProperty(
      fc.property(spdArb, ({ n, A, b }) => {
        const { x } = solve(A, n, b);
        let weighted = 0;
        for (let j = 0; j < n; j++) weighted += Math.sqrt(A[j * n + j]) * Math.abs(x[j]);
        for (let i = 0; i < n; i++) {
          let r = b[i];
          for (let j = 0; j < n; j++) r -= A[i * n + j] * x[j];
          expect(Math.abs(r)).toBeLessThanOrEqual(8 * (n + 1) * EPS * Math.sqrt(A[i * n + i]) * weighted);
        }
      }),
    );
  });

  it('forward error: |x - x_true| <= 4 n (n + 1) kappa eps |x_true| (kappa up to 1e8)', () => {
    // the backward bound in the 2-norm (|| |L| |L^T| ||_2 <= n ||A||_2) times the condition number
    assertProperty(
      fc.property(spdArb, ({ n, kappa, A, x: xTrue, b }) => {
        const { x } = solve(A, n, b);
        let err = 0;
        let norm = 0;
        for (let i = 0; i < n; i++) {
          err += (x[i] - xTrue[i]) ** 2;
          norm += xTrue[i] ** 2;
        }
        expect(Math.sqrt(err)).toBeLessThanOrEqual(4 * n * (n + 1) * kappa * EPS * Math.sqrt(norm));
      }),
    );
  });

  it('x may alias b: the same bits as a separate output', () => {
    assertProperty(
      fc.property(spdArb, ({ n, A, b }) => {
        const { L, x } = solve(A, n, b);
        const inPlace = Float64Array.from(b);
        choleskySolve(L, n, inPlace, inPlace);
        expect(sameBits(inPlace, x)).toBe(true);
      }),
    );
  });
});

describe('cholesky refuses what is not positive definite (returns false)', () => {
  it('a symmetric matrix with an eigenvalue below -1e-6 max |lambda|, whatever the rest of its spectrum', () => {
    assertProperty(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: -6, max: 0, noNaN: true }),
        fc.integer({ min: 0, max: 0xfffffffe }),
        (n, logNeg, seed) => {
          const rng = createRng(seed);
          // the rest: positive, zero or negative, of size up to 1; one eigenvalue -10^logNeg
          const lambda = Array.from({ length: n }, (_, k) => (k === 0 ? -Math.pow(10, logNeg) : rng.uniform() < 0.2 ? 0 : (rng.uniform() < 0.8 ? 1 : -1) * rng.uniform()));
          const A = withSpectrum(lambda, seed + 1);
          expect(cholesky(A, n, new Float64Array(n * n))).toBe(false);
        },
      ),
    );
  });

  it('a zero pivot: the zero matrix, and a matrix with a zero row and column', () => {
    for (const n of [1, 2, 5]) expect(cholesky(new Float64Array(n * n), n, new Float64Array(n * n))).toBe(false);
    // diag(2, 0, 3): SPD but for the middle pivot, which is exactly 0
    expect(cholesky(Float64Array.from([2, 0, 0, 0, 0, 0, 0, 0, 3]), 3, new Float64Array(9))).toBe(false);
  });

  it('a NaN anywhere in the lower triangle of an otherwise SPD matrix', () => {
    assertProperty(
      fc.property(spdArb, fc.nat(), ({ n, A }, k) => {
        const i = k % n;
        const j = Math.floor(k / n) % (i + 1);
        const B = Float64Array.from(A);
        B[i * n + j] = NaN;
        expect(cholesky(B, n, new Float64Array(n * n))).toBe(false);
      }),
    );
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EigenvalueDecomposition, Matrix, QrDecomposition } from 'ml-matrix';
import { assertProperty } from '../support/fc.ts';
import {
  countNegative,
  countPositive,
  EIGEN_TOLERANCE_C,
  eigenTolerance,
  spectralScale,
  summarize,
  symmetricEigen,
  symmetricEigenvalues,
} from '../../src/analyse/spectrum.ts';
import { InputError } from '../../src/util/errors.ts';
import { createRng, type Rng } from '../../src/util/prng.ts';

/** A random symmetric n x n matrix (row-major) with N(0, s^2) entries. */
function randomSymmetric(n: number, rng: Rng, s = 1): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = s * rng.normal();
      m[i * n + j] = v;
      m[j * n + i] = v;
    }
  }
  return m;
}

/** Q orthogonal (n x n) from the QR of a seeded Gaussian matrix. */
function randomOrthogonal(n: number, rng: Rng): Matrix {
  const G = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) G.set(i, j, rng.normal());
  return new QrDecomposition(G).orthogonalMatrix;
}

/** Q diag(lambda) Q^T, exactly symmetrised, row-major. */
function withSpectrum(lambda: number[], rng: Rng): Float64Array {
  const n = lambda.length;
  const Q = randomOrthogonal(n, rng);
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += Q.get(i, k) * lambda[k] * Q.get(j, k);
      m[i * n + j] = s;
      m[j * n + i] = s;
    }
  }
  return m;
}

const sizeAndSeed = fc.record({ n: fc.integer({ min: 1, max: 40 }), seed: fc.integer({ min: 0, max: 0xffffffff }) });

describe('symmetricEigenvalues', () => {
  it('sum lambda = trace and sum lambda^2 = ||M||_F^2, eigenvalues ascending (random symmetric, n = 1..40)', () => {
    assertProperty(
      fc.property(sizeAndSeed, ({ n, seed }) => {
        const m = randomSymmetric(n, createRng(seed));
        const eigs = symmetricEigenvalues(m, n);
        expect(eigs.length).toBe(n);
        for (let k = 1; k < n; k++) expect(eigs[k]).toBeGreaterThanOrEqual(eigs[k - 1]);
        let trace = 0;
        let frob = 0;
        for (let i = 0; i < n; i++) trace += m[i * n + i];
        for (const v of m) frob += v * v;
        let sum = 0;
        let sum2 = 0;
        for (const l of eigs) {
          sum += l;
          sum2 += l * l;
        }
        const scale = Math.sqrt(frob);
        expect(Math.abs(sum - trace)).toBeLessThanOrEqual(1e-12 * n * Math.max(1, scale));
        expect(Math.abs(sum2 - frob)).toBeLessThanOrEqual(1e-12 * n * Math.max(1, frob));
      }),
    );
  });

  it('Q diag(lambda) Q^T reconstructs M, with Q the eigenvectors from ml-matrix (random symmetric, n = 1..40)', () => {
    assertProperty(
      fc.property(sizeAndSeed, ({ n, seed }) => {
        const m = randomSymmetric(n, createRng(seed));
        const eigs = symmetricEigenvalues(m, n);
        // eigenvectors straight from ml-matrix, columns re-ordered to match the ascending eigenvalues
        const evd = new EigenvalueDecomposition(Matrix.from1DArray(n, n, Array.from(m)), { assumeSymmetric: true });
        const raw = evd.realEigenvalues;
        const order = raw.map((_, i) => i).sort((i, j) => raw[i] - raw[j]);
        const V = evd.eigenvectorMatrix;
        let frob = 0;
        for (const v of m) frob += v * v;
        const tol = 1e-12 * n * Math.max(1, Math.sqrt(frob));
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let k = 0; k < n; k++) s += V.get(i, order[k]) * eigs[k] * V.get(j, order[k]);
            expect(Math.abs(s - m[i * n + j])).toBeLessThanOrEqual(tol);
          }
        }
        // symmetricEigen (ml-matrix, with vectors) gives the same eigenvalues to rounding, and orthonormal vectors
        const { eigenvalues, eigenvectors } = symmetricEigen(m, n);
        const sc = Math.max(1e-300, ...Array.from(eigs, Math.abs));
        for (let k = 0; k < n; k++) expect(Math.abs(eigenvalues[k] - eigs[k])).toBeLessThanOrEqual(1e-12 * sc);
        for (let a = 0; a < n; a++) {
          for (let b = 0; b < n; b++) {
            let dot = 0;
            for (let i = 0; i < n; i++) dot += eigenvectors[i * n + a] * eigenvectors[i * n + b];
            expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThanOrEqual(1e-12 * n);
          }
        }
      }),
    );
  });

  it('recovers a known spectrum Q diag(known) Q^T to 1e-10 * scale', () => {
    assertProperty(
      fc.property(sizeAndSeed, fc.double({ min: -6, max: 6, noNaN: true }), ({ n, seed }, logScale) => {
        const rng = createRng(seed);
        const scale = 10 ** logScale;
        const known = Array.from({ length: n }, () => scale * (2 * rng.uniform() - 1));
        const m = withSpectrum(known, rng);
        const eigs = symmetricEigenvalues(m, n);
        const sorted = [...known].sort((a, b) => a - b);
        for (let k = 0; k < n; k++) expect(Math.abs(eigs[k] - sorted[k])).toBeLessThanOrEqual(1e-10 * scale);
      }),
    );
  });

  it('a 1 x 1 and a diagonal matrix', () => {
    expect(Array.from(symmetricEigenvalues(new Float64Array([-3]), 1))).toEqual([-3]);
    expect(Array.from(symmetricEigenvalues(new Float64Array([2, 0, 0, 0, -1, 0, 0, 0, 5]), 3))).toEqual([-1, 2, 5]);
  });

  it('rejects bad input with InputError', () => {
    expect(() => symmetricEigenvalues(new Float64Array(6), 2)).toThrow(InputError);
    expect(() => symmetricEigenvalues(new Float64Array(6), 3)).toThrow(/n \* n = 9/);
    expect(() => symmetricEigenvalues(new Float64Array(0), 0)).toThrow(InputError);
    expect(() => symmetricEigenvalues(new Float64Array(4), 1.5)).toThrow(InputError);
    expect(() => symmetricEigenvalues([1, 0, 0, 1] as unknown as Float64Array, 2)).toThrow(InputError);
    expect(() => symmetricEigenvalues(new Float64Array([1, NaN, NaN, 1]), 2)).toThrow(/matrix\[0\]\[1\]/);
    expect(() => symmetricEigenvalues(new Float64Array([1, 0, 0, Infinity]), 2)).toThrow(InputError);
    // badly asymmetric: the error says where
    const asym = new Float64Array([1, 2, 0, 2, 1, 0, 0, 0.5, 1]);
    expect(() => symmetricEigenvalues(asym, 3)).toThrow(InputError);
    expect(() => symmetricEigenvalues(asym, 3)).toThrow(/\[1\]\[2\] vs \[2\]\[1\]/);
    // rounding-level asymmetry is accepted (and symmetrised)
    const nearly = new Float64Array([1, 2, 2 * (1 + 4 * Number.EPSILON), 1]);
    expect(Array.from(symmetricEigenvalues(nearly, 2)).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([-1, 3]);
  });
});

describe('thresholds and counts', () => {
  it('eigenTolerance = scale * n * eps * C with C = 100', () => {
    expect(EIGEN_TOLERANCE_C).toBe(100);
    expect(eigenTolerance(2, 50)).toBe(2 * 50 * Number.EPSILON * 100);
    expect(eigenTolerance(0, 3)).toBe(0);
    expect(() => eigenTolerance(-1, 3)).toThrow(InputError);
    expect(() => eigenTolerance(NaN, 3)).toThrow(InputError);
    expect(() => eigenTolerance(1, 0)).toThrow(InputError);
  });

  it('counts k known negative eigenvalues, and the rank of a PSD matrix', () => {
    assertProperty(
      fc.property(sizeAndSeed, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), ({ n, seed }, kRaw, zRaw) => {
        const rng = createRng(seed);
        const k = kRaw % (n + 1);
        const z = zRaw % (n - k + 1); // exact-zero eigenvalues
        const known = Array.from({ length: n }, (_, i) =>
          i < k ? -(0.01 + rng.uniform()) : i < k + z ? 0 : 0.01 + rng.uniform(),
        );
        const m = withSpectrum(known, rng);
        const eigs = symmetricEigenvalues(m, n);
        const tol = eigenTolerance(spectralScale(eigs), n);
        expect(countNegative(eigs, tol)).toBe(k);
        expect(countPositive(eigs, tol)).toBe(n - k - z);
        const s = summarize(eigs, tol);
        expect(s.nNegative).toBe(k);
        expect(s.nPositive).toBe(n - k - z);
        expect(s.nZero).toBe(z);
        expect(s.tolerance).toBe(tol);
        expect(s.min).toBe(eigs[0]);
        expect(s.max).toBe(eigs[n - 1]);
        // a PSD matrix (|known|): rank = number of non-zero eigenvalues, no negatives
        const psd = symmetricEigenvalues(withSpectrum(known.map(Math.abs), rng), n);
        const tolPsd = eigenTolerance(spectralScale(psd), n);
        expect(countNegative(psd, tolPsd)).toBe(0);
        expect(countPositive(psd, tolPsd)).toBe(n - z);
      }),
    );
  });

  it('a zero matrix has no negative eigenvalues against a non-zero scale', () => {
    const n = 30;
    const eigs = symmetricEigenvalues(new Float64Array(n * n), n);
    const s = summarize(eigs, eigenTolerance(1, n));
    expect(s.nNegative).toBe(0);
    expect(s.nPositive).toBe(0);
    expect(s.nZero).toBe(n);
  });

  it('the pitfall: Hp made of 1e-16 rounding noise has 0 negatives against the scale of H (1), but ~n/2 against max|Hp|', () => {
    const n = 40;
    const noise = randomSymmetric(n, createRng(7), 1e-16);
    const eigs = symmetricEigenvalues(noise, n);
    // right: the tolerance comes from the full Hessian's spectral scale (here 1)
    const tol = eigenTolerance(1, n);
    expect(countNegative(eigs, tol)).toBe(0);
    expect(countPositive(eigs, tol)).toBe(0);
    // wrong (what the pitfall warns about): scaling by the noise matrix itself counts its noise
    const wrong = countNegative(eigs, eigenTolerance(spectralScale(eigs), n));
    expect(wrong).toBeGreaterThan(n / 4);
  });

  it('rejects bad tolerances and eigenvalue lists', () => {
    expect(() => countNegative([1, 2], -1)).toThrow(InputError);
    expect(() => countPositive([1, 2], NaN)).toThrow(InputError);
    expect(() => countNegative([1, NaN], 0)).toThrow(/eigenvalues\[1\]/);
    expect(() => summarize([], 0)).toThrow(InputError);
    expect(() => summarize(null as unknown as number[], 0)).toThrow(InputError);
  });
});

describe('eigenvalues-only path (Householder + implicit QL) against ml-matrix\'s full decomposition', () => {
  it('agrees to 1e-12 of the spectral scale on random symmetric matrices, sizes 1 to 60', async () => {
    const { tridiagonalEigenvalues } = await import('../../src/analyse/tridiagonal.ts');
    const { EigenvalueDecomposition, Matrix } = await import('ml-matrix');
    const { createRng } = await import('../../src/util/prng.ts');
    const fc = (await import('fast-check')).default;
    const { assertProperty } = await import('../support/fc.ts');
    assertProperty(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 1e6 }), fc.constantFrom(1e-8, 1, 1e8), fc.boolean(), (n, seed, scale, lowRank) => {
        const rng = createRng(seed);
        const m = new Float64Array(n * n);
        if (lowRank) {
          // a rank-2 matrix: most eigenvalues exactly 0 (as H0 and Hp near jamming)
          const u = Array.from({ length: n }, () => rng.normal());
          const v = Array.from({ length: n }, () => rng.normal());
          for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = scale * (u[i] * u[j] - v[i] * v[j]);
        } else {
          for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) m[i * n + j] = m[j * n + i] = scale * rng.normal();
        }
        const got = tridiagonalEigenvalues(m, n);
        const A = new Matrix(n, n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A.set(i, j, m[i * n + j]);
        const want = Float64Array.from(new EigenvalueDecomposition(A, { assumeSymmetric: true }).realEigenvalues).sort();
        const s = Math.max(...want.map(Math.abs), 1e-300);
        for (let i = 0; i < n; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-12 * s);
      }),
    );
  });
});

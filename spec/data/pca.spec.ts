import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { assertProperty } from '../support/fc.ts';
import { byteCovariance, computePcaBasis, fixSign, projectWhitened } from '../../src/data/pca.ts';
import { createRng } from '../../src/util/prng.ts';
import { InputError } from '../../src/util/errors.ts';

/** n x D bytes with correlated, sparse-ish columns (like pixels), from a fixed seed. */
function bytes(n: number, D: number, seed: number): Uint8Array {
  const rng = createRng(seed);
  const out = new Uint8Array(n * D);
  for (let r = 0; r < n; r++) {
    const a = rng.uniform();
    for (let i = 0; i < D; i++) {
      const v = Math.floor(255 * Math.min(1, Math.max(0, a * (i % 3) * 0.5 + rng.normal() * 0.3)));
      out[r * D + i] = v;
    }
  }
  return out;
}

describe('PCA on byte data', () => {
  it('byteCovariance equals the naive two-pass population covariance of scale * data', () => {
    const n = 300;
    const D = 7;
    const data = bytes(n, D, 5);
    const s = 1 / 255;
    const { mean, cov } = byteCovariance(data, n, D, s);
    for (let i = 0; i < D; i++) {
      let m = 0;
      for (let r = 0; r < n; r++) m += data[r * D + i] * s;
      expect(mean[i]).toBeCloseTo(m / n, 14);
    }
    for (let i = 0; i < D; i++) {
      for (let j = 0; j < D; j++) {
        let c = 0;
        for (let r = 0; r < n; r++) c += (data[r * D + i] * s - mean[i]) * (data[r * D + j] * s - mean[j]);
        expect(Math.abs(cov[i * D + j] - c / n)).toBeLessThan(1e-14);
      }
    }
  });

  it('components are orthonormal eigenvectors (C u = lambda u), eigenvalues decreasing, signs fixed', () => {
    const n = 400;
    const D = 9;
    const data = bytes(n, D, 11);
    const basis = computePcaBasis(data, n, D, 5, 1 / 255);
    const { cov } = byteCovariance(data, n, D, 1 / 255);
    for (let r = 0; r < 5; r++) {
      const u = basis.components.subarray(r * D, r * D + D);
      if (r > 0) expect(basis.eigenvalues[r]).toBeLessThanOrEqual(basis.eigenvalues[r - 1]);
      for (let q = 0; q < 5; q++) {
        let dot = 0;
        for (let i = 0; i < D; i++) dot += u[i] * basis.components[q * D + i];
        expect(Math.abs(dot - (q === r ? 1 : 0))).toBeLessThan(1e-12);
      }
      for (let i = 0; i < D; i++) {
        let cu = 0;
        for (let j = 0; j < D; j++) cu += cov[i * D + j] * u[j];
        expect(Math.abs(cu - basis.eigenvalues[r] * u[i])).toBeLessThan(1e-12);
      }
      const big = u.reduce((b, v, i) => (Math.abs(v) > Math.abs(u[b]) ? i : b), 0);
      expect(u[big]).toBeGreaterThan(0);
    }
  });

  it('whitened projections have zero mean and unit variance over the samples (to 1e-10)', () => {
    const n = 500;
    const D = 8;
    const data = bytes(n, D, 3);
    const basis = computePcaBasis(data, n, D, 4, 1 / 255);
    const z = projectWhitened(data, n, 1 / 255, basis, 4);
    for (let r = 0; r < 4; r++) {
      let m = 0;
      let v = 0;
      for (let t = 0; t < n; t++) m += z[t * 4 + r] / n;
      for (let t = 0; t < n; t++) v += (z[t * 4 + r] - m) ** 2 / n;
      expect(Math.abs(m)).toBeLessThan(1e-10);
      expect(Math.abs(v - 1)).toBeLessThan(1e-10);
    }
    expect(() => projectWhitened(data, n, 1 / 255, basis, 5)).toThrow(InputError);
    expect(() => computePcaBasis(data, n, D, 9, 1 / 255)).toThrow(/^pca\.k: got 9/);
  });

  it('fixSign makes the largest-|.| entry positive and maps u and -u to the same vector', () => {
    assertProperty(
      fc.property(fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 20 }), (raw) => {
        const u = Float64Array.from(raw);
        const w = Float64Array.from(raw, (v) => -v);
        fixSign(u);
        fixSign(w);
        const big = u.reduce((b, v, i) => (Math.abs(v) > Math.abs(u[b]) ? i : b), 0);
        expect(u[big]).toBeGreaterThanOrEqual(0);
        expect(Array.from(w).map((v) => v + 0)).toEqual(Array.from(u).map((v) => v + 0));
      }),
    );
  });
});

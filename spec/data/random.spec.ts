import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { assertProperty } from '../support/fc.ts';
import { randomData } from '../../src/data/random.ts';
import { centreColumns, rescaleRows } from '../../src/data/normalize.ts';
import { createRng } from '../../src/util/prng.ts';
import { InputError } from '../../src/util/errors.ts';

const sizes = fc.record({
  P: fc.integer({ min: 2, max: 60 }),
  d: fc.integer({ min: 1, max: 20 }),
  seed: fc.integer({ min: 0, max: 0xffffffff }),
});

describe('randomData: the authors recipe', () => {
  it('rows have norm sqrt(d) to 1e-12 and labels alternate +1, -1, ... (|sum y| <= 1)', () => {
    assertProperty(
      fc.property(sizes, ({ P, d, seed }) => {
        const ds = randomData({ P, d, seed });
        expect(ds.P).toBe(P);
        expect(ds.d).toBe(d);
        for (let mu = 0; mu < P; mu++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += ds.x[mu * d + j] ** 2;
          expect(Math.abs(Math.sqrt(s) - Math.sqrt(d))).toBeLessThanOrEqual(1e-12 * Math.sqrt(d));
          expect(ds.y[mu]).toBe(mu % 2 === 0 ? 1 : -1);
        }
        expect(Math.abs(ds.y.reduce((a, b) => a + b, 0))).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('is exactly: Gaussian drawn row by row from createRng(seed), centred, then rows rescaled', () => {
    assertProperty(
      fc.property(sizes, ({ P, d, seed }) => {
        const rng = createRng(seed);
        const x = Float64Array.from({ length: P * d }, () => rng.normal());
        const byHand = rescaleRows('h', centreColumns(x, P, d), P, d);
        expect(Array.from(randomData({ P, d, seed }).x)).toEqual(Array.from(byHand));
      }),
    );
  });

  it('same seed gives identical arrays, a different seed different ones', () => {
    assertProperty(
      fc.property(sizes, fc.integer({ min: 0, max: 0xffffffff }), ({ P, d, seed }, other) => {
        const a = randomData({ P, d, seed });
        const b = randomData({ P, d, seed });
        expect(Array.from(a.x)).toEqual(Array.from(b.x));
        expect(Array.from(a.y)).toEqual(Array.from(b.y));
        if (other !== seed) expect(Array.from(randomData({ P, d, seed: other }).x)).not.toEqual(Array.from(a.x));
      }),
    );
  });

  it('column means are small but not exactly zero (centre THEN rescale), within 6 sigma of 1/sqrt(2 d P)', () => {
    // mean_j = (1/P) sum_mu (c_mu - 1) z_mu,j with c_mu = sqrt(d)/|z_mu| = 1 + O(1/sqrt(2d)) for
    // Gaussian rows, and (c_mu - 1) z_mu,j has zero mean by the z -> -z symmetry: each column mean
    // has standard deviation about 1/sqrt(2 d P). 6 sigma over these 3 x 50 fixed-seed columns.
    for (const seed of [1, 2, 3]) {
      const P = 2000;
      const d = 50;
      const ds = randomData({ P, d, seed });
      const tol = 6 / Math.sqrt(2 * d * P);
      let maxMean = 0;
      for (let j = 0; j < d; j++) {
        let m = 0;
        for (let mu = 0; mu < P; mu++) m += ds.x[mu * d + j];
        maxMean = Math.max(maxMean, Math.abs(m / P));
      }
      expect(maxMean).toBeLessThan(tol);
      expect(maxMean).toBeGreaterThan(1e-10); // the rescale does move the means: not a centring after it
    }
  });

  it('rejects bad sizes and seeds with InputError naming the field', () => {
    expect(() => randomData({ P: 1, d: 3, seed: 0 })).toThrow(InputError);
    expect(() => randomData({ P: 1, d: 3, seed: 0 })).toThrow(/^P: got 1/);
    expect(() => randomData({ P: 10, d: 0, seed: 0 })).toThrow(/^d: got 0/);
    expect(() => randomData({ P: 2.5, d: 3, seed: 0 })).toThrow(/^P: got 2.5/);
    expect(() => randomData({ P: 10, d: 3, seed: -1 })).toThrow(/^seed: got -1/);
  });
});

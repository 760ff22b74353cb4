import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { assertProperty } from '../support/fc.ts';
import { centreColumns, centreThenRescale, rescaleRows } from '../../src/data/normalize.ts';
import { InputError } from '../../src/util/errors.ts';

const matrix = fc
  .record({ P: fc.integer({ min: 2, max: 30 }), d: fc.integer({ min: 1, max: 12 }) })
  .chain(({ P, d }) =>
    fc.record({
      P: fc.constant(P),
      d: fc.constant(d),
      x: fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: P * d, maxLength: P * d }),
    }),
  );

/** Rows that centring leaves non-zero (a zero row has no direction to rescale). */
const nonDegenerate = ({ P, d, x }: { P: number; d: number; x: number[] }) => {
  const c = centreColumns(Float64Array.from(x), P, d);
  for (let mu = 0; mu < P; mu++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += c[mu * d + j] ** 2;
    if (!(s > 1e-6)) return false;
  }
  return true;
};

describe('normalize: centre, then rescale rows', () => {
  it('centring alone makes every column mean zero (to rounding, 1e-12 of the scale)', () => {
    assertProperty(
      fc.property(matrix, ({ P, d, x }) => {
        const c = centreColumns(Float64Array.from(x), P, d);
        for (let j = 0; j < d; j++) {
          let m = 0;
          for (let mu = 0; mu < P; mu++) m += c[mu * d + j];
          expect(Math.abs(m / P)).toBeLessThanOrEqual(1e-12 * 100);
        }
      }),
    );
  });

  it('is exactly rescaleRows(centreColumns(x)), in that order, and every row has norm sqrt(d) to 1e-12', () => {
    assertProperty(
      fc.property(matrix.filter(nonDegenerate), ({ P, d, x }) => {
        const got = centreThenRescale('t', Float64Array.from(x), P, d);
        const byHand = rescaleRows('t', centreColumns(Float64Array.from(x), P, d), P, d);
        expect(Array.from(got)).toEqual(Array.from(byHand));
        for (let mu = 0; mu < P; mu++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += got[mu * d + j] ** 2;
          expect(Math.abs(Math.sqrt(s) - Math.sqrt(d))).toBeLessThanOrEqual(1e-12 * Math.sqrt(d));
        }
      }),
    );
  });

  it('column means after the rescale obey the exact identity mean_j = (1/P) sum_mu (c_mu - 1) z_mu,j', () => {
    // z = centred rows, c_mu = sqrt(d)/|z_mu|: the rescale is why the means are small, not zero.
    assertProperty(
      fc.property(matrix.filter(nonDegenerate), ({ P, d, x }) => {
        const z = centreColumns(Float64Array.from(x), P, d);
        const out = rescaleRows('t', Float64Array.from(z), P, d);
        for (let j = 0; j < d; j++) {
          let mean = 0;
          let predicted = 0;
          let scale = 0;
          for (let mu = 0; mu < P; mu++) {
            let s = 0;
            for (let k = 0; k < d; k++) s += z[mu * d + k] ** 2;
            const c = Math.sqrt(d) / Math.sqrt(s);
            mean += out[mu * d + j] / P;
            predicted += ((c - 1) * z[mu * d + j]) / P;
            scale += (Math.abs(c * z[mu * d + j]) + Math.abs(z[mu * d + j])) / P;
          }
          expect(Math.abs(mean - predicted)).toBeLessThanOrEqual(1e-12 * (1 + scale));
        }
      }),
    );
  });

  it('refuses to rescale a zero row, naming the row', () => {
    const x = Float64Array.from([1, 2, 1, 2]); // two equal rows: both centre to zero
    expect(() => centreThenRescale('demo', x, 2, 2)).toThrow(InputError);
    expect(() => centreThenRescale('demo', Float64Array.from([1, 2, 1, 2]), 2, 2)).toThrow(/demo\.x\[0\]/);
  });
});

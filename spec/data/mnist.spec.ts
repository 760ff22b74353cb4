import { describe, it, expect } from 'vitest';
import {
  loadMnistPool,
  mnistParity,
  mnistWhitened,
  MNIST_N,
  parityLabel,
  parityOrder,
} from '../../src/data/mnist.ts';
import { centreThenRescale } from '../../src/data/normalize.ts';
import { InputError } from '../../src/util/errors.ts';

// Published per-digit counts of the MNIST training and test sets.
const TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];
const EVEN = 34418; // digits 0, 2, 4, 6, 8 in the pooled 70k
const ODD = 35582;

const pool = loadMnistPool();

function rowNormsOk(x: Float64Array, d: number): boolean {
  for (let t = 0; t < x.length / d; t++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[t * d + j] ** 2;
    if (Math.abs(Math.sqrt(s) - Math.sqrt(d)) > 1e-12 * Math.sqrt(d)) return false;
  }
  return true;
}

describe('MNIST pool', () => {
  it('pools 60k train then 10k test images with the published digit counts', () => {
    expect(pool.images.length).toBe(MNIST_N * 784);
    const count = (from: number, to: number) => {
      const c = new Array(10).fill(0);
      for (let i = from; i < to; i++) c[pool.digits[i]]++;
      return c;
    };
    expect(count(0, 60000)).toEqual(TRAIN_COUNTS);
    expect(count(60000, 70000)).toEqual(TEST_COUNTS);
    let even = 0;
    for (const g of pool.digits) if (parityLabel(g) === 1) even++;
    expect([even, MNIST_N - even]).toEqual([EVEN, ODD]);
    expect(pool.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('whitened PCA components have zero mean, unit variance and no correlation over the pool (1e-8)', () => {
    const d = 10;
    const z = mnistWhitened(d);
    const mean = new Float64Array(d);
    for (let t = 0; t < MNIST_N; t++) for (let r = 0; r < d; r++) mean[r] += z[t * d + r] / MNIST_N;
    for (let r = 0; r < d; r++) {
      expect(Math.abs(mean[r])).toBeLessThan(1e-8);
      for (let q = r; q < d; q++) {
        let c = 0;
        for (let t = 0; t < MNIST_N; t++) c += (z[t * d + r] - mean[r]) * (z[t * d + q] - mean[q]);
        expect(Math.abs(c / MNIST_N - (q === r ? 1 : 0))).toBeLessThan(1e-8);
      }
    }
  });
});

describe('parityOrder: seeded shuffle, classes interleaved', () => {
  const order = parityOrder(pool.digits, 7);

  it('is a permutation of the pool whose first 2 x 34418 labels alternate +1, -1, then odd digits only', () => {
    const seen = new Uint8Array(MNIST_N);
    for (const i of order) seen[i]++;
    expect(seen.every((v) => v === 1)).toBe(true);
    for (let t = 0; t < MNIST_N; t++) {
      const want = t < 2 * EVEN ? (t % 2 === 0 ? 1 : -1) : -1;
      if (parityLabel(pool.digits[order[t]]) !== want) throw new Error(`label at position ${t}`);
    }
  });

  it('depends on the seed only', () => {
    expect(Array.from(parityOrder(pool.digits, 7))).toEqual(Array.from(order));
    expect(Array.from(parityOrder(pool.digits, 8).subarray(0, 100))).not.toEqual(Array.from(order.subarray(0, 100)));
  });
});

describe('mnistParity', () => {
  const split = mnistParity({ P: 1000, seed: 7 });

  it('gives P balanced train patterns (alternating labels) and a default test set of 10000, rows of norm sqrt(d)', () => {
    const { train, test } = split;
    expect([train.P, train.d, test?.P, test?.d]).toEqual([1000, 10, 10000, 10]);
    train.y.forEach((v, t) => expect(v).toBe(t % 2 === 0 ? 1 : -1));
    expect(test!.y.reduce((a, b) => a + b, 0)).toBe(0);
    expect(rowNormsOk(train.x, 10)).toBe(true);
    expect(rowNormsOk(test!.x, 10)).toBe(true);
  });

  it('is the recipe exactly: row t of train is row order[t] of centreThenRescale(whitened PCA)', () => {
    const pooled = centreThenRescale('m', mnistWhitened(10), MNIST_N, 10);
    const order = parityOrder(pool.digits, 7);
    for (let t = 0; t < 1000; t++) {
      expect(Array.from(split.train.x.subarray(t * 10, t * 10 + 10))).toEqual(Array.from(pooled.subarray(order[t] * 10, order[t] * 10 + 10)));
      expect(split.train.y[t]).toBe(parityLabel(pool.digits[order[t]]));
    }
  });

  it('train and test are consecutive segments of one order (so disjoint), test a seeded subset of the rest', () => {
    const big = mnistParity({ P: 2000, seed: 7, nTest: 0 });
    const small = mnistParity({ P: 1000, seed: 7, nTest: 1000 });
    expect(big.test).toBeUndefined();
    expect(Array.from(small.train.x)).toEqual(Array.from(big.train.x.subarray(0, 10000)));
    expect(Array.from(small.test!.x)).toEqual(Array.from(big.train.x.subarray(10000)));
    expect(mnistParity({ P: 1000, seed: 7, nTest: 'all' }).test!.P).toBe(69000);
    expect(mnistParity({ P: 65000, seed: 7 }).test!.P).toBe(5000);
    expect(mnistParity({ P: 70000, seed: 7 }).test).toBeUndefined();
  });

  it('same seed gives identical arrays, a different seed different ones; d is an option', () => {
    const again = mnistParity({ P: 1000, seed: 7 });
    expect(Array.from(again.train.x)).toEqual(Array.from(split.train.x));
    expect(Array.from(again.test!.x)).toEqual(Array.from(split.test!.x));
    const other = mnistParity({ P: 1000, seed: 8 });
    expect(Array.from(other.train.x)).not.toEqual(Array.from(split.train.x));
    const d3 = mnistParity({ P: 50, d: 3, seed: 7, nTest: 10 });
    expect([d3.train.d, d3.train.x.length]).toEqual([3, 150]);
    expect(rowNormsOk(d3.train.x, 3)).toBe(true);
  });

  it('rejects bad options with InputError naming the field and the allowed range', () => {
    const bad: Array<[Parameters<typeof mnistParity>[0], RegExp]> = [
      [{ P: 0, seed: 1 }, /^P: got 0; allowed: an integer from 1 to 70000/],
      [{ P: 70001, seed: 1 }, /^P: got 70001/],
      [{ P: 10.5, seed: 1 }, /^P: got 10.5/],
      [{ P: 10, d: 0, seed: 1 }, /^d: got 0; allowed: an integer from 1 to 784/],
      [{ P: 10, d: 785, seed: 1 }, /^d: got 785/],
      [{ P: 10, seed: -2 }, /^seed: got -2/],
      [{ P: 10, seed: 1, nTest: -1 }, /^nTest: got -1; allowed: an integer from 0 to 69990/],
      [{ P: 10, seed: 1, nTest: 69991 }, /^nTest: got 69991/],
      [{ P: 10, seed: 1, nTest: 'some' as 'all' }, /^nTest: got "some"/],
    ];
    for (const [opts, msg] of bad) {
      expect(() => mnistParity(opts)).toThrow(InputError);
      expect(() => mnistParity(opts)).toThrow(msg);
    }
  });
});

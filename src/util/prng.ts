import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * The project's only source of randomness: seeded xoroshiro128+ from pure-rand.
 * Same seed, same stream, on every machine (the platform's unseeded generator is never used).
 */
export interface Rng {
  /** Uniform in [0, 1), 53 random bits. */
  uniform(): number;
  /** Standard normal (Box-Muller; both values of each pair are used). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** A new independent stream derived from this one (for sub-tasks that must not shift each other). */
  fork(): Rng;
}

export function createRng(seed: number): Rng {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed: got ${seed}; allowed: an integer from 0 to 4294967295`);
  }
  return wrap(xoroshiro128plus(seed | 0));
}

function wrap(g: RandomGenerator): Rng {
  let spare: number | null = null;
  const rng: Rng = {
    uniform: () => uniformFloat64(g),
    normal: () => {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      while (u === 0) u = uniformFloat64(g);
      const v = uniformFloat64(g);
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int: (n: number) => uniformInt(g, 0, n - 1),
    fork: () => wrap(xoroshiro128plus(uniformInt(g, 0, 0x7fffffff))),
  };
  return rng;
}

/** Fisher-Yates, in place, seeded. */
export function shuffleInPlace<T>(a: T[] | Int32Array | Uint32Array, rng: Rng): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

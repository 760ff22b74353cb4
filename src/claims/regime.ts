import type { FixedNFamily, MnistFamily } from '../experiment/scales.ts';
import { familyN } from '../experiment/scales.ts';

/**
 * Where the claims decide, fixed before any result (each claim in the papers' regime).
 *
 * Random data: the papers' networks are 30 to 62 wide. Below width 12 a sizeable share of the
 * minima have dead units and dead patterns (SCIENCE.md pitfall; 56 dead-pattern runs at widths 6
 * to 8 in the last full report), which the stability argument does not cover. Families narrower
 * than RANDOM_MIN_WIDTH are still run and shown, in a table row marked outside the regime.
 *
 * MNIST: the papers fix P from 10k to 50k; at P = 300 N* is about 70 (hidden width about 5), the
 * same narrow-network regime. MNIST sweeps with P below MNIST_MIN_P are shown outside the regime.
 */
export const RANDOM_MIN_WIDTH = 12;
export const MNIST_MIN_P = 1000;
/** N of the narrowest L = 2 network in the regime (d = h = 12: N = 300). */
export const RANDOM_MIN_N = familyN({ L: 2, width: RANDOM_MIN_WIDTH, ratios: [], seeds: [] });

export function inRandomRegime(f: FixedNFamily): boolean {
  return f.width >= RANDOM_MIN_WIDTH;
}

/**
 * Claim 6 compares depths at equal width and nearly equal N: a deeper family (L > 2) with layers at
 * least RANDOM_MIN_WIDTH wide (so no more dead units than the L = 2 families of the regime; the
 * full scale's L = 3, h = 12, N = 444), against the L = 2 family of the regime nearest in N, if
 * within DEPTH_EQUAL_N (L = 2, h = 15, N = 465).
 */
export function inDepthRegime(f: FixedNFamily): boolean {
  return f.L > 2 && f.width >= RANDOM_MIN_WIDTH;
}

/** A deeper family is compared with an L = 2 family only if their N are within this factor. */
export const DEPTH_EQUAL_N = 1.2;

/** The L = 2 family of the regime nearest in N to a deeper family, if within DEPTH_EQUAL_N; else undefined. */
export function depthReference<T extends { readonly family: FixedNFamily; readonly N: number }>(deeper: T, l2InRegime: readonly T[]): T | undefined {
  const dist = (t: T) => Math.abs(Math.log(t.N / deeper.N));
  const ref = [...l2InRegime].sort((a, b) => dist(a) - dist(b))[0];
  return ref && dist(ref) <= Math.log(DEPTH_EQUAL_N) ? ref : undefined;
}

export function inMnistRegime(m: MnistFamily): boolean {
  return m.P >= MNIST_MIN_P;
}

export const RANDOM_REGIME = `random-data fixed-N families with d = h >= ${RANDOM_MIN_WIDTH}`;
export const MNIST_REGIME = `MNIST width sweeps with P >= ${MNIST_MIN_P}`;
export const DEPTH_REGIME = `deeper families (L > 2) with d = h >= ${RANDOM_MIN_WIDTH}, each against the L = 2 family of the regime nearest in N (within a factor ${DEPTH_EQUAL_N})`;
export const OUTSIDE = 'outside the regime';

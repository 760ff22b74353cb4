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
 * Claim 6 compares depths at equal N, so a deeper family enters that comparison by its size: N at
 * least that of the narrowest L = 2 family of the regime. Its layers may be narrower than 12; the
 * dead units that brings are removed from its N (effectiveN) before P* over N is compared.
 */
export function inDepthRegime(f: FixedNFamily): boolean {
  return f.L !== 2 && familyN(f) >= RANDOM_MIN_N;
}

export function inMnistRegime(m: MnistFamily): boolean {
  return m.P >= MNIST_MIN_P;
}

export const RANDOM_REGIME = `random-data fixed-N families with d = h >= ${RANDOM_MIN_WIDTH}`;
export const MNIST_REGIME = `MNIST width sweeps with P >= ${MNIST_MIN_P}`;
export const DEPTH_REGIME = `families of depth L != 2 with N >= ${RANDOM_MIN_N} (the N of the narrowest L = 2 family in the regime), compared at equal N`;
export const OUTSIDE = 'outside the regime';

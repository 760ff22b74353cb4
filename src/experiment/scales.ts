import { InputError } from '../util/errors.ts';
import { range } from './grid.ts';
import { weightCount } from '../model/architecture.ts';

/**
 * The experiments behind the claims, at three sizes. Every number here was fixed before any result
 * was seen.
 * - fixedN: the authors' sharpness protocol (SCIENCE.md, "Runs behind the published figures"): at
 *   fixed N (random data, d = h), P swept across the transition. It gives P*(N), N_Delta/N, spectra
 *   and gaps near jamming (claims 2 to 9).
 * - mnist: at fixed P, widths swept across N* with a held-out test set (claims 6 MNIST and 10).
 * - softplus: smooth networks where the Hessian argument of claim 3 applies exactly.
 * - linear: the L = 0 control, with no jump expected.
 */
export type ScaleName = 'ci' | 'full' | 'large' | 'paper';
export const SCALES: readonly ScaleName[] = ['ci', 'full', 'large', 'paper'];

export interface FixedNFamily {
  readonly L: number;
  /** d = h = width */
  readonly width: number;
  /** P / N values of the coarse pass */
  readonly ratios: readonly number[];
  readonly seeds: readonly number[];
  /**
   * The refinement pass, placed from the coarse pass's fitted transition (experiment/placement.ts):
   * P = round(r P*) for each r of `ratiosOfPstar`, and `acrossWindow` P values evenly in log P across
   * the fitted 10%-90% window (its ends included), each run with every seed of `seeds` (fresh: none
   * of the coarse ones) on a budget of `maxEvaluations` (default the scale's).
   */
  readonly refine?: {
    readonly ratiosOfPstar: readonly number[];
    readonly acrossWindow?: number;
    readonly seeds: readonly number[];
    readonly maxEvaluations?: number;
  };
}

export interface MnistFamily {
  readonly P: number;
  readonly L: number;
  readonly widths: readonly number[];
  /** seeds of the initialisation; every run of the family shares one training and held-out set */
  readonly seeds: readonly number[];
  readonly dataSeed: number;
  readonly nTest: number;
}

/** The authors' adaptive search for N* at fixed P (src/experiment/jammingPoint.ts), MNIST d = 10. */
export interface MnistSearch {
  readonly P: number;
  readonly L: number;
  readonly seeds: readonly number[];
  readonly hStart: number;
  readonly nTest: number;
}

export interface SoftplusFamily {
  readonly d: number;
  readonly h: number;
  readonly L: number;
  readonly beta: number;
  readonly Ps: readonly number[];
  readonly seeds: readonly number[];
}

export interface Scale {
  readonly name: ScaleName;
  readonly fixedN: readonly FixedNFamily[];
  readonly mnist: readonly MnistFamily[];
  readonly mnistSearches: readonly MnistSearch[];
  readonly softplus: readonly SoftplusFamily[];
  readonly linear: { readonly d: number; readonly ratios: readonly number[]; readonly seeds: readonly number[] };
  /** budget of each run in gradient evaluations (the default minimiser's) */
  readonly maxEvaluations: number;
}

/**
 * Seeds: every scale uses fresh seeds (from 100; the N = 300 family of `full` from 1000, shared with
 * the default-vs-adam0 comparison of scripts/default-vs-adam0.mts) that no stored run of an earlier
 * rule set used: the restated claims are decided on runs made after their rules were written.
 * Costs are those of certified runs (train/minimumCertificate.ts): near P* a jammed run needs up to
 * 1M gradient evaluations (slow minimisation near jamming, SCIENCE.md), so the scales hold few sizes
 * and put the budget cap where a run that has not ended is honestly called `budget`.
 */
const seedsFrom = (first: number, n: number): number[] => range(n).map((i) => first + i);

export const SCALE_DEFS: Record<ScaleName, Scale> = {
  // npm test: at most 15 minutes on 2 cores with everything else
  ci: {
    name: 'ci',
    fixedN: [
      { L: 2, width: 8, ratios: [1, 2, 2.5, 3, 4], seeds: seedsFrom(100, 4) }, // N = 136 (outside the regime)
      { L: 2, width: 12, ratios: [1.5, 2.5, 3.5], seeds: seedsFrom(100, 3) }, // N = 300
    ],
    mnist: [
      { P: 300, L: 2, widths: [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 40], seeds: seedsFrom(100, 4), dataSeed: 100, nTest: 2000 },
    ],
    mnistSearches: [300, 600].map((P) => ({ P, L: 2, seeds: seedsFrom(100, 2), hStart: 16, nTest: 0 })),
    softplus: [{ d: 8, h: 8, L: 1, beta: 2, Ps: [175, 185, 195], seeds: seedsFrom(100, 8) }], // claim 3: N = 72, Ntot = 81, P* about 180; measured 11 of 24 runs smooth minima with N_Delta < Ntot, 2.4M evaluations
    linear: { d: 20, ratios: [0.5, 1, 1.5, 2, 2.5, 3, 4], seeds: seedsFrom(100, 2) },
    maxEvaluations: 300_000,
  },
  // the committed report: at most 90 minutes on 2 cores from an empty store. Planned from the ci
  // sweep's measured costs (one thread per worker): an evaluation takes about 30 us + 1 ns P N, and
  // a run 15k to 30k evaluations where it fits, 100k to 300k where it jams (more near P*); about
  // 125 CPU-minutes in all, so 60 to 65 minutes on 2 workers, with the budget capping the tail.
  full: {
    name: 'full',
    fixedN: [
      { L: 2, width: 8, ratios: [1, 2, 2.5, 3, 4], seeds: seedsFrom(100, 4) }, // N = 136 (outside the regime)
      // N = 300: the coarse grid, then 8 fresh seeds at 1.00 to 1.10 P* (claims 7, 8, 9 near the critical point)
      {
        L: 2,
        width: 12,
        ratios: [1.5, 2.25, 2.5, 2.75, 3, 3.5],
        seeds: seedsFrom(1000, 6),
        refine: { ratiosOfPstar: [1, 1.025, 1.05, 1.075, 1.1], seeds: seedsFrom(1100, 8), maxEvaluations: 2_000_000 },
      },
      // depth at equal width >= 12 and nearly equal N (claim 6): L = 2, h = 15 (N = 465) against L = 3, h = 12 (N = 444)
      { L: 2, width: 15, ratios: [1.5, 2.25, 2.75, 3.25], seeds: seedsFrom(100, 4) },
      { L: 3, width: 12, ratios: [1.5, 2.25, 2.75, 3.25], seeds: seedsFrom(100, 4) },
      // N = 528: coarse, then 8 fresh seeds at 1.00 to 1.10 P*
      {
        L: 2,
        width: 16,
        ratios: [2, 2.5, 3, 3.5],
        seeds: seedsFrom(100, 3),
        refine: { ratiosOfPstar: [1, 1.025, 1.05, 1.1], seeds: seedsFrom(200, 8), maxEvaluations: 2_000_000 },
      },
      // N = 1176 (d = h = 24): the third size, with a few runs at P*
      {
        L: 2,
        width: 24,
        ratios: [2.5, 3],
        seeds: seedsFrom(100, 2),
        refine: { ratiosOfPstar: [1, 1.05], seeds: seedsFrom(200, 2), maxEvaluations: 1_000_000 },
      },
    ],
    mnist: [
      // widths out to N/N* about 50 (N* about 65 at P = 300, 125 at P = 1000): claim 11 fits N >= 10 N*
      { P: 300, L: 2, widths: [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 40, 52], seeds: seedsFrom(100, 8), dataSeed: 100, nTest: 5000 },
      { P: 1000, L: 2, widths: [2, 3, 4, 6, 8, 12, 16, 24, 32, 40, 48, 64], seeds: seedsFrom(100, 8), dataSeed: 100, nTest: 5000 },
    ],
    mnistSearches: [300, 1000].map((P) => ({ P, L: 2, seeds: seedsFrom(100, 2), hStart: 24, nTest: 0 })),
    softplus: [{ d: 8, h: 8, L: 1, beta: 2, Ps: [175, 185, 195, 205], seeds: seedsFrom(100, 20) }], // claim 3: P in [P*, 1.15 P*]; measured 37 of 80 runs smooth minima with N_Delta < Ntot, 9.8M evaluations
    linear: { d: 20, ratios: [0.5, 1, 1.5, 2, 2.5, 3, 4], seeds: seedsFrom(100, 3) },
    maxEvaluations: 500_000,
  },
  // One machine of 32 to 64 cores over a night (jamming verify --scale large --plan prints its
  // estimate): the trend in N up to N about 3100, depth at equal N there, MNIST to P = 10k.
  large: {
    name: 'large',
    fixedN: [
      { L: 2, width: 12, ratios: [1.5, 2.25, 2.5, 2.75, 3, 3.5], seeds: seedsFrom(2000, 8) }, // N = 300
      { L: 2, width: 24, ratios: [2, 2.5, 2.75, 3, 3.5], seeds: seedsFrom(2000, 6) }, // N = 1176
      { L: 2, width: 39, ratios: [2.25, 2.5, 2.75, 3, 3.25], seeds: seedsFrom(2000, 4) }, // N = 3081
      { L: 3, width: 32, ratios: [2.25, 2.5, 2.75, 3, 3.25], seeds: seedsFrom(2000, 4) }, // N = 3104: depth at equal N
    ],
    mnist: [
      { P: 1000, L: 2, widths: [2, 3, 4, 6, 8, 12, 16, 24, 32], seeds: seedsFrom(2000, 8), dataSeed: 100, nTest: 10_000 },
      { P: 10_000, L: 2, widths: [8, 12, 16, 24, 32, 48, 64, 96], seeds: seedsFrom(2000, 4), dataSeed: 100, nTest: 10_000 },
    ],
    mnistSearches: [1000, 3000, 10_000].map((P) => ({ P, L: 2, seeds: seedsFrom(2000, 2), hStart: 32, nTest: 0 })),
    softplus: [{ d: 10, h: 10, L: 2, beta: 10, Ps: [200, 300, 400], seeds: seedsFrom(2000, 6) }],
    linear: { d: 50, ratios: [0.5, 1, 1.5, 2, 2.5, 3, 4], seeds: seedsFrom(2000, 3) },
    maxEvaluations: 2_000_000,
  },
  // The authors' sizes (SCIENCE.md): N about 8000 (d = h = 51, L = 3), P up to 60k, MNIST P up to 50k.
  // It runs on this code as it is; it needs a bigger machine (and days here).
  paper: {
    name: 'paper',
    fixedN: [
      { L: 3, width: 51, ratios: [2.6, 2.8, 2.9, 3, 3.1, 3.2, 3.3], seeds: seedsFrom(100, 16) },
      { L: 2, width: 30, ratios: [1.5, 2, 2.5, 3, 3.5, 4], seeds: seedsFrom(100, 8) },
      { L: 5, width: 30, ratios: [1.5, 2, 2.5, 3, 3.5, 4], seeds: seedsFrom(100, 8) },
    ],
    mnist: [10_000, 20_000].map((P) => ({ P, L: 5, widths: [8, 16, 32, 64, 128, 256], seeds: seedsFrom(100, 4), dataSeed: 100, nTest: 10_000 })),
    mnistSearches: [1000, 5000, 20_000, 50_000].map((P) => ({ P, L: 3, seeds: seedsFrom(100, 4), hStart: 64, nTest: 0 })),
    softplus: [{ d: 10, h: 10, L: 2, beta: 10, Ps: [400, 800], seeds: seedsFrom(100, 8) }],
    linear: { d: 100, ratios: [0.5, 1, 1.5, 2, 2.5, 3, 4], seeds: seedsFrom(100, 4) },
    maxEvaluations: 10_000_000,
  },
};

export function scaleByName(name: string): Scale {
  if (!(SCALES as readonly string[]).includes(name)) throw new InputError('--scale', name, SCALES.join(', '));
  return SCALE_DEFS[name as ScaleName];
}

export function familyN(f: FixedNFamily): number {
  return weightCount(f.width, f.width, f.L);
}

export function familyPs(f: FixedNFamily): number[] {
  const N = familyN(f);
  return f.ratios.map((r) => Math.round(r * N));
}

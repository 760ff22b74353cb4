import type { Rng } from '../util/prng.ts';

/**
 * Perturb and re-minimise: from theta + size * rms(theta) * xi (xi standard normal; size 0 is a
 * restart of the minimiser from theta itself with a fresh state), run `reminimise` and record how
 * far below the candidate's loss it got. A minimum passes when no trial lowers the loss by more than
 * a stated fraction; a stall that plain Adam can leave (SCIENCE.md, "ReLU end points sit on kinks":
 * 8 of 11 such stalls were left by Adam at lr 1e-4) fails it.
 */
export interface PerturbationTrial {
  /** relative size of the perturbation (of rms(theta)) */
  readonly size: number;
  /** the lowest loss the re-minimisation reached */
  readonly loss: number;
  /** (candidate loss - loss) / candidate loss: > 0 where the trial went lower */
  readonly drop: number;
  readonly evaluations: number;
}

export interface Reminimised {
  readonly value: number;
  readonly theta: Float64Array;
  readonly evaluations: number;
}

export function perturbAndReminimise(
  theta: Float64Array,
  loss: number,
  sizes: readonly number[],
  rng: Rng,
  reminimise: (start: Float64Array, size: number) => Reminimised,
  /** trials stop after the first that lowers the loss by more than this: the test has failed */
  maxDrop = Infinity,
): { trials: PerturbationTrial[]; best: Reminimised | undefined } {
  const n = theta.length;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += theta[i] * theta[i];
  const rms = Math.sqrt(ss / n);
  let best: Reminimised | undefined;
  const trials: PerturbationTrial[] = [];
  for (const size of sizes) {
    const start = Float64Array.from(theta);
    if (size > 0) for (let i = 0; i < n; i++) start[i] += size * rms * rng.normal();
    const r = reminimise(start, size);
    if (!best || r.value < best.value) best = r;
    const drop = (loss - r.value) / loss;
    trials.push({ size, loss: r.value, drop, evaluations: r.evaluations });
    if (drop > maxDrop) break;
  }
  return { trials, best };
}

import type { RunRecord } from '../run/record.ts';
import { heldOutLabels } from './heldOut.ts';
import { createRng, shuffleInPlace } from '../util/prng.ts';

/**
 * Networks of one width that share a held-out set (same data config, different initialisation
 * seeds): claim 11's fluctuations between initialisations and ensembles (arXiv:1901.01608). Kept
 * as margins y f per pattern (a k x n matrix) with what the bootstrap needs precomputed: each
 * network's error, the Gram matrix of the outputs, and the patterns where the networks disagree.
 */
export interface Ensemble {
  readonly N: number;
  readonly runs: RunRecord[];
  readonly k: number;
  readonly n: number;
  /** y on each held-out pattern */
  readonly labels: readonly number[];
  /** margins[j * n + i] = y_i f_j(x_i) */
  readonly margins: Float64Array;
  readonly errors: Float64Array;
  /** gram[j * k + l] = sum_i f_j(x_i) f_l(x_i) (= sum of margin products: y^2 = 1) */
  readonly gram: Float64Array;
  /** sum_i f_j(x_i) */
  readonly sums: Float64Array;
  /** the patterns whose margins are neither all > 0 nor all <= 0: only there can weights change the average's sign */
  readonly mixed: Int32Array;
  /** their margins, network by network: mixedMargins[j * mixed.length + t] = margins[j * n + mixed[t]] */
  readonly mixedMargins: Float64Array;
  /** patterns with every margin <= 0: wrong for any weights */
  readonly alwaysWrong: number;
}

export function ensembleOf(N: number, runs: RunRecord[], labels: readonly number[]): Ensemble {
  const k = runs.length;
  const n = labels.length;
  const margins = new Float64Array(k * n);
  const errors = new Float64Array(k);
  const sums = new Float64Array(k);
  runs.forEach((r, j) => {
    const out = r.test!.outputs!;
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      const m = labels[i] * out[i];
      margins[j * n + i] = m;
      if (m <= 0) wrong++;
      sums[j] += out[i];
    }
    errors[j] = wrong / n;
  });
  const gram = new Float64Array(k * k);
  for (let j = 0; j < k; j++)
    for (let l = j; l < k; l++) {
      let g = 0;
      for (let i = 0; i < n; i++) g += margins[j * n + i] * margins[l * n + i];
      gram[j * k + l] = gram[l * k + j] = g;
    }
  const mixed: number[] = [];
  let alwaysWrong = 0;
  for (let i = 0; i < n; i++) {
    let pos = 0;
    for (let j = 0; j < k; j++) if (margins[j * n + i] > 0) pos++;
    if (pos === 0) alwaysWrong++;
    else if (pos < k) mixed.push(i);
  }
  const M = mixed.length;
  const mixedMargins = new Float64Array(k * M);
  for (let j = 0; j < k; j++) for (let t = 0; t < M; t++) mixedMargins[j * M + t] = margins[j * n + mixed[t]];
  const mixedIndices = Int32Array.from(mixed);
  return { N, runs, k, n, labels, margins, errors, gram, sums, mixed: mixedIndices, mixedMargins, alwaysWrong };
}

/** Per width, the largest group of runs with one data config (so the same held-out patterns) whose labels check out. */
export function ensembles(records: readonly RunRecord[]): Ensemble[] {
  const byN = new Map<number, RunRecord[]>();
  for (const r of records) if (r.test?.outputs) byN.set(r.results.N, [...(byN.get(r.results.N) ?? []), r]);
  const out: Ensemble[] = [];
  for (const [N, rs] of [...byN.entries()].sort((a, b) => a[0] - b[0])) {
    const groups = new Map<string, RunRecord[]>();
    for (const r of rs) {
      const key = JSON.stringify(r.item.config.data);
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    const group = [...groups.values()].sort((a, b) => b.length - a.length)[0];
    const labels = heldOutLabels(group[0]);
    const fits = (r: RunRecord) => r.test!.outputs!.length === labels!.length && heldOutLabels(r) !== undefined;
    const checked = labels ? group.filter(fits) : [];
    if (labels && checked.length) out.push(ensembleOf(N, checked, labels));
  }
  return out;
}

/** How many times each network is drawn: the whole ensemble, or a resample of its indices. */
export const everyOnce = (e: Ensemble): number[] => Array.from({ length: e.k }, () => 1);
export const indices = (e: Ensemble): number[] => Array.from({ length: e.k }, (_, j) => j);
export const countsOf = (e: Ensemble, draw: readonly number[]): number[] => {
  const c = new Array<number>(e.k).fill(0);
  for (const j of draw) c[j]++;
  return c;
};
const total = (counts: readonly number[]) => counts.reduce((a, b) => a + b, 0);

/** sum_jl c_j c_l G_jl = n m^2 ||f_bar||^2, the Gram matrix weighted by the counts. */
function weighted(e: Ensemble, counts: readonly number[]): { diag: number; all: number } {
  let diag = 0;
  let all = 0;
  for (let j = 0; j < e.k; j++) {
    if (!counts[j]) continue;
    diag += counts[j] * e.gram[j * e.k + j];
    for (let l = 0; l < e.k; l++) all += counts[j] * counts[l] * e.gram[j * e.k + l];
  }
  return { diag, all };
}

/**
 * sigma = ||f - f_bar||: rms over held-out patterns of the standard deviation of f across the
 * networks, from the Gram matrix. Networks weighted by their counts c_j (m = sum c_j), the
 * variance unbiased for any weights: sum_i var_i = (sum_j c_j G_jj - (1/m) sum_jl c_j c_l G_jl) /
 * (m - sum c_j^2 / m), which is m - 1 for every network once. (With m - 1 a resample that draws a
 * network twice would read a smaller spread: the resampled sigmas sat below the estimate.) NaN
 * with one distinct network.
 */
export function fluctuation(e: Ensemble, counts: readonly number[] = everyOnce(e)): number {
  const m = total(counts);
  const dof = m - counts.reduce((s, c) => s + c * c, 0) / m;
  if (!(dof > 0)) return NaN;
  const { diag, all } = weighted(e, counts);
  return Math.sqrt(Math.max(0, diag - all / m) / dof / e.n);
}

/** ||f_bar||: rms over held-out patterns of the seed-averaged output (networks weighted by their counts). */
export function meanOutputNorm(e: Ensemble, counts: readonly number[] = everyOnce(e)): number {
  const m = total(counts);
  if (m < 1) return NaN;
  return Math.sqrt(Math.max(0, weighted(e, counts).all) / (m * m) / e.n);
}

/** sigma / ||f_bar||: the fluctuations relative to the averaged output's size. */
export function relativeFluctuation(e: Ensemble, counts: readonly number[] = everyOnce(e)): number {
  return fluctuation(e, counts) / meanOutputNorm(e, counts);
}

/** ||f_j||: rms over the held-out patterns of network j's output. */
export function outputNorm(e: Ensemble, j: number): number {
  return Math.sqrt(e.gram[j * e.k + j] / e.n);
}

/**
 * The error of the averaged output (networks weighted by their counts; f = 0 counts as an error,
 * as for one network). Only the `mixed` patterns are summed (the bootstrap calls this a thousand
 * times per width), network by network in index order: the same sums, bit for bit, as over every
 * pattern.
 */
export function ensembleError(e: Ensemble, counts: readonly number[] = everyOnce(e)): number {
  if (total(counts) < 1) return NaN;
  const M = e.mixed.length;
  const sum = new Float64Array(M);
  for (let j = 0; j < e.k; j++) {
    const c = counts[j];
    if (!c) continue;
    const row = e.mixedMargins.subarray(j * M, (j + 1) * M);
    for (let t = 0; t < M; t++) sum[t] += c * row[t];
  }
  let wrong = e.alwaysWrong;
  for (let t = 0; t < M; t++) if (sum[t] <= 0) wrong++;
  return wrong / e.n;
}

/** The mean single-network error (networks weighted by their counts). */
export function meanError(e: Ensemble, counts: readonly number[] = everyOnce(e)): number {
  const m = total(counts);
  let single = 0;
  for (let j = 0; j < e.k; j++) single += counts[j] * e.errors[j];
  return m > 0 ? single / m : NaN;
}

/** Mean single-network error minus the error of the averaged output: > 0 when averaging helps. */
export function ensembleGain(e: Ensemble, counts: readonly number[] = everyOnce(e)): number {
  if (total(counts) < 2) return NaN;
  return meanError(e, counts) - ensembleError(e, counts);
}

/** x to 6 significant digits: what results.json keeps of a per-pattern number. */
export const sig6 = (x: number): number => (Number.isFinite(x) ? Number(x.toPrecision(6)) : x);

/**
 * Per held-out pattern, the mean and the sample standard deviation of f across the networks (6
 * significant digits): sigma is the rms of fStd, ||f_bar|| that of fMean, and the averaged output
 * errs where y fMean <= 0. fStd is empty for a single network.
 */
export function perPattern(e: Ensemble): { fMean: number[]; fStd: number[] } {
  const fMean: number[] = [];
  const fStd: number[] = [];
  for (let i = 0; i < e.n; i++) {
    let s = 0;
    for (let j = 0; j < e.k; j++) s += e.margins[j * e.n + i];
    const mu = s / e.k;
    let v = 0;
    for (let j = 0; j < e.k; j++) v += (e.margins[j * e.n + i] - mu) ** 2;
    fMean.push(sig6(e.labels[i] * mu));
    if (e.k > 1) fStd.push(sig6(Math.sqrt(v / (e.k - 1))));
  }
  return { fMean, fStd };
}

/**
 * The plateau eps_inf from one width's ensemble: the error of the averaged output, extrapolated to
 * infinitely many networks. 1901.01608: the excess error over the plateau goes with the variance of
 * the output between initialisations, which an average of independent networks divides by their
 * number; with weights c_j (a resample) by q = sum c_j^2 / (sum c_j)^2 (1/k for k networks once
 * each). So eps_avg = eps_inf + q (eps_single - eps_inf), and eps_inf = (eps_avg - q eps_single) / (1 - q).
 * NaN with a single distinct network (q = 1).
 */
export function extrapolatedError(e: Ensemble, counts: readonly number[] = everyOnce(e)): number {
  const m = total(counts);
  const q = counts.reduce((s, c) => s + c * c, 0) / (m * m);
  if (!(q < 1)) return NaN;
  return (ensembleError(e, counts) - q * meanError(e, counts)) / (1 - q);
}

/**
 * The mean gain of the sub-ensembles of each size s = 1..k drawn from the networks without
 * replacement (every subset for k <= 10; else 100 subsets of each size, seeded): G[s - 1], with G(1) = 0.
 */
export function gainBySize(e: Ensemble, seed = 0): number[] {
  const G = new Array<number>(e.k).fill(0);
  if (e.k <= 10) {
    const n = new Array<number>(e.k).fill(0);
    for (let mask = 1; mask < 1 << e.k; mask++) {
      const counts = Array.from({ length: e.k }, (_, j) => (mask >> j) & 1);
      const s = total(counts);
      if (s < 2) continue;
      G[s - 1] += ensembleGain(e, counts);
      n[s - 1]++;
    }
    return G.map((g, s) => (s === 0 ? 0 : g / n[s]));
  }
  const rng = createRng(seed);
  for (let s = 2; s <= e.k; s++) {
    const draws = s === e.k ? 1 : 100;
    for (let d = 0; d < draws; d++) {
      const order = indices(e);
      shuffleInPlace(order, rng);
      G[s - 1] += ensembleGain(e, countsOf(e, order.slice(0, s))) / draws;
    }
  }
  return G;
}

/**
 * The ensemble gain of a resample, put back on the ensemble size of the estimate. Drawing networks
 * with replacement shrinks the averaged output's effective number of networks from k to
 * 1/q, q = sum c_j^2 / (sum c_j)^2, and with it the gain: the resampled gains sat below the
 * estimate and the percentile interval could exclude it (N = 840 in the full report, f930338). So
 * each resample's gain is moved by G(k) - G(1/q) (gainBySize, linear between integer sizes): what
 * these networks gain, on average, from k networks rather than 1/q. The same as ensembleGain for
 * every network once. A shift, not a model: the gain's growth with the number of networks is read
 * off the networks themselves (near N* it is far from the 1 - 1/k of small fluctuations).
 */
export function gainAtSize(e: Ensemble, counts: readonly number[], G: readonly number[]): number {
  const m = total(counts);
  const size = (m * m) / counts.reduce((s, c) => s + c * c, 0);
  if (!(size > 1)) return NaN;
  const lo = Math.floor(size);
  const at = lo >= e.k ? G[e.k - 1] : G[lo - 1] + (size - lo) * (G[lo] - G[lo - 1]);
  return ensembleGain(e, counts) + G[e.k - 1] - at;
}

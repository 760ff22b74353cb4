import type { TaggedRecord } from '../experiment/plan.ts';
import { isBudgetRun } from '../experiment/transition.ts';

/**
 * The linear model (L = 0) against what the perceptron at margin 0 predicts (SCIENCE.md, "The
 * linear-model control"): fitted below Cover's P = 2 Ntot, a jump of N_Delta to about N just past
 * it (isostatic jamming), and N_-(Hp) = 0 everywhere since Hp = 0.
 */
export interface LinearControl {
  readonly runs: number;
  /** per P: the runs fitted, against Cover's probability that P random patterns are separable */
  readonly byP: readonly { readonly P: number; readonly runs: number; readonly fitted: number; readonly cover: number }[];
  /** runs with loss > 0 and 0 < N_Delta/N < 0.35 (a continuous onset) */
  readonly inGap: number;
  readonly withLoss: number;
  /** the smallest N_Delta/N over runs with loss > 0 (NaN when none) */
  readonly minNDeltaOverN: number;
  /** runs with spectra whose Hp has a negative eigenvalue (must be 0) */
  readonly negativeHp: number;
  readonly withSpectra: number;
  readonly budget: number;
  readonly points: readonly { readonly PoverN: number; readonly nDeltaOverN: number }[];
}

export function linearControl(tagged: readonly TaggedRecord[]): LinearControl {
  const lin = tagged.filter((t) => t.tag.kind === 'linear').map((t) => t.record);
  const decided = lin.filter((r) => !isBudgetRun(r));
  const Ps = [...new Set(decided.map((r) => r.results.P))].sort((a, b) => a - b);
  const byP = Ps.map((P) => {
    const at = decided.filter((r) => r.results.P === P);
    return { P, runs: at.length, fitted: at.filter((r) => r.results.verdict === 'fitted').length, cover: coverSeparable(P, at[0].results.Ntot) };
  });
  const withLoss = decided.filter((r) => r.results.loss > 0);
  const ratios = withLoss.map((r) => r.results.nDelta / r.results.N);
  const spectra = lin.filter((r) => r.spectra);
  return {
    runs: lin.length,
    byP,
    inGap: ratios.filter((x) => x > 0 && x < 0.35).length,
    withLoss: withLoss.length,
    minNDeltaOverN: ratios.length ? Math.min(...ratios) : NaN,
    negativeHp: spectra.filter((r) => r.spectra!.nNegHp > 0).length,
    withSpectra: spectra.length,
    budget: lin.length - decided.length,
    points: lin.map((r) => ({ PoverN: r.results.P / r.results.N, nDeltaOverN: r.results.nDelta / r.results.N })),
  };
}

/**
 * Cover (1965): the probability that a random labelling of P points in general position is
 * linearly separable by n parameters, 2^(1-P) sum_{k<n} C(P-1, k); 1/2 at P = 2n.
 */
export function coverSeparable(P: number, n: number): number {
  if (P <= n) return 1;
  let term = Math.pow(2, 1 - P); // C(P-1, 0) 2^(1-P)
  let sum = 0;
  for (let k = 0; k < n; k++) {
    sum += term;
    term *= (P - 1 - k) / (k + 1);
  }
  return Math.min(1, sum);
}

import type { RunRecord } from '../run/record.ts';

/**
 * The labels of a run's held-out patterns, which claim 11's ensembles need (the record keeps f on
 * each held-out pattern, not y). Taken from `test.labels` when the sweep stores them; otherwise
 * read off the MNIST parity recipe (data/mnist.ts parityOrder): the two classes are interleaved,
 * +1 at even positions of the order, for the first 68836 positions (twice the 34418 even digits),
 * and the held-out patterns follow the P training ones. Either way the labels are checked: with
 * the run's outputs they must give back its stored test error exactly, else they are not used.
 */
export const INTERLEAVED = 2 * 34418;

export function heldOutLabels(r: RunRecord): number[] | undefined {
  const t = r.test;
  const out = t?.outputs;
  if (!t || !out) return undefined;
  const stored = (t as typeof t & { readonly labels?: readonly number[] }).labels;
  const data = r.item.config.data as { kind: string; P?: number };
  const labels = stored
    ? [...stored]
    : data.kind === 'mnist' && typeof data.P === 'number' && data.P + out.length <= INTERLEAVED
      ? out.map((_, i) => ((data.P! + i) % 2 === 0 ? 1 : -1))
      : undefined;
  if (!labels || labels.length !== out.length) return undefined;
  // the same count of errors (to rounding of the stored fraction)
  return Math.abs(errorOf(out, labels) - t.error) < 0.5 / out.length ? labels : undefined;
}

/** Fraction of patterns with y f <= 0 (the stored test error's definition). */
export function errorOf(outputs: readonly number[], labels: readonly number[]): number {
  let wrong = 0;
  for (let i = 0; i < outputs.length; i++) if (labels[i] * outputs[i] <= 0) wrong++;
  return wrong / outputs.length;
}

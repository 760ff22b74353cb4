/**
 * When the kernels that leave out zero terms (assembly/skipZeros.ts) pay. Listing a row's non-zero
 * terms costs a pass over the row, and the dense kernels' register blocking works best on narrow
 * layers, so below this width the dense kernels are faster even with half the terms zero
 * (measured on ReLU layers at P = 2000, one thread: skipping loses at width 24, by 15 to 40%, and
 * wins from 30, by 5 to 50%, most on the weight gradient). Both kinds give the reference's bits.
 */
export const SKIP_MIN_WIDTH = 28;

let minWidth = SKIP_MIN_WIDTH;

export function skipZeros(inDim: number, outDim: number): boolean {
  return Math.min(inDim, outDim) >= minWidth;
}

/** Runs f with another threshold (0: skip everywhere, Infinity: nowhere), so specs can compare both kinds on every shape. */
export function withSkipMinWidth<T>(width: number, f: () => T): T {
  const prev = minWidth;
  minWidth = width;
  try {
    return f();
  } finally {
    minWidth = prev;
  }
}

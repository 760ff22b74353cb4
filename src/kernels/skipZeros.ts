/**
 * When the kernels that leave out zero terms (assembly/skipZeros.ts) pay, in the forward pass and
 * back-propagation. Listing a row's non-zero terms costs a pass over the row, and the dense
 * kernels' register blocking works best on narrow layers, so below this width the dense kernels
 * are faster even with half the terms zero (measured on ReLU layers at P = 2000, one thread:
 * skipping loses at width 24, by 15 to 40%, and wins from 30; at P = 1000, width 60, one row's
 * list at a time is 20% faster than the dense kernel). Both kinds give the reference's bits.
 */
export const SKIP_MIN_WIDTH = 28;

/**
 * The weight gradient's threshold is on the layer's inputs only: its skipping kernel lists each
 * output's non-zero terms over a chunk of rows and sums them with the inputs as SIMD lanes, so the
 * number of outputs does not matter (measured at P = 4000, one thread: lists beat the dense kernel
 * by 35% at 20 x 20 and by 7x on a 51 x 1 output layer at P = 25000, where the dense kernel
 * re-reads A once per pair of input lanes; the dense kernel wins by 25% with 10 inputs).
 */
export const GRADIENT_SKIP_MIN_INPUTS = 16;

/**
 * Rows per chunk of the weight gradient's skipping kernel (assembly/skipZeros.ts
 * weightGradientSkip): the chunk's rows of A stay in cache while every output sums over them.
 * Measured at 60 x 60, 51 x 51 and 30 x 30: 24 rows 10 to 15% slower than 64, 256 rows 10% slower.
 */
export const GRADIENT_CHUNK_ROWS = 64;

let minWidth: number | undefined;
let chunkRows = GRADIENT_CHUNK_ROWS;

/**
 * Forward pass and back-propagation: whether a layer takes the kernels that leave out zero terms.
 * `sparse` says whether its zero terms are many: a ReLU's outputs and their back-propagated
 * gradients are half zeros, a smooth activation's almost none, and the data as measured by
 * sparseInput. Without them a row's list costs more than the dense kernel (at P = 25000, d = h =
 * 51: 9.9 ms against 6.9 ms on the Gaussian inputs). A threshold set by withSkipMinWidth takes
 * every layer at its width, so that specs run both kinds on every shape.
 */
export function skipZeros(inDim: number, outDim: number, sparse: boolean): boolean {
  if (minWidth !== undefined) return Math.min(inDim, outDim) >= minWidth;
  return sparse && Math.min(inDim, outDim) >= SKIP_MIN_WIDTH;
}

/** The fraction of zeros from which the skipping kernels pay (1 - 6.9 / 9.9, from the figures above). */
export const SPARSE_FRACTION = 0.3;
const sparseInputs = new WeakMap<Float64Array, boolean>();

/** Whether at least SPARSE_FRACTION of the inputs x are 0 (MNIST's pixels, not Gaussian data); counted once per array. */
export function sparseInput(x: Float64Array): boolean {
  let known = sparseInputs.get(x);
  if (known === undefined) {
    let zeros = 0;
    for (let i = 0; i < x.length; i++) if (x[i] === 0) zeros++;
    known = zeros >= SPARSE_FRACTION * x.length;
    sparseInputs.set(x, known);
  }
  return known;
}

/** The weight gradient: whether a layer takes the kernel that leaves out zero terms. */
export function skipZerosInGradient(inDim: number): boolean {
  return inDim >= (minWidth ?? GRADIENT_SKIP_MIN_INPUTS);
}

export function gradientChunkRows(): number {
  return chunkRows;
}

/** Runs f with one threshold for every kernel (0: skip everywhere, Infinity: nowhere), so specs can compare both kinds on every shape. */
export function withSkipMinWidth<T>(width: number, f: () => T): T {
  const prev = minWidth;
  minWidth = width;
  try {
    return f();
  } finally {
    minWidth = prev;
  }
}

/** Runs f with another chunk of rows for the weight gradient (a positive integer), so specs can make sums continue across chunks. */
export function withGradientChunkRows<T>(rows: number, f: () => T): T {
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`gradient chunk: got ${rows} rows; allowed: a positive integer`);
  const prev = chunkRows;
  chunkRows = rows;
  try {
    return f();
  } finally {
    chunkRows = prev;
  }
}

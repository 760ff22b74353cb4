// The float64 WASM SIMD kernels, built by `npm run build:kernels` (run by npm ci via prepare)
// into build/kernels.wasm. Memory is managed by the caller (src/kernels/arena.ts): no allocation here.
export { denseForward, denseBackward, outerAccumulate, columnSums, transpose } from './dense';
export { mulInto, addProduct3, zero, poke, memoryPages, reluForward, reluBackward, scaleRows } from './elementwise';
export { accumulateRows, allFinite, denseForwardSkip, denseBackwardSkip, weightGradientSkip } from './skipZeros';
export { householderTridiagonal } from './tridiagonal';
export { gramUpper } from './gram';

/** First free byte after the static data. */
export function heapBase(): usize {
  return __heap_base;
}

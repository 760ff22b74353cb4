/** Euclidean norm, summed in index order (deterministic), without the argument-spread limit of Math.hypot. */
export function norm2(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

// Addressing shared by the kernels: row-major float64 matrices in linear memory, rows optionally
// gathered through an int32 index (the patterns with Delta > 0, SCIENCE.md, "Set-up").

/** Byte address of row r of a row-major matrix of the given width; idx = 0 means rows in order. */
@inline export function rowPtr(base: usize, idx: usize, r: i32, width: i32): usize {
  const q: i32 = idx == 0 ? r : load<i32>(idx + (<usize>r << 2));
  return base + ((<usize>q * <usize>width) << 3);
}

/** Byte offset of the q-th float64. */
@inline export function at(q: i32): usize {
  return <usize>q << 3;
}

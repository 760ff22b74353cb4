/** The O(n^3) Householder reduction to tridiagonal form; on exit d holds the diagonal and e[i] couples i-1 and i. */
export function householderTridiagonal(m: Float64Array, n: number, d: Float64Array, e: Float64Array): void {
  const a = Float64Array.from(m); // row-major; the lower triangle is used
  const p = new Float64Array(n);
  // Householder: for i = n-1 .. 1, annihilate a[i][0..i-2]
  for (let i = n - 1; i > 0; i--) {
    const l = i - 1;
    const ri = i * n;
    let scale = 0;
    for (let k = 0; k <= l; k++) scale += Math.abs(a[ri + k]);
    if (l === 0 || scale === 0) {
      e[i] = a[ri + l];
      d[i] = 0;
      continue;
    }
    let h = 0;
    for (let k = 0; k <= l; k++) {
      a[ri + k] /= scale;
      h += a[ri + k] * a[ri + k];
    }
    const f = a[ri + l];
    const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
    e[i] = scale * g;
    h -= f * g;
    a[ri + l] = f - g; // u = a[i][0..l]
    // p = A u / h (A the leading (l+1) block, symmetric, stored lower)
    let uKu = 0;
    for (let j = 0; j <= l; j++) {
      let s = 0;
      const rj = j * n;
      for (let k = 0; k <= j; k++) s += a[rj + k] * a[ri + k];
      for (let k = j + 1; k <= l; k++) s += a[k * n + j] * a[ri + k];
      p[j] = s / h;
      uKu += p[j] * a[ri + j];
    }
    const hh = uKu / (h + h);
    for (let j = 0; j <= l; j++) p[j] -= hh * a[ri + j]; // q = p - K u
    // A <- A - u q^T - q u^T (lower triangle)
    for (let j = 0; j <= l; j++) {
      const uj = a[ri + j];
      const qj = p[j];
      const rj = j * n;
      for (let k = 0; k <= j; k++) a[rj + k] -= uj * p[k] + qj * a[ri + k];
    }
    d[i] = h;
  }
  for (let i = 0; i < n; i++) d[i] = a[i * n + i];
}

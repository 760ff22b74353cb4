/**
 * The point of smallest Euclidean norm in the convex hull of m vectors g_1..g_m (length n):
 *   min_lambda || sum_i lambda_i g_i ||^2  over the simplex (lambda >= 0, sum lambda = 1),
 * the small quadratic programme of gradient sampling (Burke, Lewis & Overton 2005). Solved on the
 * m x m Gram matrix Q = G G^T by pairwise Frank-Wolfe with exact line search (linear convergence
 * on a polytope), stopped on the Frank-Wolfe duality gap, which bounds the distance to the optimal
 * squared norm: the returned norm is within sqrt(gap) of the true minimum from above.
 */
export interface HullPoint {
  readonly lambda: Float64Array;
  /** the minimal element sum_i lambda_i g_i */
  readonly point: Float64Array;
  readonly norm: number;
  /** Frank-Wolfe duality gap at the end: 0 <= ||point||^2 - min ||.||^2 <= gap */
  readonly gap: number;
  readonly iterations: number;
}

export function minNormHull(g: readonly Float64Array[], maxIterations = 20_000, relGap = 1e-12): HullPoint {
  const m = g.length;
  if (m === 0) throw new Error('minNormHull: no vectors');
  const n = g[0].length;
  const Q = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let s = 0;
      const a = g[i];
      const b = g[j];
      for (let k = 0; k < n; k++) s += a[k] * b[k];
      Q[i * m + j] = s;
      Q[j * m + i] = s;
    }
  }
  // start at the vertex of least norm
  let start = 0;
  for (let i = 1; i < m; i++) if (Q[i * m + i] < Q[start * m + start]) start = i;
  const lambda = new Float64Array(m);
  lambda[start] = 1;
  // q = Q lambda (gradient of the objective / 2), f = lambda^T Q lambda
  const q = new Float64Array(m);
  for (let i = 0; i < m; i++) q[i] = Q[i * m + start];
  let f = Q[start * m + start];
  const scale = Math.max(...Array.from({ length: m }, (_, i) => Q[i * m + i]));
  let gap = Infinity;
  let it = 0;
  for (; it < maxIterations; it++) {
    // toward: the vertex minimising q; away: the support vertex maximising q
    let s = 0;
    for (let i = 1; i < m; i++) if (q[i] < q[s]) s = i;
    let a = -1;
    for (let i = 0; i < m; i++) if (lambda[i] > 0 && (a < 0 || q[i] > q[a])) a = i;
    gap = 2 * (f - q[s]);
    if (gap <= relGap * scale || s === a) break;
    // move weight t from a to s: d = e_s - e_a; f(t) = f + 2 t (q_s - q_a) + t^2 (Q_ss - 2 Q_sa + Q_aa)
    const curv = Q[s * m + s] - 2 * Q[s * m + a] + Q[a * m + a];
    const slope = q[s] - q[a];
    let t = curv > 0 ? -slope / curv : lambda[a];
    if (t > lambda[a]) t = lambda[a];
    if (!(t > 0)) break;
    lambda[s] += t;
    lambda[a] -= t;
    if (lambda[a] < 1e-300) lambda[a] = 0;
    for (let i = 0; i < m; i++) q[i] += t * (Q[i * m + s] - Q[i * m + a]);
    f += 2 * t * slope + t * t * curv;
  }
  const point = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    const w = lambda[i];
    if (w === 0) continue;
    const gi = g[i];
    for (let k = 0; k < n; k++) point[k] += w * gi[k];
  }
  let nn = 0;
  for (let k = 0; k < n; k++) nn += point[k] * point[k];
  return { lambda, point, norm: Math.sqrt(nn), gap: Math.max(gap, 0), iterations: it };
}

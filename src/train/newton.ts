import { StopWatch, type Landscape, type LandscapePoint, type MinimiserResult, type Progress, type StopReason, type StopRule } from './landscape.ts';
import { validateProgressEvery, validateStart, validateStopRule } from './adamRun.ts';
import { cholesky, choleskySolve } from '../util/cholesky.ts';
import { InputError } from '../util/errors.ts';
import { norm2 } from '../util/vector.ts';

/**
 * Damped Newton (Levenberg-Marquardt on the exact Hessian): solve (H + lambda I) step = -g, accept
 * when the loss decreases, and adapt lambda by the ratio of actual to predicted decrease. At a smooth
 * non-degenerate minimum it converges quadratically, where L-BFGS creeps (SCIENCE.md: near jamming
 * minimisation is slow for any first-order method). Each Hessian is charged `hessianCost` evaluations
 * in all, the gradient at the same point (already counted) included: `hessianCost - 1` more.
 */
export interface NewtonOptions {
  /** initial damping, relative to max |H_ii| */
  readonly lambda0: number;
  /**
   * stop when the gradient norm falls below gradRtol * sqrt(2 loss * max|H_ii|): 1e-7, a decade under
   * the smooth certificate's 1e-6 (analyse/certificate.ts), so a Newton stop can be certified
   */
  readonly gradRtol: number;
}

export const DEFAULT_NEWTON: NewtonOptions = { lambda0: 1e-3, gradRtol: 1e-7 };

export function newton(
  f: Landscape,
  theta0: Float64Array,
  options: NewtonOptions,
  rule: StopRule,
  onProgress?: (p: Progress) => void,
  progressEvery?: number,
): MinimiserResult {
  validateStopRule(rule);
  validateStart(f, theta0);
  if (!f.hessian) throw new InputError('landscape.hessian', undefined, 'a landscape that provides its exact Hessian');
  const every = validateProgressEvery(progressEvery);
  const n = theta0.length;
  const watch = new StopWatch(rule);
  const cost = Math.max(0, (f.hessianCost ?? n) - 1);
  let x = Float64Array.from(theta0);
  let cur: LandscapePoint = f.evaluate(x);
  let reason: StopReason | null = watch.record(cur, norm2(cur.gradient));
  const A = new Float64Array(n * n);
  const Lf = new Float64Array(n * n);
  const step = new Float64Array(n);
  const trial = new Float64Array(n);
  const negG = new Float64Array(n);
  let lambda = -1;
  let steps = 0;
  let rejections = 0;
  while (reason === null) {
    const H = f.hessian(x);
    reason = watch.charge(cost);
    if (reason !== null) break;
    // a non-finite Hessian would make every Cholesky fail and the damping grow for ever
    for (let i = 0; i < n * n; i++) if (!Number.isFinite(H[i])) throw new Error(`newton: the Hessian is not finite at step ${steps} (entry ${i}: ${H[i]})`);
    let diag = 0;
    for (let i = 0; i < n; i++) diag = Math.max(diag, Math.abs(H[i * n + i]));
    const gScale = Math.sqrt(2 * cur.value * diag);
    if (norm2(cur.gradient) <= options.gradRtol * gScale) {
      reason = 'converged';
      break;
    }
    if (lambda < 0) lambda = options.lambda0 * Math.max(diag, 1e-300);
    for (let i = 0; i < n; i++) negG[i] = -cur.gradient[i];
    let accepted = false;
    while (!accepted && reason === null) {
      A.set(H);
      for (let i = 0; i < n; i++) A[i * n + i] += lambda;
      if (!cholesky(A, n, Lf)) {
        lambda *= 4;
        if (!Number.isFinite(lambda)) throw new Error(`newton: no damping makes the Hessian positive definite at step ${steps}`);
        continue;
      }
      choleskySolve(Lf, n, negG, step);
      // predicted decrease of the quadratic model: -(g.s + s.H.s / 2)
      let gs = 0;
      let sHs = 0;
      for (let i = 0; i < n; i++) {
        gs += cur.gradient[i] * step[i];
        let hi = 0;
        for (let j = 0; j < n; j++) hi += H[i * n + j] * step[j];
        sHs += step[i] * hi;
      }
      const predicted = -(gs + 0.5 * sHs);
      for (let i = 0; i < n; i++) trial[i] = x[i] + step[i];
      const next = f.evaluate(trial);
      reason = watch.record(next, norm2(next.gradient));
      const actual = cur.value - next.value;
      if (actual > 0 || next.value === 0) {
        const ratio = predicted > 0 ? actual / predicted : 0;
        lambda *= ratio > 0.75 ? 1 / 3 : ratio < 0.25 ? 2 : 1;
        x = Float64Array.from(trial);
        cur = next;
        accepted = true;
        rejections = 0;
      } else {
        lambda *= 4;
        // no decrease representable in float64 after many rejections: stalled (e.g. on a ReLU kink)
        if (++rejections >= 30 && reason === null) reason = 'converged';
      }
    }
    steps++;
    if (onProgress && steps % every === 0) onProgress({ step: steps, loss: cur.value, nDelta: cur.nDelta });
  }
  return { theta: x, point: cur, reason: reason ?? 'converged', steps, evaluations: watch.evaluations };
}

import { StopWatch, type Landscape, type LandscapePoint, type MinimiserResult, type Progress, type StopReason, type StopRule } from './landscape.ts';
import { validateProgressEvery, validateStart, validateStopRule } from './adamRun.ts';
import { InputError, requireFinite, requireInt } from '../util/errors.ts';
import { norm2 } from '../util/vector.ts';

/**
 * L-BFGS (Nocedal & Wright, Numerical Optimization, 2nd ed., Alg. 7.4 and 7.5) with a line search
 * for the strong Wolfe conditions (Alg. 3.5 with zoom, Alg. 3.6, cubic interpolation falling back
 * to quadratic, then bisection).
 */
export interface LbfgsOptions {
  /** curvature pairs kept */
  readonly m: number;
  /** sufficient decrease: phi(a) <= phi(0) + c1 a phi'(0) */
  readonly c1: number;
  /** curvature: |phi'(a)| <= c2 |phi'(0)| */
  readonly c2: number;
  /** most evaluations one line search may spend before it is declared failed */
  readonly maxLineSearch: number;
}

export const DEFAULT_LBFGS: LbfgsOptions = { m: 10, c1: 1e-4, c2: 0.9, maxLineSearch: 25 };

export function validateLbfgsOptions(o: LbfgsOptions): LbfgsOptions {
  requireInt('m', o.m, 1, 1000);
  requireFinite('c1', o.c1, 0, 0.5, true);
  requireFinite('c2', o.c2, 0, 1, true);
  if (o.c2 <= o.c1) throw new InputError('c2', o.c2, `a finite number in (c1 = ${o.c1}, 1)`);
  requireInt('maxLineSearch', o.maxLineSearch, 2);
  return o;
}

/** skip a curvature pair unless s.y > SKIP s |s||y| (keeps the inverse Hessian positive definite) */
const SKIP = 1e-12;
/** interpolated trial steps stay this fraction of the bracket away from its ends */
const GUARD = 0.1;
/** growth of the trial step while no bracket is found */
const EXTRAPOLATE = 4;

/**
 * Minimise f from theta0. Every trial point of every line search is one evaluation through the
 * StopWatch, so a loss found to be exactly zero inside a line search stops the run there (the
 * returned point and theta are that trial's). Initial trial step: 1/|g| while the memory is empty
 * (the first iteration and after a reset: a step of unit length along -g), 1 otherwise, with the
 * initial inverse Hessian gamma I, gamma = s.y / y.y of the newest pair.
 * A failed line search (no strong Wolfe point within maxLineSearch evaluations, or the bracket
 * shrank below float64 resolution) still moves to its best sufficient-decrease point if it has
 * one, and clears the memory; a second failure in a row returns 'converged' at the current point:
 * no further decrease is possible in float64, as happens on a ReLU kink. (A search along -g from an
 * empty memory that failed without moving counts twice: its retry would be the same search.)
 */
export function lbfgs(
  f: Landscape,
  theta0: Float64Array,
  options: LbfgsOptions,
  rule: StopRule,
  onProgress?: (p: Progress) => void,
  progressEvery?: number,
): MinimiserResult {
  const o = validateLbfgsOptions(options);
  validateStopRule(rule);
  validateStart(f, theta0);
  const every = validateProgressEvery(progressEvery);
  const watch = new StopWatch(rule);
  const n = theta0.length;
  const { m, c1, c2, maxLineSearch } = o;

  let x: Float64Array = Float64Array.from(theta0);
  let xt: Float64Array = new Float64Array(n);
  const d = new Float64Array(n);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  for (let j = 0; j < m; j++) {
    S.push(new Float64Array(n));
    Y.push(new Float64Array(n));
  }
  let sNew: Float64Array = new Float64Array(n);
  let yNew: Float64Array = new Float64Array(n);
  const rho = new Float64Array(m);
  const a = new Float64Array(m);
  let head = 0; // slot of the next pair
  let count = 0; // pairs stored
  let gamma = 1;

  let cur: LandscapePoint = f.evaluate(x);
  let reason: StopReason | null = watch.record(cur, norm2(cur.gradient));
  let step = 0;
  let failures = 0;

  // Line-search state, shared with the closures below (no allocation per iteration).
  let phi0 = 0;
  let dphi0 = 0;
  let dmax = 0;
  let xmax = 0;
  let lsEvals = 0;
  let trialPoint: LandscapePoint = cur;
  let trialDphi = 0;
  let trialReason: StopReason | null = null;
  /** outcome of the line search: the accepted (or best) step and its point */
  let lsAlpha = 0;
  let lsPoint: LandscapePoint = cur;

  const trial = (alpha: number): void => {
    for (let i = 0; i < n; i++) xt[i] = x[i] + alpha * d[i];
    trialPoint = f.evaluate(xt);
    trialReason = watch.record(trialPoint, norm2(trialPoint.gradient));
    const g = trialPoint.gradient;
    let s = 0;
    for (let i = 0; i < n; i++) s += g[i] * d[i];
    trialDphi = s;
    lsEvals++;
  };

  /** a trial step inside [lo, hi] (either order): cubic, else quadratic, else the midpoint */
  const interpolate = (lo: number, fLo: number, gLo: number, hi: number, fHi: number, gHi: number): number => {
    const left = Math.min(lo, hi);
    const right = Math.max(lo, hi);
    const lowest = left + GUARD * (right - left);
    const highest = right - GUARD * (right - left);
    const d1 = gLo + gHi - (3 * (fLo - fHi)) / (lo - hi);
    const disc = d1 * d1 - gLo * gHi;
    if (disc >= 0) {
      const d2 = Math.sign(hi - lo) * Math.sqrt(disc);
      const t = hi - ((hi - lo) * (gHi + d2 - d1)) / (gHi - gLo + 2 * d2);
      if (t >= lowest && t <= highest) return t;
    }
    const span = hi - lo;
    const curv = fHi - fLo - gLo * span;
    if (curv > 0) {
      const t = lo - (gLo * span * span) / (2 * curv);
      if (t >= lowest && t <= highest) return t;
    }
    return 0.5 * (lo + hi);
  };

  /**
   * Returns 1: strong Wolfe point found (lsAlpha, lsPoint); 0: failed, lsAlpha/lsPoint is the best
   * sufficient-decrease point (lsAlpha = 0 if none); -1: the StopWatch said stop at the last trial.
   */
  const zoom = (
    lo: number,
    fLo: number,
    gLo: number,
    pLo: LandscapePoint,
    hi: number,
    fHi: number,
    gHi: number,
  ): number => {
    for (;;) {
      const width = Math.abs(hi - lo);
      if (lsEvals >= maxLineSearch || width <= Number.EPSILON * Math.max(lo, hi) || width * dmax <= Number.EPSILON * xmax) {
        lsAlpha = lo;
        lsPoint = pLo;
        return 0;
      }
      const aj = interpolate(lo, fLo, gLo, hi, fHi, gHi);
      trial(aj);
      if (trialReason !== null) return -1;
      const fj = trialPoint.value;
      const gj = trialDphi;
      if (fj > phi0 + c1 * aj * dphi0 || fj >= fLo) {
        hi = aj;
        fHi = fj;
        gHi = gj;
      } else {
        if (Math.abs(gj) <= -c2 * dphi0) {
          lsAlpha = aj;
          lsPoint = trialPoint;
          return 1;
        }
        if (gj * (hi - lo) >= 0) {
          hi = lo;
          fHi = fLo;
          gHi = gLo;
        }
        lo = aj;
        fLo = fj;
        gLo = gj;
        pLo = trialPoint;
      }
    }
  };

  /** Nocedal & Wright Alg. 3.5 from the initial step alpha1; same return codes as zoom. */
  const lineSearch = (alpha1: number): number => {
    lsEvals = 0;
    dmax = 0;
    xmax = 0;
    for (let i = 0; i < n; i++) {
      dmax = Math.max(dmax, Math.abs(d[i]));
      xmax = Math.max(xmax, Math.abs(x[i]));
    }
    let aPrev = 0;
    let fPrev = phi0;
    let gPrev = dphi0;
    let pPrev = cur;
    let alpha = alpha1;
    for (;;) {
      trial(alpha);
      if (trialReason !== null) return -1;
      const fa = trialPoint.value;
      const ga = trialDphi;
      if (fa > phi0 + c1 * alpha * dphi0 || (lsEvals > 1 && fa >= fPrev)) {
        return zoom(aPrev, fPrev, gPrev, pPrev, alpha, fa, ga);
      }
      if (Math.abs(ga) <= -c2 * dphi0) {
        lsAlpha = alpha;
        lsPoint = trialPoint;
        return 1;
      }
      if (ga >= 0) return zoom(alpha, fa, ga, trialPoint, aPrev, fPrev, gPrev);
      if (lsEvals >= maxLineSearch) {
        lsAlpha = alpha;
        lsPoint = trialPoint;
        return 0;
      }
      aPrev = alpha;
      fPrev = fa;
      gPrev = ga;
      pPrev = trialPoint;
      alpha *= EXTRAPOLATE;
    }
  };

  const steepest = (g: Float64Array): void => {
    for (let i = 0; i < n; i++) d[i] = -g[i];
  };

  while (reason === null) {
    const g = cur.gradient;
    // direction d = -H g by the two-loop recursion (Alg. 7.4), or -g with an empty memory
    steepest(g);
    if (count > 0) {
      for (let k = 0; k < count; k++) {
        const j = (head - 1 - k + 2 * m) % m;
        let s = 0;
        for (let i = 0; i < n; i++) s += S[j][i] * d[i];
        a[j] = rho[j] * s;
        const yj = Y[j];
        for (let i = 0; i < n; i++) d[i] -= a[j] * yj[i];
      }
      for (let i = 0; i < n; i++) d[i] *= gamma;
      for (let k = count - 1; k >= 0; k--) {
        const j = (head - 1 - k + 2 * m) % m;
        let s = 0;
        for (let i = 0; i < n; i++) s += Y[j][i] * d[i];
        const c = a[j] - rho[j] * s;
        const sj = S[j];
        for (let i = 0; i < n; i++) d[i] += c * sj[i];
      }
    }
    dphi0 = 0;
    for (let i = 0; i < n; i++) dphi0 += g[i] * d[i];
    if (!(dphi0 < 0)) {
      // not a descent direction (rounding in a stale memory): start again from -g
      count = 0;
      steepest(g);
      dphi0 = 0;
      for (let i = 0; i < n; i++) dphi0 += g[i] * d[i];
    }
    phi0 = cur.value;
    const steepestFromEmpty = count === 0;
    const alpha1 = steepestFromEmpty ? 1 / norm2(g) : 1;
    const outcome = lineSearch(alpha1);
    if (outcome === -1) {
      // the StopWatch said stop at the last trial point: that evaluation is the result
      step++;
      cur = trialPoint;
      const t = x;
      x = xt;
      xt = t;
      reason = trialReason;
      break;
    }
    if (outcome === 0) {
      failures++;
      count = 0;
      if (!(lsAlpha > 0 && lsPoint.value < cur.value)) {
        // nothing moved: retrying along -g from an empty memory would repeat this search exactly
        if (failures >= 2 || steepestFromEmpty) {
          reason = 'converged';
          break;
        }
        continue;
      }
    } else {
      failures = 0;
    }
    // move to x + lsAlpha d (recomputed with the same arithmetic as the trial, so bit-identical)
    const gNew = lsPoint.gradient;
    let sy = 0;
    let ss = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      xt[i] = x[i] + lsAlpha * d[i];
      const si = xt[i] - x[i];
      const yi = gNew[i] - g[i];
      sNew[i] = si;
      yNew[i] = yi;
      sy += si * yi;
      ss += si * si;
      yy += yi * yi;
    }
    const t = x;
    x = xt;
    xt = t;
    cur = lsPoint;
    step++;
    if (outcome === 1 && sy > SKIP * Math.sqrt(ss) * Math.sqrt(yy)) {
      const sOld = S[head];
      const yOld = Y[head];
      S[head] = sNew;
      Y[head] = yNew;
      sNew = sOld;
      yNew = yOld;
      rho[head] = 1 / sy;
      gamma = sy / yy;
      head = (head + 1) % m;
      if (count < m) count++;
    }
    if (outcome === 0 && failures >= 2) {
      reason = 'converged';
      break;
    }
    if (onProgress && step % every === 0) onProgress({ step, loss: cur.value, nDelta: cur.nDelta });
  }
  onProgress?.({ step, loss: cur.value, nDelta: cur.nDelta });
  return { theta: x, point: cur, reason: reason ?? 'converged', steps: step, evaluations: watch.evaluations };
}

import { StopWatch, type Landscape, type LandscapePoint, type MinimiserResult, type Progress, type StopReason, type StopRule } from './landscape.ts';
import { validateProgressEvery, validateStart, validateStopRule } from './adamRun.ts';
import { InputError, requireFinite, requireInt } from '../util/errors.ts';
import { norm2 } from '../util/vector.ts';

/**
 * FIRE, the Fast Inertial Relaxation Engine of Bitzek, Koskinen, Gähler, Moseler & Gumbsch,
 * PRL 97, 170201 (2006): the jammed-packing minimiser the authors also implemented (SCIENCE.md,
 * optimiser row). Standard parameters of the paper.
 */
export interface FireOptions {
  /** initial MD time step */
  readonly dt0: number;
  /** largest time step (the paper: 10 dt0) */
  readonly dtMax: number;
  /** steps with P > 0 since the last freeze before dt may grow */
  readonly nMin: number;
  readonly fInc: number;
  readonly fDec: number;
  readonly alphaStart: number;
  readonly fAlpha: number;
}

/**
 * dt0 = 1e-2, dtMax = 0.1: the authors' FIRE runs used dt_max = 0.1 ("fire") and 1e-2
 * ("fire_simple"). With unit masses a normal mode of curvature lambda is integrated stably by
 * semi-implicit Euler for dt < 2 / sqrt(lambda), so dtMax = 0.1 is stable up to lambda = 400,
 * well above the top Hessian eigenvalues of the (1/P)-normalised hinge losses at the sizes run
 * here; larger curvatures are handled by FIRE itself (P <= 0 halves dt).
 */
export const DEFAULT_FIRE: FireOptions = {
  dt0: 1e-2,
  dtMax: 0.1,
  nMin: 5,
  fInc: 1.1,
  fDec: 0.5,
  alphaStart: 0.1,
  fAlpha: 0.99,
};

export function validateFireOptions(o: FireOptions): FireOptions {
  requireFinite('dt0', o.dt0, 0, Infinity, true);
  requireFinite('dtMax', o.dtMax, 0, Infinity, true);
  if (o.dtMax < o.dt0) throw new InputError('dtMax', o.dtMax, `a finite number >= dt0 (${o.dt0})`);
  requireInt('nMin', o.nMin, 0);
  requireFinite('fInc', o.fInc, 1);
  requireFinite('fDec', o.fDec, 0, 1, true);
  requireFinite('alphaStart', o.alphaStart, 0, 1, true);
  requireFinite('fAlpha', o.fAlpha, 0, 1);
  if (o.fAlpha === 0) throw new InputError('fAlpha', o.fAlpha, 'a finite number in (0, 1]');
  return o;
}

/**
 * One FIRE step per gradient evaluation, F = -gradient, unit masses. With (x, v, F(x)) in hand:
 *   F1  P = F . v
 *   F2  P > 0: v <- (1 - alpha) v + alpha |v| F / |F|; after more than nMin such steps in a row,
 *       dt <- min(dt fInc, dtMax) and alpha <- alpha fAlpha
 *   F3  P <= 0: v <- 0, dt <- dt fDec, alpha <- alphaStart
 *   MD  semi-implicit (symplectic) Euler: v <- v + dt F, x <- x + dt v; evaluate F at the new x.
 * The test is skipped while v = 0 exactly (the start): there P = 0 says nothing about going uphill
 * and would only halve dt0 (the authors' fire.py likewise resets only on P < 0). The StopWatch is
 * asked after every evaluation; the evaluation that says stop is returned.
 */
export function fire(
  f: Landscape,
  theta0: Float64Array,
  options: FireOptions,
  rule: StopRule,
  onProgress?: (p: Progress) => void,
  progressEvery?: number,
): MinimiserResult {
  const o = validateFireOptions(options);
  validateStopRule(rule);
  validateStart(f, theta0);
  const every = validateProgressEvery(progressEvery);
  const watch = new StopWatch(rule);
  const n = theta0.length;
  const x = Float64Array.from(theta0);
  const v = new Float64Array(n);
  let point: LandscapePoint = f.evaluate(x);
  let reason: StopReason | null = watch.record(point, norm2(point.gradient));
  let dt = o.dt0;
  let alpha = o.alphaStart;
  let nPositive = 0;
  let step = 0;
  while (reason === null) {
    const g = point.gradient;
    let P = 0;
    let vv = 0;
    let gg = 0;
    for (let i = 0; i < n; i++) {
      P -= g[i] * v[i];
      vv += v[i] * v[i];
      gg += g[i] * g[i];
    }
    if (vv > 0) {
      if (P > 0) {
        // gg > 0 here: a zero gradient has already stopped the run (gradTol >= 0)
        const cv = 1 - alpha;
        const cf = alpha * Math.sqrt(vv / gg);
        for (let i = 0; i < n; i++) v[i] = cv * v[i] - cf * g[i];
        nPositive++;
        if (nPositive > o.nMin) {
          dt = Math.min(dt * o.fInc, o.dtMax);
          alpha *= o.fAlpha;
        }
      } else {
        v.fill(0);
        dt *= o.fDec;
        alpha = o.alphaStart;
        nPositive = 0;
      }
    }
    for (let i = 0; i < n; i++) {
      v[i] -= dt * g[i];
      x[i] += dt * v[i];
    }
    step++;
    point = f.evaluate(x);
    reason = watch.record(point, norm2(point.gradient));
    if (onProgress && reason === null && step % every === 0) onProgress({ step, loss: point.value, nDelta: point.nDelta });
  }
  onProgress?.({ step, loss: point.value, nDelta: point.nDelta });
  return { theta: x, point, reason, steps: step, evaluations: watch.evaluations };
}

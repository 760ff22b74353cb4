import type { Landscape } from './landscape.ts';
import { minNormHull } from './minNormHull.ts';
import type { Rng } from '../util/prng.ts';

/**
 * Epsilon-stationarity by gradient sampling (Burke, Lewis & Overton 2005), the certificate a
 * non-smooth loss admits (SCIENCE.md, "ReLU end points sit on kinks": gradient -> 0 and H >= 0 do not
 * certify a ReLU minimum). At radius eps, the gradients at theta and at `samples` points drawn
 * uniformly in the eps-ball around it span a convex hull; the norm of its smallest element, rho(eps),
 * goes to 0 as eps -> 0 at a Clarke-stationary point (0 is in the hull of the nearby gradients),
 * while at a point that is not one, -argmin is a descent direction for the whole ball. With
 * samples >= n + 1 the convergence theory of gradient sampling applies.
 */
export interface SamplingLevel {
  /** radius of the ball (absolute) */
  readonly radius: number;
  readonly samples: number;
  /** rho(eps): the norm of the smallest element of the hull of the sampled gradients */
  readonly minNorm: number;
  /** rho(eps) / the landscape's gradient scale */
  readonly ratio: number;
  /** the direction -argmin (a descent direction over the ball where ratio is not small) */
  readonly direction: Float64Array;
}

/** `at` is the gradient at theta itself (the caller has it already). */
export function gradientSampling(f: Landscape, theta: Float64Array, at: Float64Array, radii: readonly number[], samples: number, scale: number, rng: Rng): SamplingLevel[] {
  const n = theta.length;
  const x = new Float64Array(n);
  const u = new Float64Array(n);
  return radii.map((radius) => {
    const g: Float64Array[] = [at];
    for (let s = 0; s < samples; s++) {
      // uniform in the ball: Gaussian direction, radius * U^(1/n)
      let nn = 0;
      for (let i = 0; i < n; i++) {
        u[i] = rng.normal();
        nn += u[i] * u[i];
      }
      const r = (radius * Math.pow(rng.uniform(), 1 / n)) / Math.sqrt(nn);
      for (let i = 0; i < n; i++) x[i] = theta[i] + r * u[i];
      g.push(f.evaluate(x).gradient.slice());
    }
    const hull = minNormHull(g);
    const direction = hull.point.map((v) => -v);
    return { radius, samples, minNorm: hull.norm, ratio: scale > 0 ? hull.norm / scale : hull.norm === 0 ? 0 : Infinity, direction };
  });
}

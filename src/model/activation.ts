import type { Architecture } from './architecture.ts';
import { logistic, softplusUnit } from '../util/smooth.ts';

/**
 * sigma, sigma' and sigma'' of the hidden units. ReLU: sigma'(0) = 0 and sigma'' = 0 (the kink is
 * a set of measure zero; at a minimum it is not, see SCIENCE.md, "ReLU end points sit on kinks", which
 * is why the training stage counts kinks instead of trusting these values there).
 * softplus_beta(z) = log(1 + exp(beta z)) / beta, written so it never overflows.
 */
export interface ActivationFns {
  readonly sigma: (z: number) => number;
  readonly dSigma: (z: number) => number;
  readonly d2Sigma: (z: number) => number;
  /** true when sigma'' can be non-zero (the Hessian then needs the curvature term) */
  readonly curved: boolean;
}

const relu: ActivationFns = {
  sigma: (z) => (z > 0 ? z : 0),
  dSigma: (z) => (z > 0 ? 1 : 0),
  d2Sigma: () => 0,
  curved: false,
};

export function softplus(beta: number): ActivationFns {
  return {
    sigma: (z) => softplusUnit(beta * z) / beta,
    dSigma: (z) => logistic(beta * z),
    d2Sigma: (z) => {
      const s = logistic(beta * z);
      return beta * s * (1 - s);
    },
    curved: true,
  };
}

export function activationOf(arch: Architecture): ActivationFns {
  return arch.activation === 'relu' ? relu : softplus(arch.beta);
}

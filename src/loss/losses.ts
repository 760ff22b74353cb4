import { InputError } from '../util/errors.ts';
import { logistic, softplusUnit } from '../util/smooth.ts';

export type LossKind = 'quadratic' | 'linear' | 'crossEntropy';
export const LOSS_KINDS: readonly LossKind[] = ['quadratic', 'linear', 'crossEntropy'];

/**
 * A per-pattern loss ell(Delta) with Delta = kappa - y f, and its first two derivatives in Delta.
 * The total loss is (1/P) sum_mu ell(Delta_mu) (SCIENCE.md, "Set-up").
 * Claim 1: the hinges have finite range (ell = ell' = 0 exactly for Delta <= 0); cross-entropy
 * log(1 + exp(-y f)) = softplus(Delta - kappa) never reaches 0.
 */
export interface Loss {
  readonly kind: LossKind;
  readonly kappa: number;
  readonly ell: (delta: number) => number;
  readonly dEll: (delta: number) => number;
  readonly d2Ell: (delta: number) => number;
  /** a pattern contributes to the gradient or the Hessian only when this holds */
  readonly active: (delta: number) => boolean;
}

/** Quadratic hinge theta(Delta) Delta^2 / 2: C1 at 0, ell'' = theta(Delta) with theta(0) = 0. */
export function quadraticHinge(kappa = 1): Loss {
  return {
    kind: 'quadratic',
    kappa,
    ell: (d) => (d > 0 ? 0.5 * d * d : 0),
    dEll: (d) => (d > 0 ? d : 0),
    d2Ell: (d) => (d > 0 ? 1 : 0),
    active: (d) => d > 0,
  };
}

/** Linear hinge theta(Delta) Delta: ell'' = 0 away from the kink, so H0 = 0 and H = Hp. */
export function linearHinge(kappa = 1): Loss {
  return {
    kind: 'linear',
    kappa,
    ell: (d) => (d > 0 ? d : 0),
    dEll: (d) => (d > 0 ? 1 : 0),
    d2Ell: () => 0,
    active: (d) => d > 0,
  };
}

/** Cross-entropy log(1 + exp(-y f)) written as softplus(Delta - kappa), stable for any argument. */
export function crossEntropy(kappa = 1): Loss {
  return {
    kind: 'crossEntropy',
    kappa,
    ell: (d) => softplusUnit(d - kappa),
    dEll: (d) => logistic(d - kappa),
    d2Ell: (d) => {
      const s = logistic(d - kappa);
      return s * (1 - s);
    },
    active: () => true,
  };
}

export function makeLoss(kind: LossKind, kappa = 1): Loss {
  if (!Number.isFinite(kappa) || kappa < 0) throw new InputError('kappa', kappa, 'a finite number >= 0');
  switch (kind) {
    case 'quadratic':
      return quadraticHinge(kappa);
    case 'linear':
      return linearHinge(kappa);
    case 'crossEntropy':
      return crossEntropy(kappa);
    default:
      throw new InputError('loss', kind, LOSS_KINDS.join(', '));
  }
}

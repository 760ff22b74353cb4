import type { EndPoint } from './endPoint.ts';
import { norm2 } from '../util/vector.ts';

/**
 * The measured evidence that a run with loss > 0 stopped at a minimum (SCIENCE.md, "ReLU end points sit
 * on kinks": gradient -> 0 and H >= 0 cannot be assumed, so both are measured and reported).
 * smooth: |grad| <= GRAD_RTOL * gradScale and lambda_min(H) >= -HESS_RTOL * lambda_max(H), with no kink;
 * kinked: otherwise, with the kink count, the one-sided gradient norm and lambda_min.
 * gradScale = sqrt(2 loss * lambda_max(H)) bounds |grad| = |J^T Delta| / P when H ~ H0 (Cauchy-Schwarz).
 */
export const GRAD_RTOL = 1e-6;
export const HESS_RTOL = 1e-6;

export interface Certificate {
  readonly kind: 'smooth' | 'kinked';
  readonly gradientNorm: number;
  readonly gradientScale: number;
  readonly lambdaMin: number;
  readonly lambdaMax: number;
  readonly kinks: number;
}

/** Reads the end point's Hessian eigenvalues and kinks, which the spectra and diagnostics share. */
export function certify(point: EndPoint): Certificate {
  const ev = point.evaluation;
  const eig = point.eigH();
  const lambdaMin = eig[0];
  const lambdaMax = eig[eig.length - 1];
  const gradientNorm = norm2(ev.gradient);
  const gradientScale = Math.sqrt(2 * ev.value * Math.max(lambdaMax, 0));
  const kinks = point.diagnostics().kinks;
  const smooth = kinks === 0 && gradientNorm <= GRAD_RTOL * gradientScale && lambdaMin >= -HESS_RTOL * Math.max(lambdaMax, 0);
  return { kind: smooth ? 'smooth' : 'kinked', gradientNorm, gradientScale, lambdaMin, lambdaMax, kinks };
}

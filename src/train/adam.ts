/**
 * One Adam update (Kingma & Ba) in place, bias-corrected; state is owned by the caller so that
 * schedules (the authors' lr / 10 every 250k steps) stay outside the update rule.
 */
export interface AdamState {
  readonly m: Float64Array;
  readonly v: Float64Array;
  t: number;
}

export function adamState(n: number): AdamState {
  return { m: new Float64Array(n), v: new Float64Array(n), t: 0 };
}

export function adamStep(
  theta: Float64Array,
  grad: Float64Array,
  s: AdamState,
  lr: number,
  beta1 = 0.9,
  beta2 = 0.999,
  eps = 1e-8,
): void {
  s.t++;
  const c1 = 1 - Math.pow(beta1, s.t);
  const c2 = 1 - Math.pow(beta2, s.t);
  for (let i = 0; i < theta.length; i++) {
    const g = grad[i];
    s.m[i] = beta1 * s.m[i] + (1 - beta1) * g;
    s.v[i] = beta2 * s.v[i] + (1 - beta2) * g * g;
    theta[i] -= (lr * (s.m[i] / c1)) / (Math.sqrt(s.v[i] / c2) + eps);
  }
}

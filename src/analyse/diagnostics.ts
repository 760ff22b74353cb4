import type { Evaluation, Objective } from '../loss/objective.ts';
import { contacts, contactTolerance } from '../loss/delta.ts';

/**
 * What N_Delta alone hides at a minimum (SCIENCE.md, "Measured here"):
 * - contacts: |Delta| <= tol, patterns sitting on the constraint up to rounding;
 * - dead patterns: unsatisfied (Delta > 0) patterns with a hidden layer that is all zero, so the
 *   network outputs the same constant on them whatever their input, and Hp vanishes there or
 *   keeps only a few bias directions (they fake a jammed state unrelated to claim 4). SCIENCE.md
 *   names the last hidden layer; an all-zero earlier layer traps a pattern the same way (seen in
 *   the ci sweep: smooth "jammed" runs with N_Delta = 4 to 8 and no negative eigenvalue of Hp).
 *   Exact zeros, so ReLU only;
 * - kinks: hidden pre-activations within tol of the ReLU kink in patterns that touch the loss
 *   (Delta >= -contact tol), where the gradient and Hessian are one-sided.
 */
export interface Diagnostics {
  readonly nDelta: number;
  readonly contacts: number;
  readonly contactTolerance: number;
  readonly deadPatterns: number;
  readonly kinks: number;
  readonly kinkTolerance: number;
}

/** |z| <= 1e-9 * max(1, max|z| of the layer): far above rounding (1e-16 |z|), far below a real margin. */
export const KINK_RTOL = 1e-9;

export function diagnostics(obj: Objective, ev: Evaluation): Diagnostics {
  const { arch } = obj;
  const ctol = contactTolerance(obj.loss.kappa);
  const P = obj.data.P;
  let dead = 0;
  let kinks = 0;
  let zmax = 1;
  for (let l = 1; l <= arch.L; l++) for (const z of ev.trace.z[l]) zmax = Math.max(zmax, Math.abs(z));
  const ktol = KINK_RTOL * zmax;
  if (arch.L > 0 && arch.activation === 'relu') {
    const h = arch.h;
    const layerDead = (l: number, mu: number): boolean => {
      const a = ev.trace.a[l];
      for (let o = 0; o < h; o++) if (a[mu * h + o] !== 0) return false;
      return true;
    };
    for (let mu = 0; mu < P; mu++) {
      const dmu = ev.delta[mu];
      if (dmu > 0) {
        for (let l = 1; l <= arch.L; l++) {
          if (layerDead(l, mu)) {
            dead++;
            break;
          }
        }
      }
      if (dmu >= -ctol) {
        for (let l = 1; l <= arch.L; l++) {
          const z = ev.trace.z[l];
          for (let o = 0; o < h; o++) if (Math.abs(z[mu * h + o]) <= ktol) kinks++;
        }
      }
    }
  }
  return { nDelta: ev.nDelta, contacts: contacts(ev.delta, ctol), contactTolerance: ctol, deadPatterns: dead, kinks, kinkTolerance: ktol };
}

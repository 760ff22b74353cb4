import type { Evaluation, Objective } from '../loss/objective.ts';
import { contacts, contactTolerance } from '../loss/delta.ts';

/**
 * What N_Delta alone hides at a minimum (SCIENCE.md, "Measured here"):
 * - contacts: |Delta| <= tol, patterns sitting on the constraint up to rounding;
 * - dead patterns: unsatisfied (Delta > 0) patterns whose last hidden layer is all zero, so the
 *   network outputs its bare output bias on them and Hp vanishes there (they fake a jammed state
 *   unrelated to claim 4); exact zeros, so ReLU only;
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
    const aL = ev.trace.a[arch.L];
    for (let mu = 0; mu < P; mu++) {
      const dmu = ev.delta[mu];
      if (dmu > 0) {
        let allZero = true;
        for (let o = 0; o < h; o++) if (aL[mu * h + o] !== 0) { allZero = false; break; }
        if (allZero) dead++;
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

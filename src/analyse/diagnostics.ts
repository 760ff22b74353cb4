import type { Evaluation, Objective } from '../loss/objective.ts';
import { contacts, contactTolerance } from '../loss/delta.ts';
import { weightCount } from '../model/architecture.ts';

/**
 * What N_Delta alone hides at a minimum (SCIENCE.md, "Measured here"). Every unsatisfied pattern
 * (Delta > 0) is in exactly one class:
 * - dead: a hidden layer is all zero on it, so the network outputs a constant there whatever its
 *   input; it adds nothing to Hp and at most bias directions to H0 (claims 3, 4, 8 speak of the
 *   others). Exact zeros, so ReLU only;
 * - contact: not dead and Delta <= LIVE_DELTA_RTOL kappa: on the constraint within the resolution
 *   of the end point. An Adam end point (lr 1e-7) is not exactly at its minimum: patterns that sit
 *   on the constraint there end with Delta of 1e-6 to 1e-4 (measured: a run of live loss 2e-7 had
 *   70 such "unsatisfied" patterns; SCIENCE.md, "Contacts");
 * - live: not dead and Delta > LIVE_DELTA_RTOL kappa: the constraints the stability argument counts.
 * So nDelta = liveNDelta + contactNDelta + deadPatterns. The loss splits the same way: deadLoss is
 * carried by dead patterns, liveLoss by the others (contacts add at most tol^2 / 2 each).
 * A dead-pattern run is one whose dead patterns carry most of its loss (deadLoss > loss / 2).
 * Dead units (zero on every training pattern) are counted too: effectiveN is the paper's N of the
 * network with them removed.
 * kinks: hidden pre-activations within tol of the ReLU kink in patterns that touch the loss
 * (Delta >= -contact tol), where the gradient and Hessian are one-sided.
 */
export interface Diagnostics {
  readonly nDelta: number;
  readonly liveNDelta: number;
  /** not dead, 0 < Delta <= LIVE_DELTA_RTOL kappa */
  readonly contactNDelta: number;
  readonly deadPatterns: number;
  /** (1/P) sum of ell over live and contact patterns */
  readonly liveLoss: number;
  /** (1/P) sum of ell over dead patterns */
  readonly deadLoss: number;
  readonly deadPatternRun: boolean;
  /** |Delta| <= contactTolerance, satisfied or not */
  readonly contacts: number;
  readonly contactTolerance: number;
  /** hidden units that are zero on every training pattern (ReLU) */
  readonly deadUnits: number;
  /** N = d h1 + h1 h2 + ... + h_L of the network without its dead units */
  readonly effectiveN: number;
  readonly kinks: number;
  readonly kinkTolerance: number;
}

/** Delta below this (times kappa, at least 1) is a contact, not a live constraint (see above). */
export const LIVE_DELTA_RTOL = 1e-4;

/** The class of each pattern: satisfied (Delta <= 0), live, contact or dead (see above). */
export const PATTERN_CLASS = { satisfied: 0, live: 1, contact: 2, dead: 3 } as const;

export function patternClasses(obj: Objective, ev: Evaluation): Uint8Array {
  const { arch } = obj;
  const ltol = LIVE_DELTA_RTOL * Math.max(1, obj.loss.kappa);
  const h = arch.h;
  const relu = arch.L > 0 && arch.activation === 'relu';
  const out = new Uint8Array(obj.data.P);
  for (let mu = 0; mu < out.length; mu++) {
    const dmu = ev.delta[mu];
    if (!(dmu > 0)) continue;
    let dead = false;
    if (relu) {
      for (let l = 1; l <= arch.L && !dead; l++) {
        const a = ev.trace.a[l];
        dead = true;
        for (let o = 0; o < h; o++) {
          if (a[mu * h + o] !== 0) {
            dead = false;
            break;
          }
        }
      }
    }
    out[mu] = dead ? PATTERN_CLASS.dead : dmu > ltol ? PATTERN_CLASS.live : PATTERN_CLASS.contact;
  }
  return out;
}

/** Indices of the dead patterns (claim 9 leaves them out of the Delta > 0 side). */
export function deadPatternIndices(obj: Objective, ev: Evaluation): number[] {
  const cls = patternClasses(obj, ev);
  const out: number[] = [];
  for (let mu = 0; mu < cls.length; mu++) if (cls[mu] === PATTERN_CLASS.dead) out.push(mu);
  return out;
}

/** |z| <= 1e-9 * max(1, max|z| of the layer): far above rounding (1e-16 |z|), far below a real margin. */
export const KINK_RTOL = 1e-9;

export function diagnostics(obj: Objective, ev: Evaluation): Diagnostics {
  const { arch, loss } = obj;
  const ctol = contactTolerance(loss.kappa);
  const P = obj.data.P;
  const h = arch.h;
  const relu = arch.L > 0 && arch.activation === 'relu';
  let zmax = 1;
  for (let l = 1; l <= arch.L; l++) for (const z of ev.trace.z[l]) zmax = Math.max(zmax, Math.abs(z));
  const ktol = KINK_RTOL * zmax;
  const cls = patternClasses(obj, ev);
  let dead = 0;
  let live = 0;
  let contact = 0;
  let kinks = 0;
  let liveSum = 0;
  let deadSum = 0;
  for (let mu = 0; mu < P; mu++) {
    const dmu = ev.delta[mu];
    if (cls[mu] === PATTERN_CLASS.dead) {
      dead++;
      deadSum += loss.ell(dmu);
    } else if (cls[mu] !== PATTERN_CLASS.satisfied) {
      if (cls[mu] === PATTERN_CLASS.live) live++;
      else contact++;
      liveSum += loss.ell(dmu);
    }
    if (relu && dmu >= -ctol) {
      for (let l = 1; l <= arch.L; l++) {
        const z = ev.trace.z[l];
        for (let o = 0; o < h; o++) if (Math.abs(z[mu * h + o]) <= ktol) kinks++;
      }
    }
  }
  // dead units: a ReLU unit whose activation is 0 on every training pattern
  const alive: number[] = [];
  let deadUnits = 0;
  for (let l = 1; l <= arch.L; l++) {
    let n = 0;
    if (relu) {
      const a = ev.trace.a[l];
      for (let o = 0; o < h; o++) {
        let on = false;
        for (let mu = 0; mu < P && !on; mu++) on = a[mu * h + o] !== 0;
        if (on) n++;
      }
    } else n = h;
    deadUnits += h - n;
    alive.push(n);
  }
  let effectiveN = arch.L === 0 ? weightCount(arch.d, 0, 0) : arch.d * alive[0];
  for (let l = 1; l < arch.L; l++) effectiveN += alive[l - 1] * alive[l];
  if (arch.L > 0) effectiveN += alive[arch.L - 1];
  const liveLoss = liveSum / P;
  const deadLoss = deadSum / P;
  return {
    nDelta: ev.nDelta,
    liveNDelta: live,
    contactNDelta: contact,
    deadPatterns: dead,
    liveLoss,
    deadLoss,
    deadPatternRun: deadLoss > 0 && deadLoss > liveLoss,
    contacts: contacts(ev.delta, ctol),
    contactTolerance: ctol,
    deadUnits,
    effectiveN,
    kinks,
    kinkTolerance: ktol,
  };
}

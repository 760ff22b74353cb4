import type { ClaimVerdict } from '../../src/claims/claim.ts';

/**
 * The verdict registered for each claim at the ci scale: the science at that size, written down
 * before the sweep is read. spec/claims/claims.spec.ts fails wherever the measured verdict differs,
 * so a claim that fails shows as failing only where 'fail' is not registered, and a registered
 * 'fail' that turns into 'pass' fails the suite too. 'reported': any verdict is accepted (the claim
 * is reported with its interval whatever it gives). Where a registration is not 'pass' the finding
 * is written beside it (also in the ci report).
 */
export type Registered = ClaimVerdict | 'reported';

// Findings at the ci scale (99 runs on fresh seeds 100..103, N = 136 to 300, every verdict
// certified; first evaluated on the rules of commit 7385a83, re-measured with the numerics default-v8
// of commit 7aca6d5: the verdicts did not move), reported in the closing note and in
// reports/ci/VERIFICATION.md when `npx jamming verify --scale ci` is run.
export const EXPECTED: Record<number, Registered> = {
  1: 'pass',
  2: 'pass',
  3: 'pass',
  // the one family in the regime (d = h = 12, N = 300) has 3 certified minima near N*, all with
  // live N_Delta/N > 0.4, C0 = 0.52; it would fail if its one dead-pattern run counted as a minimum
  4: 'pass',
  5: 'pass',
  // one L = 2 family in the regime, no deeper family of N >= 300 and no MNIST sweep with P >= 1000:
  // nothing to fit an exponent or compare depths on at this size
  6: 'inconclusive',
  // one family in the regime: no ratio of windows between sizes (its window, 0.80, is the P grid's)
  7: 'inconclusive',
  // 3 minima at N = 300 span too little live loss for a slope (-6.4, interval [-7.0, 0.62])
  8: 'inconclusive',
  // reported with its interval whatever the verdict: theta 0.017 [-0.006, 0.057] and gamma 0.063 [0.014, 0.086] from 3 minima
  9: 'reported',
  // MNIST P = 300: the mean error peaks at N = 60 (N* = 66; 0.208 against 0.187 below) but is no
  // lower at N = 152 (0.189): no cusp by the rule at this P; early stopping lowers it to 0.169 there,
  // not significantly (the control is inconclusive)
  10: 'fail',
  // no MNIST sweep in the regime (P >= 1000) at this size
  11: 'inconclusive',
};

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

// Findings at the ci scale (122 runs on fresh seeds 100..107, N = 136 to 300, every verdict
// certified). First evaluated on the rules of commit 7385a83; registered again at commit 260ed1e
// after the rules of claims 3 to 11 changed (fitted P*, budget runs counted both ways,
// claim 3 on softplus minima, claim 11 on N >= 10 N*), from that sweep: claims 10 and 11 moved,
// as written beside them. reports/ci/VERIFICATION.md has the numbers (npx jamming verify --scale ci).
export const EXPECTED: Record<number, Registered> = {
  1: 'pass',
  2: 'pass',
  // 11 softplus minima (d = h = 8, L = 1, beta = 2, P = 175 to 195) with N_Delta < Ntot, none with N_- > N_Delta
  3: 'pass',
  // the one family in the regime (d = h = 12, N = 300) has 3 certified minima near N*, all with
  // live N_Delta/N > 0.4, C0 = 0.52; it would fail if its one dead-pattern run counted as a minimum
  4: 'pass',
  5: 'pass',
  // one L = 2 family in the regime, no deeper family of width >= 12 and no MNIST sweep with P >= 1000:
  // nothing to fit an exponent or compare depths on at this size
  6: 'inconclusive',
  // one family in the regime: no ratio of windows between sizes (its window 1.47 N, interval [0, 12.9])
  7: 'inconclusive',
  // no certified minimum at 1.00 to 1.10 P* at N = 300 (the ci scale has no refinement pass)
  8: 'inconclusive',
  // reported with its interval whatever the verdict (no 8 seeds at 1.00 to 1.05 P* at this size)
  9: 'reported',
  // MNIST P = 300: the cusp holds (peak 0.207 at N = 60 against 0.187 below and 0.158 at N = 276),
  // but the control's end-of-training cusp on the second half does not, and the one budget run
  // moves N*: counted as fitted the claim fails, counted as a minimum it is inconclusive
  10: 'inconclusive',
  // MNIST P = 300 (4 seeds): sigma falls like N^(-0.38) [-0.50, -0.30] over N >= 10 N*, faster than
  // the papers' N^(-1/4); the plateau exponent a = 0.80 [0.41, 2.4] is too wide to decide
  11: 'fail',
};

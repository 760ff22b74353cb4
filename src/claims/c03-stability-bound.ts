import type { Claim } from './claim.ts';
import { tableBlock } from './claim.ts';
import type { RunRecord } from '../run/record.ts';
import type { SoftplusFamily } from '../experiment/scales.ts';
import { isDeadPatternRun } from '../experiment/transition.ts';
import { weightCount } from '../model/architecture.ts';
import { fixedNFamilies, ofKind } from './select.ts';
import { apartOf } from './apart.ts';
import { wilson } from './intervals.ts';
import type { TrendPoint } from './trend.ts';
import { HESS_RTOL } from '../analyse/certificate.ts';

/** Claim 3 passes only on at least this many deciding minima (softplus, smooth, N_Delta < Ntot). */
export const MIN_DECIDING = 10;

/**
 * N_-(Hp) counted at the resolution the minimum is known to (claim 3; SCIENCE.md, "Thresholds"): the
 * eigenvalues of Hp below -(tol + m), m = max(0, -lambda_min(H)) but at most the smooth certificate's
 * allowance 1e-6 max|lambda(H)|. On the eigenvectors of H0 at or below tol (codimension rank(H0) <=
 * N_Delta), Hp = H - H0 >= -(m + tol), so at a minimum at most N_Delta eigenvalues of Hp lie below the
 * line; a saddle that passed as a minimum (H below the allowance) can exceed it. Counting at tol alone
 * reads the certificate's slack as a violation (measured: 2 of 37 minima of d = h = 8, L = 1, beta = 2
 * near P*). Where H has no eigenvalue below -tol the record's count serves; otherwise the stored
 * eigenvalues are needed (spectra 'full'), and without them the count is undefined (unresolved).
 */
export function resolvedNegatives(r: RunRecord): number | undefined {
  const sp = r.spectra;
  if (!sp) return undefined;
  if (sp.eigHp) {
    const m = Math.min(Math.max(0, -sp.minEigH), HESS_RTOL * sp.scale);
    return sp.eigHp.filter((v) => v < -(sp.tolerance + m)).length;
  }
  return sp.nNegH === 0 ? sp.nNegHp : undefined;
}

/** Where a jammed run stands in claim 3 (only `deciding` is evidence). */
export type Standing = 'deciding' | 'cannot violate' | 'unresolved' | 'not smooth' | 'dead patterns';

/** Claim 3's classes of a softplus minimum with spectra, in the order of the tests. */
export function standingOf(r: RunRecord): Standing {
  if (isDeadPatternRun(r)) return 'dead patterns';
  if (r.results.certificate?.kind !== 'smooth') return 'not smooth';
  // N_- <= Ntot < N_Delta holds whatever the spectrum: such a minimum cannot violate the bound
  if (r.results.nDelta >= r.results.Ntot) return 'cannot violate';
  return resolvedNegatives(r) === undefined ? 'unresolved' : 'deciding';
}

const holds = (r: RunRecord) => (resolvedNegatives(r) ?? r.spectra!.nNegHp) <= r.results.nDelta;
const isMinimum = (r: RunRecord) => r.results.verdict === 'jammed' && r.spectra !== undefined;

/** The runs of one softplus family of the scale (the tag holds only P and seed). */
function ofFamily(rs: readonly RunRecord[], s: SoftplusFamily): RunRecord[] {
  return rs.filter((r) => {
    const { model, data } = r.item.config;
    return model.h === s.h && model.L === s.L && model.beta === s.beta && data.kind === 'random' && data.d === s.d;
  });
}

function share(rs: readonly RunRecord[], test: (r: RunRecord) => boolean, N: number, series: string, inRegime: boolean): TrendPoint {
  const k = rs.filter(test).length;
  const i = wilson(k, rs.length);
  return { N, value: rs.length ? k / rs.length : NaN, low: i.low, high: i.high, series, inRegime, n: rs.length };
}

export const claim3: Claim = {
  id: 3,
  title: 'Stability bound N_-(Hp) <= N_Delta',
  statement: 'At a local minimum H is positive semi-definite, so Hp has at most rank(H0) <= N_Delta negative eigenvalues: N_- <= N_Delta.',
  source: 'arXiv:1809.09349 Sec. III; talk "Upper bound"',
  paperValue: 'N_- <= N_Delta at every minimum',
  regime:
    'softplus minima with a smooth certificate and N_Delta < Ntot (where the Hessian argument applies exactly and N_- could exceed N_Delta); softplus minima with N_Delta >= Ntot, linear (L = 0) minima (a control of the counting: Hp = 0) and ReLU minima of the fixed-N families are reported outside it',
  passRule: `On the deciding minima (softplus, verdict jammed, smooth certificate, not a dead-pattern run, N_Delta < Ntot), N_-(Hp) is counted at the resolution of the minimum: the eigenvalues of Hp below -(tol + m), tol the counting threshold of SCIENCE.md "Thresholds" and m = max(0, -lambda_min(H)) but at most the smooth certificate's allowance 1e-6 max|lambda(H)| (the record's count at tol where H has no eigenvalue below -tol). Fail if any deciding minimum has N_- > N_Delta; pass if at least ${MIN_DECIDING} minima decide and none violates; inconclusive otherwise. A softplus minimum with N_Delta >= Ntot cannot violate the bound (N_- <= Ntot) and is reported, not counted; one whose H has eigenvalues below -tol without stored eigenvalues is reported unresolved. Linear (L = 0) minima are a control (Hp = 0 exactly, so N_- must be 0) and never evidence; ReLU minima are reported with their counts; dead-pattern and budget runs are listed apart.`,
  ruleChange:
    'Was: N_-(Hp) <= N_Delta at every jammed minimum with a smooth certificate, counted at the threshold tol, deciding on any number of them. Now: only softplus minima with N_Delta < Ntot decide, N_- is counted at the resolution of the minimum (below -(tol + m), m = -lambda_min(H) within the allowance of the certificate, 1e-6 max|lambda(H)|), at least 10 are needed to pass, and linear minima are a control, not evidence. Why: the last full report decided on 11 minima of which 9 were linear (Hp = 0, so N_- = 0 whatever happens) and 2 softplus with N_Delta = 173 and 289 above Ntot = 37, where N_- <= Ntot < N_Delta always holds: the rule could not fail. And a smooth certificate bounds lambda_min(H) only to -1e-6 lambda_max: a measured softplus minimum (d = h = 8, L = 1, beta = 1, P = 160) had 26 eigenvalues of H between -6e-7 and -tol and 32 of Hp below -tol against N_Delta = 19, but 3 at its resolution; 2 of the 37 minima measured for the full scale would have failed the old count the same way.',
  uses: ['softplus', 'linear', 'fixedN'],
  decide(tagged, scale) {
    const softplus = ofKind(tagged, 'softplus').map((t) => t.record);
    const minima = softplus.filter(isMinimum);
    const by = (s: Standing) => minima.filter((r) => standingOf(r) === s);
    const deciding = by('deciding');
    const viol = deciding.filter((r) => !holds(r));
    const linear = ofKind(tagged, 'linear').map((t) => t.record).filter(isMinimum);
    const linearZero = linear.filter((r) => r.spectra!.nNegHp === 0);
    const relu = ofKind(tagged, 'fixedN').map((t) => t.record).filter(isMinimum);
    const reluViol = relu.filter((r) => r.spectra!.nNegHp > r.results.nDelta);
    const apart = apartOf(softplus);
    const verdict = viol.length > 0 ? 'fail' : deciding.length >= MIN_DECIDING ? 'pass' : 'inconclusive';
    const worst = deciding.reduce((m, r) => Math.max(m, resolvedNegatives(r)! / r.results.nDelta), 0);
    const rows = [
      ...minima.map((r) => ({ nDelta: r.results.nDelta, nNeg: resolvedNegatives(r) ?? r.spectra!.nNegHp, series: `softplus: ${standingOf(r)}` })),
      ...linear.map((r) => ({ nDelta: r.results.nDelta, nNeg: r.spectra!.nNegHp, series: 'linear control (Hp = 0)' })),
      ...relu.map((r) => ({ nDelta: r.results.nDelta, nNeg: r.spectra!.nNegHp, series: isDeadPatternRun(r) ? 'ReLU, dead patterns' : 'ReLU minimum' })),
    ];
    const family = (s: SoftplusFamily) => `softplus d = ${s.d}, h = ${s.h}, L = ${s.L}, beta = ${s.beta}`;
    const trends = [
      {
        statistic: 'share of minima with N_-(Hp) <= N_Delta',
        paper: 1,
        interval: 'Wilson 95% interval over the minima',
        points: [
          ...scale.softplus.map((s) => share(ofFamily(deciding, s), holds, weightCount(s.d, s.h, s.L), `${family(s)} (N_Delta < Ntot, decides)`, true)),
          ...scale.softplus.map((s) => share(ofFamily(by('cannot violate'), s), holds, weightCount(s.d, s.h, s.L), `${family(s)}, N_Delta >= Ntot (cannot violate)`, false)),
          ...fixedNFamilies(tagged, scale).map((f) => share(f.records.filter((r) => isMinimum(r) && !isDeadPatternRun(r)), (r) => r.spectra!.nNegHp <= r.results.nDelta, f.N, `ReLU, L = ${f.family.L}`, false)),
        ],
      },
      {
        statistic: 'linear control: share of minima with N_-(Hp) = 0',
        paper: 1,
        interval: 'Wilson 95% interval over the minima',
        points: linear.length ? [share(linear, (r) => r.spectra!.nNegHp === 0, scale.linear.d, 'linear (L = 0)', false)] : [],
      },
    ];
    return {
      verdict,
      measured: `${deciding.length - viol.length}/${deciding.length} deciding softplus minima (N_Delta < Ntot) satisfy N_- <= N_Delta (need ${MIN_DECIDING}; largest N_-/N_Delta ${deciding.length ? worst.toFixed(2) : 'n/a'}); reported: ${by('cannot violate').length} with N_Delta >= Ntot, ${by('unresolved').length} unresolved, ${by('not smooth').length} without a smooth certificate; linear control ${linearZero.length}/${linear.length} with N_- = 0; ReLU ${relu.length - reluViol.length}/${relu.length}; ${apart.dead.length} dead-pattern and ${apart.budget.length} budget softplus runs set apart`,
      details: [
        tableBlock(
          ['set', 'minima', 'N_-(Hp) <= N_Delta', 'violations'],
          [
            ['softplus, smooth certificate, N_Delta < Ntot (decides)', deciding.length, deciding.length - viol.length, viol.length],
            ['softplus, N_Delta >= Ntot (cannot violate; reported)', by('cannot violate').length, by('cannot violate').filter(holds).length, ''],
            ['softplus, H below -tol and no stored eigenvalues (unresolved; reported)', by('unresolved').length, '', ''],
            ['softplus without a smooth certificate (reported)', by('not smooth').length, '', ''],
            ['softplus with dead patterns (listed apart)', apart.dead.length, '', ''],
            ['softplus budget runs (not minima)', apart.budget.length, '', ''],
            ['linear control, L = 0 (Hp = 0: N_- = 0 expected)', linear.length, linearZero.length, linear.length - linearZero.length],
            ['ReLU (non-smooth certificates), outside the regime', relu.length, relu.length - reluViol.length, reluViol.length],
          ],
        ),
      ],
      figures: rows.length ? [{ name: 'claim3-negative-vs-ndelta', caption: 'N_-(Hp) against N_Delta at minima (softplus at the resolution of the minimum); the line is N_- = N_Delta.', plot: { kind: 'negativeVsNDelta', rows } }] : [],
      trends,
      values: {
        deciding: deciding.length,
        violations: viol.length,
        largestRatio: deciding.length ? worst : null,
        cannotViolate: by('cannot violate').length,
        unresolved: by('unresolved').length,
        notSmooth: by('not smooth').length,
        linear: linear.length,
        linearNonzero: linear.length - linearZero.length,
        relu: relu.length,
        reluViolations: reluViol.length,
        dead: apart.dead.length,
        budget: apart.budget.length,
      },
    };
  },
};

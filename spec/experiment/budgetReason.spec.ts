/** Why a budget run stopped, read off its record (experiment/budgetReason.ts). */
import { describe, expect, it } from 'vitest';
import { budgetReason, certificateFailure, evaluationsText } from '../../src/experiment/budgetReason.ts';
import type { RunRecord } from '../../src/run/record.ts';
import type { NonsmoothCertificate } from '../../src/train/minimumCertificate.ts';
import type { Phase } from '../../src/train/minimise.ts';
import { runRecord } from '../claims/fixtures.ts';

const STATIONARY = [1e-3, 1e-4, 1e-5].map((r) => ({ radius: r * 30, samples: 311, minNorm: 1e-5, ratio: 2e-3 }));

function cert(perturbations: NonsmoothCertificate['perturbations'], sampling = STATIONARY): NonsmoothCertificate {
  return { kind: 'nonsmooth', passed: false, gradientScale: 1, gradientNorm: 1e-3, sampling, perturbations, evaluations: 10_000 };
}

/** A budget run of the default on ReLU, budget 500k, with these phases and last certificate. */
function budgetRun(phases: Phase[], loss: number, certificate?: NonsmoothCertificate, extra: { loss?: 'crossEntropy'; budget?: number } = {}): RunRecord {
  const r = runRecord({ P: 825, N: 300, seed: 1001, h: 12, L: 2, verdict: 'budget', liveNDelta: 150 });
  const used = phases.reduce((s, p) => s + p.evaluations, 0);
  const { certificate: _c, ...results } = r.results;
  return {
    ...r,
    item: { ...r.item, config: { ...r.item.config, ...(extra.loss ? { loss: { kind: extra.loss, kappa: 1 } } : {}), train: { ...r.item.config.train, maxEvaluations: extra.budget ?? 500_000 } } },
    results: { ...results, loss, phases, gradientEvaluations: used, ...(certificate ? { certificate } : {}) },
  } as RunRecord;
}

const phase = (name: string, reason: Phase['reason'], evaluations: number): Phase => ({ name, reason, evaluations, steps: evaluations });

describe('budgetReason', () => {
  it('says nothing of a run that is not budget', () => {
    expect(budgetReason(runRecord({ P: 100, N: 300, seed: 1 }))).toBeUndefined();
    expect(budgetReason(runRecord({ P: 900, N: 300, seed: 1, liveNDelta: 150 }))).toBeUndefined();
  });

  it('a first descent that spent the whole budget', () => {
    const r = budgetRun([phase('adam0 with plateau decays', 'budget', 500_000)], 2.12e-10);
    expect(budgetReason(r)).toBe('budget spent while still descending (last phase adam0 with plateau decays, 500k evaluations without a plateau at the lr floor, no certificate reached; loss 2.1e-10)');
  });

  it('a descent after a failed certificate: how far it went, per 10k evaluations', () => {
    // the certificate's restart went 0.201% lower, to 0.0753; the descent from there ended at 0.0700 after 240k
    const c = cert([{ size: 0, loss: 0.0753, drop: 2.01e-3, evaluations: 8736 }]);
    const r = budgetRun([phase('adam0 with plateau decays', 'converged', 250_001), phase('certificate 0: failed', 'budget', 9715), phase('adam (descent 1)', 'budget', 240_284)], 0.07, c);
    const drop = (0.0753 - 0.07) / 0.0753;
    expect(budgetReason(r)).toBe(`budget spent while still descending (last phase adam (descent 1), down ${Number((100 * drop).toPrecision(2))}% in its 240k evaluations, ${Number(((100 * drop) / 24.0284).toPrecision(2))}% per 10k; loss 0.070)`);
    // a short last descent gives no rate per 10k
    const short = budgetRun([phase('adam0 with plateau decays', 'converged', 497_000), phase('certificate 0: failed', 'budget', 2000), phase('adam (descent 1)', 'budget', 1000)], 0.0752, c);
    expect(budgetReason(short)).toMatch(/down 0\.13% in its 1k evaluations; loss 0\.075\)$/);
  });

  it('a certificate failing when the budget ended: which test failed', () => {
    const phases = [phase('adam0 with plateau decays', 'converged', 480_000), phase('certificate 0: failed', 'budget', 20_000)];
    expect(budgetReason(budgetRun(phases, 0.1, cert([{ size: 0, loss: 0.0996, drop: 1e-4, evaluations: 100_000 }, { size: 1e-3, loss: 0.0997, drop: 3e-3, evaluations: 4200 }])))).toBe(
      'certificate failing when the budget ended (certificate 0): perturbed trial (size 1e-3) 0.3% lower after 4.2k evaluations',
    );
    expect(budgetReason(budgetRun(phases, 0.1, cert([{ size: 0, loss: 0.0996, drop: 3.5e-3, evaluations: 40_000 }])))).toBe(
      'certificate failing when the budget ended (certificate 0): restart from the point 0.35% lower after 40k evaluations',
    );
    const loose = [STATIONARY[0], { ...STATIONARY[1], ratio: 3.4e-2 }, STATIONARY[2]];
    expect(budgetReason(budgetRun(phases, 0.1, cert([{ size: 0, loss: 0.1, drop: 0, evaluations: 100_000 }], loose)))).toBe(
      'certificate failing when the budget ended (certificate 0): not stationary at radius 1e-4 |theta| (hull 0.034 of the gradient scale, allowed 0.01)',
    );
  });

  it('a smooth network whose smooth certificate fails when the budget ends', () => {
    const phases = [phase('lbfgs', 'budget', 5000), phase('newton (polish) (round 3)', 'converged', 480_000), phase('smooth certificate 3: failed', 'budget', 15_000)];
    const kinked = { kind: 'kinked' as const, gradientNorm: 3e-5, gradientScale: 1, lambdaMin: -2e-3, lambdaMax: 1, kinks: 0 };
    const r = budgetRun(phases, 0.3);
    expect(budgetReason({ ...r, results: { ...r.results, certificate: kinked } })).toBe(
      'certificate failing when the budget ended (smooth certificate 3): gradient 3e-5 of its scale (allowed 1e-6); lambda_min(H) -0.002 of lambda_max (allowed -1e-6)',
    );
  });

  it('a descent at its plateau with too little left for the certificate', () => {
    const r = budgetRun([phase('adam0 with plateau decays', 'converged', 499_999)], 0.05);
    expect(budgetReason(r)).toBe('descent stopped at its plateau (last phase adam0 with plateau decays) with 1 of 500k evaluations left: too few for the certificate (loss 0.050)');
  });

  it('a smooth run whose last phase stopped at its cap, far inside the budget', () => {
    const r = budgetRun([phase('lbfgs', 'budget', 5000), phase('adam lr 1e-3', 'converged', 1000), phase('adam lr 1e-4', 'converged', 1000), phase('lbfgs (polish)', 'budget', 5000), phase('newton (polish)', 'budget', 3035)], 0.303);
    expect(budgetReason(r)).toBe('last phase newton (polish) stopped at its cap of 3k evaluations while still descending (15k of the 500k budget used; loss 0.30)');
  });

  it('cross-entropy, which never reaches zero', () => {
    const r = budgetRun([phase('adam0 with plateau decays', 'budget', 20_000)], 8.48e-5, undefined, { loss: 'crossEntropy', budget: 20_000 });
    expect(budgetReason(r)).toBe('cross-entropy never reaches zero loss: budget of 20k spent (loss 0.000085)');
  });

  it('words its numbers briefly', () => {
    expect([812, 1000, 4200, 10_001, 500_000, 1_250_000, 2_000_000].map(evaluationsText)).toEqual(['812', '1k', '4.2k', '10k', '500k', '1.25M', '2M']);
    expect(certificateFailure(cert([]))).toBe('not passed');
  });
});

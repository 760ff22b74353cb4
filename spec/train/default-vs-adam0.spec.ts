import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { ADAM0_INSTANCES, instanceObjective } from '../../src/train/adam0Instances.ts';
import { allAdam0References, adam0Reference } from '../../src/train/adam0Reference.ts';
import { minimise } from '../../src/train/minimise.ts';
import { initialParameters } from '../../src/model/init.ts';
import { evaluate } from '../../src/loss/objective.ts';

/**
 * Issue 3: the fast default may be the default only if it gives the verdicts of the authors'
 * protocol (adam0, full budget) on fixed instances on both sides of the transition. adam0 needs
 * 1M to 2M evaluations on a jammed instance (minutes each), so its outcomes are fixtures made by
 * scripts/adam0-reference.mts; the cheapest instance is re-run here to prove they are current.
 *
 * The rule, fixed from the physics rather than from these results:
 * - adam0 fitted  => the default is fitted (it never calls jammed what the authors' protocol fits);
 * - adam0 jammed  => the default is jammed, or fitted with a loss exactly 0 in float64: a zero-loss
 *   point is a certificate that no verdict of "jammed" can outweigh (the authors' runs that ended
 *   with N_Delta = 1 to 4 are of this kind: SCIENCE.md set-up, "precision");
 * - where both are jammed, N_Delta of both is reported: they reach different minima, so N_Delta is
 *   compared in the report, not asserted here;
 * - the default spends at most 1/20 of adam0's gradient evaluations wherever the verdicts agree.
 */
describe('the default minimiser against adam0 (fixtures/adam0-reference)', () => {
  it('the adam0 fixtures are current: re-running the cheapest instance reproduces it bit for bit', async () => {
    const refs = allAdam0References();
    const cheapest = refs.reduce((a, b) => (b.gradientEvaluations < a.gradientEvaluations ? b : a));
    const obj = instanceObjective(cheapest.instance);
    const r = await minimise(obj, initialParameters(obj.arch, cheapest.instance.seed), { optimizer: 'adam0', engine: 'float64' });
    expect(r.verdict).toBe(cheapest.verdict);
    expect(r.gradientEvaluations).toBe(cheapest.gradientEvaluations);
    expect(createHash('sha256').update(Buffer.from(r.theta.buffer)).digest('hex')).toBe(cheapest.thetaSha256);
  });

  for (const inst of ADAM0_INSTANCES) {
    it(`${inst.name}: same verdict as adam0, or an exact zero adam0 missed; >= 20x fewer evaluations`, async () => {
      const ref = adam0Reference(inst.name)!;
      expect(ref, 'fixture').not.toBeNull();
      const obj = instanceObjective(inst);
      const r = await minimise(obj, initialParameters(obj.arch, inst.seed), { optimizer: 'default', engine: 'float64' });
      const line = `${inst.name}: adam0 ${ref.verdict} (N_Delta ${ref.nDelta}, ${ref.gradientEvaluations} evals) | default ${r.verdict} (N_Delta ${r.evaluation.nDelta}, ${r.gradientEvaluations} evals)`;
      console.log(line);
      if (ref.verdict === 'fitted') expect(r.verdict, line).toBe('fitted');
      if (ref.verdict === 'jammed') {
        expect(['jammed', 'fitted'], line).toContain(r.verdict);
        if (r.verdict === 'fitted') expect(evaluate(obj, r.theta).value, line).toBe(0);
      }
      if (r.verdict === ref.verdict) expect(r.gradientEvaluations * 20, line).toBeLessThanOrEqual(ref.gradientEvaluations);
    });
  }
});

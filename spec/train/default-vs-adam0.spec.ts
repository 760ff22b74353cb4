import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { ADAM0_INSTANCES, instanceObjective } from '../../src/train/adam0Instances.ts';
import { allAdam0Outcomes, adam0Outcome } from '../../src/train/adam0Outcomes.ts';
import { minimise } from '../../src/train/minimise.ts';
import { initialParameters } from '../../src/model/init.ts';
import { evaluate } from '../../src/loss/objective.ts';

/**
 * The default may be the default only if it reaches the outcomes of the authors' protocol (adam0,
 * full budget). On ReLU it follows adam0's own trajectory (train/plateauAdam.ts) and leaves it only
 * at a plateau, so the rule is strict where it can be. adam0 needs 1M to 2M evaluations on a jammed
 * instance (minutes each), so its outcomes are fixtures made by scripts/adam0-outcomes.mts; the
 * cheapest instance is re-run here to prove they are current.
 *
 * The rule, fixed from the physics rather than from these results:
 * - adam0 fitted  => the default is fitted, with adam0's very parameters and evaluation count when it
 *   fitted before its first plateau (it never kills a unit adam0 keeps alive: SCIENCE.md pitfalls);
 * - adam0 jammed  => the default is jammed (certified), or fitted with a loss exactly 0 in float64:
 *   a zero-loss point is a certificate that no verdict of "jammed" can outweigh;
 * - where both are jammed, the default ends no more than 1% above adam0's loss and spends at most 1/3
 *   of adam0's gradient evaluations (near jamming it needs adam0's own 200k steps at lr 1e-4);
 * - adam0 budget  => reported only (its outcome is unknown).
 */
describe('the default minimiser against adam0 (fixtures/adam0-outcomes)', () => {
  it('the adam0 fixtures are current: re-running the cheapest instance reproduces it bit for bit', async () => {
    const refs = allAdam0Outcomes();
    const cheapest = refs.reduce((a, b) => (b.gradientEvaluations < a.gradientEvaluations ? b : a));
    const obj = instanceObjective(cheapest.instance);
    const r = await minimise(obj, initialParameters(obj.arch, cheapest.instance.seed), { optimizer: 'adam0', engine: 'float64' });
    expect(r.verdict).toBe(cheapest.verdict);
    expect(r.gradientEvaluations).toBe(cheapest.gradientEvaluations);
    expect(createHash('sha256').update(Buffer.from(r.theta.buffer)).digest('hex')).toBe(cheapest.thetaSha256);
  });

  for (const inst of ADAM0_INSTANCES) {
    it(`${inst.name}: adam0's outcome (fitted: the same parameters; jammed: certified, as low, >= 3x fewer evaluations)`, async () => {
      const ref = adam0Outcome(inst.name)!;
      expect(ref, 'fixture').not.toBeNull();
      const obj = instanceObjective(inst);
      const r = await minimise(obj, initialParameters(obj.arch, inst.seed), { optimizer: 'default', engine: 'float64' });
      const line = `${inst.name}: adam0 ${ref.verdict} (loss ${ref.loss}, N_Delta ${ref.nDelta}, ${ref.gradientEvaluations} evals) | default ${r.verdict} (loss ${r.evaluation.value}, N_Delta ${r.evaluation.nDelta}, ${r.gradientEvaluations} evals)`;
      console.log(line);
      if (ref.verdict === 'fitted') {
        expect(r.verdict, line).toBe('fitted');
        if (r.phases.length === 1) {
          expect(r.gradientEvaluations, line).toBe(ref.gradientEvaluations);
          expect(createHash('sha256').update(Buffer.from(r.theta.buffer)).digest('hex'), line).toBe(ref.thetaSha256);
        }
      }
      if (ref.verdict === 'jammed') {
        expect(['jammed', 'fitted'], line).toContain(r.verdict);
        if (r.verdict === 'fitted') expect(evaluate(obj, r.theta).value, line).toBe(0);
        else {
          expect(r.evaluation.value, line).toBeLessThanOrEqual(ref.loss * 1.01);
          expect(r.gradientEvaluations * 3, line).toBeLessThanOrEqual(ref.gradientEvaluations);
        }
      }
    });
  }
});

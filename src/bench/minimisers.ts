import { ADAM0_INSTANCES, instanceObjective } from '../train/adam0Instances.ts';
import { adam0Outcome } from '../train/adam0Outcomes.ts';
import { minimise } from '../train/minimise.ts';
import { initialParameters } from '../model/init.ts';
import type { BenchRow, BenchSection } from './table.ts';
import { weightCount } from '../model/architecture.ts';

/**
 * Gradient evaluations to verdict, default against adam0 (the authors' protocol), on the fixed
 * instances of src/train/adam0Instances.ts. Evaluation counts are deterministic, so the committed
 * adam0 fixtures are the same numbers a fresh run gives (--fresh re-runs adam0: minutes per jammed
 * instance). The default follows adam0's trajectory until a plateau, so on fitted instances the
 * counts are equal; on jammed ones it saves the wait at each lr decade (spec/train/default-vs-adam0.spec.ts:
 * at least 3x).
 */
export async function benchMinimisers(opts: { fresh: boolean; log: (s: string) => void }): Promise<BenchSection> {
  const rows: BenchRow[] = [];
  for (const inst of ADAM0_INSTANCES) {
    const obj = instanceObjective(inst);
    const theta0 = initialParameters(obj.arch, inst.seed);
    const d = await minimise(obj, theta0, { optimizer: 'default', engine: 'float64' });
    let a: { verdict: string; nDelta: number; gradientEvaluations: number; source: string } | null = null;
    if (opts.fresh) {
      opts.log(`  adam0 on ${inst.name} (full budget) ...`);
      const r = await minimise(obj, theta0, { optimizer: 'adam0', engine: 'float64' });
      a = { verdict: r.verdict, nDelta: r.evaluation.nDelta, gradientEvaluations: r.gradientEvaluations, source: 'fresh' };
    } else {
      const ref = adam0Outcome(inst.name);
      if (ref) a = { verdict: ref.verdict, nDelta: ref.nDelta, gradientEvaluations: ref.gradientEvaluations, source: 'fixture' };
    }
    rows.push({
      instance: inst.name,
      'P/N': +(inst.P / weightCount(inst.d, inst.h, inst.L)).toFixed(2),
      'default verdict': d.verdict,
      'default N_Delta': d.evaluation.nDelta,
      'default evals': d.gradientEvaluations,
      'adam0 verdict': a?.verdict ?? 'missing',
      'adam0 N_Delta': a?.nDelta ?? '',
      'adam0 evals': a?.gradientEvaluations ?? '',
      'adam0/default': a ? +(a.gradientEvaluations / d.gradientEvaluations).toFixed(1) : '',
      'same verdict': a ? (a.verdict === d.verdict ? 'yes' : 'no') : '',
      adam0: a?.source ?? '',
    });
  }
  const agree = rows.filter((r) => r['same verdict'] === 'yes');
  const ratios = agree.map((r) => r['adam0/default'] as number);
  const worst = ratios.length ? Math.min(...ratios) : NaN;
  return {
    name: 'minimisers: gradient evaluations to verdict',
    note: `default vs adam0 on ${rows.length} fixed instances; identical verdicts on ${agree.length}; smallest ratio there ${worst} (target >= 20)`,
    rows,
  };
}

import type { TaggedRecord } from '../experiment/plan.ts';
import type { RunRecord } from '../run/record.ts';
import { isBudgetRun } from '../experiment/transition.ts';

/**
 * A budget run's outcome is unknown (SCIENCE.md, "Thresholds": the verdict of a run). Each claim
 * is decided twice, with every budget run taken as fitted and as a certified minimum at its end
 * point; a verdict stands only where both agree (decide.ts).
 */
export type BudgetWay = 'fitted' | 'jammed';

/** The record as if the run had ended `way`: fitted (loss and every count 0, so H = 0) or a certified minimum. */
export function countedAs(r: RunRecord, way: BudgetWay): RunRecord {
  const res = r.results;
  if (way === 'jammed') {
    const c = res.certificate;
    const certificate = c && c.kind === 'nonsmooth' ? { ...c, passed: true } : c;
    return { ...r, results: { ...res, verdict: 'jammed', ...(certificate ? { certificate } : {}) } };
  }
  const { spectra: _s, deltas: _d, deadIndices: _i, ...rest } = r;
  return {
    ...rest,
    results: {
      ...res,
      verdict: 'fitted',
      loss: 0,
      nDelta: 0,
      liveNDelta: 0,
      contactNDelta: 0,
      deadPatterns: 0,
      liveLoss: 0,
      deadLoss: 0,
      deadPatternRun: false,
      gradientNorm: 0,
    },
  };
}

/**
 * Whether a budget run's outcome is unknown. A cross-entropy run's is known: its loss never reaches
 * 0 (claim 1, infinite range), so `budget` is the only way it can end and it is never recounted.
 */
export function outcomeUnknown(r: RunRecord): boolean {
  return isBudgetRun(r) && r.item.config.loss.kind !== 'crossEntropy';
}

export function budgetRunsCountedAs(tagged: readonly TaggedRecord[], way: BudgetWay): TaggedRecord[] {
  return tagged.map((t) => (outcomeUnknown(t.record) ? { tag: t.tag, record: countedAs(t.record, way) } : t));
}

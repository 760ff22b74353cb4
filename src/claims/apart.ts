import type { RunRecord } from '../run/record.ts';
import { isBudgetRun, isDeadPatternRun } from '../experiment/transition.ts';
import type { ClaimVerdict } from './claim.ts';

/**
 * The runs a claim sets apart (no claim passes by setting runs apart). Budget runs
 * (outcome unknown) and dead-pattern runs (loss carried by patterns the network ignores) are
 * disjoint: a budget run is counted as budget whatever its dead patterns.
 */
export interface Apart {
  readonly dead: RunRecord[];
  readonly budget: RunRecord[];
}

export function apartOf(records: readonly RunRecord[]): Apart {
  return { dead: records.filter((r) => !isBudgetRun(r) && isDeadPatternRun(r)), budget: records.filter(isBudgetRun) };
}

export function apartLine(a: Apart): string {
  return `${a.dead.length} dead-pattern runs and ${a.budget.length} budget runs set apart`;
}

/** The verdict had some runs been counted the other way. */
export interface Alternative {
  /** e.g. "the 3 dead-pattern runs counted as jammed minima" */
  readonly counting: string;
  readonly verdict: ClaimVerdict;
}

const would: Record<ClaimVerdict, string> = { pass: 'would pass', fail: 'would fail', inconclusive: 'would be inconclusive' };

/** "; would fail if the 3 dead-pattern runs counted as jammed minima", for each alternative that changes the verdict. */
export function alternativesNote(verdict: ClaimVerdict, alternatives: readonly Alternative[]): string {
  if (alternatives.length === 0) return '';
  const changed = alternatives.filter((a) => a.verdict !== verdict);
  return changed.length ? `; ${changed.map((a) => `${would[a.verdict]} if ${a.counting}`).join('; ')}` : '; the verdict is the same whichever way they are counted';
}

/** Alternatives only where there is something to count. */
export function alternatives(list: readonly (Alternative & { readonly runs: number })[]): Alternative[] {
  return list.filter((a) => a.runs > 0).map(({ counting, verdict }) => ({ counting, verdict }));
}

import type { Claim, ClaimOutcome, ClaimVerdict } from './claim.ts';
import { CLAIMS } from './index.ts';
import type { TaggedRecord } from '../experiment/plan.ts';
import type { Scale } from '../experiment/scales.ts';
import { InputError } from '../util/errors.ts';
import type { JammingPoint } from '../experiment/jammingPoint.ts';
import { budgetRunsCountedAs, outcomeUnknown, type BudgetWay } from './budgetCounting.ts';
import { noteBlock } from './claim.ts';

export interface ClaimResult {
  readonly claim: Claim;
  readonly outcome: ClaimOutcome;
}

export function claimsById(ids?: readonly number[]): Claim[] {
  if (!ids) return [...CLAIMS];
  return ids.map((id) => {
    const c = CLAIMS.find((k) => k.id === id);
    if (!c) throw new InputError('--claim', id, `one of ${CLAIMS.map((k) => k.id).join(', ')}`);
    return c;
  });
}

/** A claim's outcome; one that throws is reported, not hidden. */
function decideOne(claim: Claim, tagged: readonly TaggedRecord[], scale: Scale, jammingPoints: readonly JammingPoint[]): ClaimOutcome {
  try {
    return claim.decide(tagged, scale, jammingPoints);
  } catch (e) {
    const text = (e as Error).stack ?? String(e);
    return { verdict: 'inconclusive', measured: `evaluation failed: ${(e as Error).message}`, details: [{ kind: 'code', text }], figures: [], trends: [], values: {} };
  }
}

/** The verdicts of a claim with every budget run counted one way, then the other. */
export interface BudgetWays {
  readonly budgetRuns: number;
  readonly fitted: { readonly verdict: ClaimVerdict; readonly measured: string };
  readonly jammed: { readonly verdict: ClaimVerdict; readonly measured: string };
}

/**
 * Each claim's verdict on the shared sweep. A budget run's outcome is unknown, so where the claim's
 * runs include budget runs it is decided twice, with them counted as fitted and as certified
 * minima, and its verdict stands only where both agree; otherwise it is inconclusive, with both
 * (SCIENCE.md, "The claims"). The outcome shown (tables, figures) is the one with them set apart.
 */
export function decideClaims(claims: readonly Claim[], tagged: readonly TaggedRecord[], scale: Scale, jammingPoints: readonly JammingPoint[] = []): ClaimResult[] {
  return claims.map((claim) => {
    const apart = decideOne(claim, tagged, scale, jammingPoints);
    const budgetRuns = tagged.filter((t) => claim.uses.includes(t.tag.kind) && outcomeUnknown(t.record)).length;
    if (budgetRuns === 0) return { claim, outcome: apart };
    const way = (w: BudgetWay) => {
      const o = decideOne(claim, budgetRunsCountedAs(tagged, w), scale, jammingPoints);
      return { verdict: o.verdict, measured: o.measured };
    };
    const ways: BudgetWays = { budgetRuns, fitted: way('fitted'), jammed: way('jammed') };
    const agree = ways.fitted.verdict === ways.jammed.verdict;
    const verdict: ClaimVerdict = agree ? ways.fitted.verdict : 'inconclusive';
    const line = `budget runs (${budgetRuns}) counted as fitted: ${ways.fitted.verdict}; as certified minima: ${ways.jammed.verdict}`;
    const outcome: ClaimOutcome = {
      ...apart,
      verdict,
      measured: `${apart.measured}; ${line}${agree ? '' : ' (they disagree: inconclusive)'}`,
      details: [
        ...apart.details,
        noteBlock(`With the ${budgetRuns} budget runs counted as fitted: ${ways.fitted.measured}`),
        noteBlock(`With the ${budgetRuns} budget runs counted as certified minima at their end points: ${ways.jammed.measured}`),
      ],
      values: { ...apart.values, budgetWays: ways, verdictSetApart: apart.verdict },
    };
    return { claim, outcome };
  });
}

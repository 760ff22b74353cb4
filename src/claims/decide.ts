import type { Claim, ClaimOutcome } from './claim.ts';
import { CLAIMS } from './index.ts';
import type { TaggedRecord } from '../experiment/plan.ts';
import type { Scale } from '../experiment/scales.ts';
import { InputError } from '../util/errors.ts';
import type { JammingPoint } from '../experiment/jammingPoint.ts';

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

/** Each claim's verdict on the shared sweep; a claim that throws is reported, not hidden. */
export function decideClaims(claims: readonly Claim[], tagged: readonly TaggedRecord[], scale: Scale, jammingPoints: readonly JammingPoint[] = []): ClaimResult[] {
  return claims.map((claim) => {
    try {
      return { claim, outcome: claim.decide(tagged, scale, jammingPoints) };
    } catch (e) {
      return {
        claim,
        outcome: { verdict: 'inconclusive', measured: `evaluation failed: ${(e as Error).message}`, details: [{ kind: 'code', text: (e as Error).stack ?? String(e) }], figures: [], trends: [], values: {} },
      };
    }
  });
}

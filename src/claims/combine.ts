import type { ClaimVerdict } from './claim.ts';

/**
 * The verdict of a claim that decides on several families or parts: fail when one that decides
 * fails, pass when at least one decides and all that decide pass, else inconclusive.
 */
export function combine(verdicts: readonly ClaimVerdict[]): ClaimVerdict {
  if (verdicts.includes('fail')) return 'fail';
  return verdicts.includes('pass') ? 'pass' : 'inconclusive';
}

/** Every part must decide and pass; a failing part fails the whole. */
export function all(verdicts: readonly ClaimVerdict[]): ClaimVerdict {
  if (verdicts.includes('fail')) return 'fail';
  return verdicts.length > 0 && verdicts.every((v) => v === 'pass') ? 'pass' : 'inconclusive';
}

import { describe, it, expect, beforeAll } from 'vitest';
import { runScale, type ScaleRun } from '../../src/experiment/runScale.ts';
import { scaleByName } from '../../src/experiment/scales.ts';
import { evaluateClaims } from '../../src/claims/evaluate.ts';
import { CLAIMS } from '../../src/claims/index.ts';
import { progressDisplay } from '../../src/experiment/progress.ts';
import { EXPECTED } from './expected.ts';

/**
 * Each claim of SCIENCE.md at the `ci` scale. All claims share one sweep, run once here on every core
 * and stored as it goes (reports/store/ci.sqlite): a second `npm test` reads it back and recomputes
 * nothing. The pass rules live in src/claims/*; the expected verdicts below are the science at this
 * size, and where one is not 'pass' the finding is written beside it.
 */
const scale = scaleByName('ci');
let run: ScaleRun;
beforeAll(async () => {
  run = await runScale(scale, { progress: progressDisplay({ label: 'ci sweep (claims)', intervalMs: 30_000 }) });
}, 1_800_000);


describe('the claims at the ci scale', () => {
  it('the ci sweep completed with no failed run', () => {
    expect(run.failures).toEqual([]);
    expect(run.tagged.length).toBeGreaterThan(100);
  });
  for (const claim of CLAIMS) {
    it(`claim ${claim.id}: ${claim.title}`, () => {
      const [r] = evaluateClaims([claim], run.tagged, scale, run.jammingPoints);
      console.log(`claim ${claim.id}: ${r.outcome.verdict} | ${r.outcome.measured}`);
      if (EXPECTED[claim.id] === 'reported') expect(['pass', 'fail', 'inconclusive']).toContain(r.outcome.verdict);
      else expect(r.outcome.verdict, r.outcome.measured).toBe(EXPECTED[claim.id]);
    });
  }
});

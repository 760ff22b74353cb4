import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScale } from '../../src/experiment/runScale.ts';
import { SCALE_DEFS, type Scale } from '../../src/experiment/scales.ts';
import { decideClaims, claimsById } from '../../src/claims/decide.ts';
import { EXPECTED } from './expected.ts';

/**
 * A test that cannot fail is a defect: with a step budget far too small (150 gradient evaluations
 * a run), training stops before the runs reach their verdicts, and the claim specs must notice:
 * claim 5 ("every seed is fitted for N >= 1.5 N*", expected 'pass' at the ci scale) must then get
 * another verdict, so spec/claims/claims.spec.ts would fail on such a sweep.
 */
const earlyStopped: Scale = {
  ...SCALE_DEFS.ci,
  name: 'ci',
  fixedN: [{ L: 2, width: 8, ratios: [0.5, 1, 1.5, 2, 2.5, 3, 4], seeds: [0, 1, 2] }],
  mnist: [],
  softplus: [],
  maxEvaluations: 150,
};

describe('controls', () => {
  it('early-stopped training (150 gradient evaluations) makes the claim 5 spec fail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jamming-early-'));
    const run = await runScale(earlyStopped, { storePath: join(dir, 'early.sqlite'), workers: 0, kinds: ['fixedN'] });
    const [r] = decideClaims(claimsById([5]), run.tagged, earlyStopped);
    console.log(`early-stopped claim 5: ${r.outcome.verdict} | ${r.outcome.measured}`);
    expect(EXPECTED[5]).toBe('pass');
    expect(r.outcome.verdict).not.toBe(EXPECTED[5]);
  });
});

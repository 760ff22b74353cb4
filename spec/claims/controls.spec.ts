import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScale } from '../../src/experiment/runScale.ts';
import { SCALE_DEFS, type Scale } from '../../src/experiment/scales.ts';
import { evaluateClaims, claimsById } from '../../src/claims/evaluate.ts';

/**
 * A test that cannot fail is a defect: with a step budget far too small, training stops before the
 * over-parametrized runs reach zero loss, and claim 5 ("every seed is fitted for N >= 1.5 N*") must
 * then fail. Same sizes as the ci scale's main family, 150 gradient evaluations per run.
 */
const earlyStopped: Scale = {
  ...SCALE_DEFS.ci,
  name: 'ci',
  fixedN: [{ L: 2, width: 8, ratios: [0.5, 1, 1.5, 2, 2.5, 3], seeds: [0, 1, 2] }],
  mnist: [],
  softplus: [],
  maxEvaluations: 40,
};

describe('controls', () => {
  it('early-stopped training (40 gradient evaluations) makes claim 5 fail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jamming-early-'));
    const run = await runScale(earlyStopped, { storePath: join(dir, 'early.sqlite'), workers: 0, kinds: ['fixedN'] });
    const [r] = evaluateClaims(claimsById([5]), run.tagged, earlyStopped);
    console.log(`early-stopped claim 5: ${r.outcome.verdict} | ${r.outcome.measured}`);
    expect(r.outcome.verdict).toBe('fail');
  });
});

import { describe, it, expect } from 'vitest';
import { CLAIMS } from '../../src/claims/index.ts';
import { decideClaims } from '../../src/claims/decide.ts';
import { claim1 } from '../../src/claims/c01-finite-range.ts';
import { claim2 } from '../../src/claims/c02-hessian-structure.ts';
import { fixedNSweep, scaleOf, seedsFrom } from './fixtures.ts';
import type { FixedNFamily } from '../../src/experiment/scales.ts';
import type { TaggedRecord } from '../../src/experiment/plan.ts';

/** Every claim declares its regime, its pass rule and what changed in it, before any result. */
describe('the claims declare their regime and rule before any result', () => {
  it('claims 1 to 11, in order', () => {
    expect(CLAIMS.map((c) => c.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });
  it('each has a regime and a pass rule', () => {
    for (const c of CLAIMS) {
      expect(c.regime.length, `claim ${c.id}`).toBeGreaterThan(10);
      expect(c.passRule.length, `claim ${c.id}`).toBeGreaterThan(40);
    }
  });
  it('the rules of claims 3 to 11 changed since the last report (with a reason), 1 and 2 are unchanged', () => {
    const changed = CLAIMS.filter((c) => c.ruleChange !== null).map((c) => c.id);
    expect(changed).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    for (const c of CLAIMS.filter((k) => k.ruleChange !== null)) expect(c.ruleChange, `claim ${c.id}`).toMatch(/Was: .*Now: .*Why: /s);
  });
  it('no claim passes on an empty sweep, and none throws', () => {
    const results = decideClaims(CLAIMS, [], scaleOf({}));
    for (const r of results) {
      expect(r.outcome.measured, `claim ${r.claim.id}`).not.toMatch(/evaluation failed/);
      expect(r.outcome.verdict, `claim ${r.claim.id}`).not.toBe('pass');
    }
  });
});

// claim 3 (rule changed): spec/claims/c03-stability-bound.spec.ts
describe('claims 1 and 2 (rules unchanged) report their statistic per size', () => {
  const fam: FixedNFamily = { L: 2, width: 12, ratios: [1.5, 2, 3, 3.5], seeds: seedsFrom(100, 3) };
  const tagged = (): TaggedRecord[] => fixedNSweep(fam, ({ ratio, N }) => (ratio < 2.75 ? {} : { liveNDelta: Math.round(0.6 * N) }));
  const ce = (): TaggedRecord[] => [{ tag: { kind: 'crossEntropy', P: 100, seed: 100 }, record: { results: { loss: 1e-3, verdict: 'budget' } } as never }];
  it('claim 1 passes on consistent runs and fails on a fitted run with loss > 0', () => {
    const t = [...tagged(), ...ce()];
    expect(claim1.decide(t, scaleOf({ fixedN: [fam] }), []).verdict).toBe('pass');
    (t[0].record.results as { loss: number }).loss = 1e-20;
    const r = claim1.decide(t, scaleOf({ fixedN: [fam] }), []);
    expect(r.verdict).toBe('fail');
    expect(r.trends[0].points[0].value).toBeGreaterThan(0);
  });
  it('claim 2 fails when rank(H0) exceeds N_Delta', () => {
    const t = tagged();
    expect(claim2.decide(t, scaleOf({ fixedN: [fam] }), []).verdict).toBe('pass');
    const j = t.find((x) => x.record.spectra)!;
    (j.record.spectra as { rankH0: number }).rankH0 = j.record.results.nDelta + 1;
    expect(claim2.decide(t, scaleOf({ fixedN: [fam] }), []).verdict).toBe('fail');
  });
});

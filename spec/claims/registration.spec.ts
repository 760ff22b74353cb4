import { describe, it, expect } from 'vitest';
import { execSync } from 'node:child_process';
import { itemKey } from '../../src/run/key.ts';
import { CLAIMS } from '../../src/claims/index.ts';
import { ruleDigest, ruleFiles, claimModule } from '../../src/claims/ruleDigest.ts';
import { registrationStatus } from '../../src/claims/registration.ts';
import { historyOnRuns, oldRuleVerdicts, splitChange } from '../../src/claims/oldRules.ts';
import { RULE_HISTORY } from '../../src/claims/ruleHistory.ts';
import { openStore } from '../../src/experiment/store.ts';
import { claim1 } from '../../src/claims/c01-finite-range.ts';
import { claim2 } from '../../src/claims/c02-hessian-structure.ts';
import { fixedNSweep, scaleOf, seedsFrom } from './fixtures.ts';
import type { FixedNFamily } from '../../src/experiment/scales.ts';

/** Rules registered before their runs (SCIENCE.md, "The claims"), and the rule history. */
const fam: FixedNFamily = { L: 2, width: 12, ratios: [1.5, 3], seeds: seedsFrom(100, 3) };
const tagged = fixedNSweep(fam, ({ ratio, N }) => (ratio < 2 ? {} : { liveNDelta: Math.round(0.6 * N) }));

describe('rule digests', () => {
  it('each claim has its own module and a digest over its texts and its rule code', () => {
    for (const c of CLAIMS) {
      const d = ruleDigest(c);
      expect(d.digest).toMatch(/^[0-9a-f]{64}$/);
      expect(d.files.some((f) => claimModule(c.id).endsWith(f))).toBe(true);
      expect(d.files).toContain('src/claims/decide.ts');
    }
    expect(new Set(CLAIMS.map((c) => ruleDigest(c).digest)).size).toBe(CLAIMS.length);
  });
  it('a change of the rule text changes the digest', () => {
    expect(ruleDigest({ ...claim1, passRule: `${claim1.passRule} ` }).digest).not.toBe(ruleDigest(claim1).digest);
  });
  it('follows imports into claims, stats and the transition estimates, not into the model', () => {
    const files = ruleFiles(claimModule(6));
    expect(files).toContain('src/experiment/transition.ts');
    expect(files.some((f) => f.startsWith('src/model/') || f.startsWith('src/train/'))).toBe(false);
  });
});

describe('registration in the store', () => {
  it('a rule registered before its runs says so; one registered after says no', async () => {
    const store = openStore(':memory:');
    const d1 = ruleDigest(claim1).digest;
    store.registerRules([{ claim: 1, digest: d1 }], 'abc');
    await new Promise((r) => setTimeout(r, 5));
    const keyed = tagged.map((t) => ({ tag: t.tag, record: { ...t.record, key: itemKey(t.record.item) } }));
    for (const t of keyed) store.put(t.record);
    const written = store.writtenAt();
    expect(written.size).toBe(keyed.length);
    await new Promise((r) => setTimeout(r, 5));
    store.registerRules([{ claim: 2, digest: ruleDigest(claim2).digest }], 'def');
    // registering again keeps the first time
    store.registerRules([{ claim: 1, digest: d1 }], 'later');
    const regs = store.ruleRegistrations();
    expect(regs.find((r) => r.claim === 1)!.commit).toBe('abc');
    const s1 = registrationStatus(claim1, regs, keyed, written);
    const s2 = registrationStatus(claim2, regs, keyed, written);
    expect([s1.before, s2.before]).toEqual([true, false]);
    expect(s1.firstRunAt).not.toBeNull();
    store.close();
  });
  it('a rule never registered is not "before"', () => {
    const s = registrationStatus(claim1, [], tagged, new Map());
    expect([s.registeredAt, s.before]).toEqual([null, false]);
  });
});

describe('the rule history', () => {
  it('every entry names its claims, with what was, is and why', () => {
    for (const e of RULE_HISTORY) {
      expect(e.before).toMatch(/^[0-9a-f]{7,40}$/);
      for (const t of e.texts) expect([t.was.length, t.now.length, t.why.length].every((n) => n > 5), `claim ${t.claim}`).toBe(true);
    }
    expect(splitChange('Was: a. Now: b. Why: c.')).toEqual({ was: 'a.', now: 'b.', why: 'c.' });
  });
  it("the rules of HEAD, taken from git, give claims 1 and 2 the verdicts of today's code (their rules did not change)", async () => {
    const scale = scaleOf({ fixedN: [fam] });
    const head = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
    const old = await oldRuleVerdicts(head, [1, 2], tagged, scale, []);
    expect(old.map((o) => ('verdict' in o ? o.verdict : o.error))).toEqual([claim1.decide(tagged, scale, []).verdict, claim2.decide(tagged, scale, []).verdict]);
  }, 60_000);
  it('an old rule that cannot run says why instead of a verdict', async () => {
    const old = await oldRuleVerdicts('0000000', [1], tagged, scaleOf({ fixedN: [fam] }), []);
    expect('error' in old[0] && old[0].error).toMatch(/could not be loaded/);
  });
  it('historyOnRuns lists only the entries of the claims asked for', async () => {
    const h = await historyOnRuns([claim1], tagged, scaleOf({ fixedN: [fam] }), []);
    expect(h.every((e) => e.texts.every((t) => t.claim === 1))).toBe(true);
  }, 60_000);
});

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { runScale, type ScaleRun } from '../../src/experiment/runScale.ts';
import { scaleByName } from '../../src/experiment/scales.ts';
import { planScale } from '../../src/experiment/plan.ts';
import { decideClaims } from '../../src/claims/decide.ts';
import { CLAIMS } from '../../src/claims/index.ts';
import type { ClaimVerdict } from '../../src/claims/claim.ts';
import { progressDisplay } from '../../src/experiment/progress.ts';
import { table } from '../../src/report/markdown.ts';
import { EXPECTED, type Registered } from './expected.ts';
import { openStore } from '../../src/experiment/store.ts';
import { defaultStorePath } from '../../src/experiment/runScale.ts';
import { itemKey } from '../../src/run/key.ts';
import { baselinePath, compareToBaseline, readBaseline } from '../../src/experiment/baseline.ts';
import { movedTable } from '../../src/cli/baseline.ts';

/**
 * Each claim of SCIENCE.md at the `ci` scale. All claims share one sweep, run once here on every core
 * and stored as it goes (reports/store/ci.sqlite): a second `npm test` reads it back and recomputes
 * nothing. The pass rules live in src/claims/*; the registered verdicts in ./expected.ts. Each test
 * carries its registered verdict in its name ("claim 4 at the ci scale: fail, registered") and fails
 * when the measured verdict differs, so a failing claim shows as failing; the summary after the
 * tests lists every claim's verdict and measured line.
 */
const scale = scaleByName('ci');
let run: ScaleRun;
beforeAll(async () => {
  run = await runScale(scale, { progress: progressDisplay({ label: 'ci sweep (claims)', intervalMs: 30_000 }) });
}, 1_800_000);

interface Row {
  readonly id: number;
  readonly registered: Registered;
  readonly verdict: ClaimVerdict;
  readonly measured: string;
}
const rows: Row[] = [];

const agrees = (registered: Registered, verdict: ClaimVerdict) => registered === 'reported' || registered === verdict;
const registration = (r: Registered | undefined) => (r === undefined ? 'none registered' : r === 'reported' ? 'reported (any verdict), registered' : `${r}, registered`);

afterAll(() => {
  if (!rows.length) return;
  const sorted = [...rows].sort((a, b) => a.id - b.id);
  console.log(
    `\nClaims at the ci scale:\n\n${table(
      ['claim', 'registered', 'measured verdict', 'as registered', 'measured'],
      sorted.map((r) => [r.id, r.registered, r.verdict, agrees(r.registered, r.verdict) ? 'yes' : 'NO', r.measured]),
    )}`,
  );
});

describe('the claims at the ci scale', () => {
  it('the ci sweep completed with no failed run', () => {
    expect(run.failures).toEqual([]);
    expect(run.tagged.length).toBe(planScale(scale).length);
  });
  it('every number of every ci run is the committed one (fixtures/baseline/ci.json): a change of numerics shows here, with what moved', () => {
    // the runs the sweep stored, of today's numerics (the store may also hold records of earlier numerics)
    const store = openStore(defaultStorePath(scale));
    const records = store.all().filter((r) => r.key === itemKey(r.item));
    store.close();
    const baseline = readBaseline(baselinePath('ci'));
    expect(baseline, 'fixtures/baseline/ci.json is missing: after npm test, write it with npx jamming baseline --scale ci --write').not.toBeNull();
    const moved = compareToBaseline(baseline!, records).filter((m) => m.before !== 'not in the baseline');
    if (moved.length) console.log(`\n${movedTable(moved)}\n\nIf the change was meant: npx jamming baseline --scale ci --write, and commit fixtures/baseline/ci.json with the change.`);
    expect(moved.length, `${moved.length} number(s) moved; the table is printed above`).toBe(0);
  });
  it('every claim has a registered verdict', () => {
    expect(CLAIMS.filter((c) => EXPECTED[c.id] === undefined).map((c) => c.id)).toEqual([]);
  });
  for (const claim of CLAIMS) {
    const registered = EXPECTED[claim.id];
    it(`claim ${claim.id} at the ci scale: ${registration(registered)}`, () => {
      const [r] = decideClaims([claim], run.tagged, scale, run.jammingPoints);
      rows.push({ id: claim.id, registered, verdict: r.outcome.verdict, measured: r.outcome.measured });
      expect(registered, `claim ${claim.id} has no registered verdict`).toBeDefined();
      expect(agrees(registered, r.outcome.verdict), `claim ${claim.id}: measured ${r.outcome.verdict}, registered ${registered}: ${r.outcome.measured}`).toBe(true);
    });
  }
});

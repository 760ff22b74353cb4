import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { reportDifferences } from '../../src/report/verify.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeVerificationReport, ruleHistorySection, registrationSection } from '../../src/report/verification.ts';
import { committedRecord } from '../../src/run/record.ts';
import { decideClaims } from '../../src/claims/decide.ts';
import { claimsById } from '../../src/claims/decide.ts';
import { fixedNSweep, scaleOf, seedsFrom } from '../claims/fixtures.ts';
import type { FixedNFamily } from '../../src/experiment/scales.ts';

/** The report states the changed rules first, then each claim with its regime, rule, change and trend in N. */
const fams: FixedNFamily[] = [8, 12, 16].map((width) => ({ L: 2, width, ratios: [1.5, 2, 2.5, 3, 3.5], seeds: seedsFrom(100, 4) }));
const scale = scaleOf({ fixedN: fams });
const tagged = fams.flatMap((f) => fixedNSweep(f, ({ ratio, N, s, k }) => (ratio > 2.6 + 0.6 * ((s + 0.5) / k - 0.5) ? { liveNDelta: Math.round(0.6 * N) } : {})));

describe('VERIFICATION.md', () => {
  it('states the rules, their registration and their history before any claim', async () => {
    const results = decideClaims(claimsById([3, 4, 7]), tagged, scale);
    const history = [
      {
        commit: 'abc1234', date: '2026-01-01T00:00:00Z', before: '1234abc', seen: 'a report where claim 7 failed',
        texts: [{ claim: 7, was: 'the old window.', now: 'the fitted window.', why: 'the grid.' }],
        oldVerdicts: [{ claim: 7, verdict: 'fail', measured: 'window ratio 3' }],
      },
    ];
    const registration = [3, 4, 7].map((claim) => ({
      claim, digest: 'f'.repeat(64), files: [], lastChange: { commit: 'abc1234', date: '2026-01-01T00:00:00Z' }, uncommitted: false,
      registeredAt: '2026-01-02T00:00:00.123Z', registeredCommit: 'abc1234', firstRunAt: '2026-01-02T00:00:01.000Z', before: claim !== 4,
    }));
    expect(ruleHistorySection(history)).toMatch(/^## Rule history\n\n\*\*abc1234\*\* \(2026-01-01T00:00:00Z\), replacing the rules of 1234abc[^]*\| 7 \| the old window\. \| the fitted window\. \| the grid\. \| \*\*fail\*\*: window ratio 3 \|/);
    expect(registrationSection(registration)).toMatch(/\| 4 \| ffffffffffff \| abc1234 \(2026-01-01T00:00:00Z\) \| 2026-01-02T00:00:00Z \| 2026-01-02T00:00:01Z \| no \|/);
    const dir = mkdtempSync(join(tmpdir(), 'jamming-report-'));
    const run = { tagged, jammingPoints: [], spectra: [], failures: [], computed: 0, reused: tagged.length, wallSeconds: 1 };
    const prov = { commit: 'abc', dirty: false, numerics: 'f00d', node: 'v20', packages: {}, engine: 'float64', cores: 2, cpu: 'cpu', date: '2025-01-01' };
    const path = await writeVerificationReport(dir, { scale, results, run, provenance: prov, rules: { registration, history }, wallSeconds: 1, partial: true });
    const md = readFileSync(path, 'utf8');
    const at = (s: string) => md.indexOf(s);
    expect(md).not.toMatch(/fixed before any result was seen/);
    for (const h of ['## Rules and their registration', '## Rule history']) {
      expect(at(h), h).toBeGreaterThan(0);
      expect(at(h), h).toBeLessThan(at('## Claim 3'));
    }
    expect(md).toMatch(/## Claim 4[^\n]*\n\n>[^]*\*\*Regime\.\*\* random-data fixed-N families with d = h >= 12[^]*\*\*Pass rule\.\*\*[^]*\*\*Rule change\.\*\* Was:/);
    expect(md).toMatch(/\*\*Per size\.\*\*[^]*\| statistic \| family \| N \| value \| 95% interval \| runs \| paper \| regime \|/);
    expect(md).toMatch(/\| outside the regime \|/);
    for (const id of [3, 4, 7]) expect(existsSync(join(dir, 'figures', `claim${id}-trend-in-n.svg`)), `claim ${id}`).toBe(true);
    const json = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(json.claims.map((c: { id: number; ruleChange: string | null }) => [c.id, c.ruleChange === null])).toEqual([[3, false], [4, false], [7, false]]);
    expect(json.claims[1].trends[0].points.length).toBe(3);
    // each run as its record, keyed by the hash of its item, per-pattern arrays left in the store
    expect(Object.keys(json.runs[0])).toEqual(['tag', 'record']);
    expect(json.runs[0].record).toEqual(committedRecord(tagged[0].record));
    expect(json.runs[0].record.item.config.seed).toBe(tagged[0].record.item.config.seed);
  }, 120_000);
});

describe('verify --check: a report rendered again is compared with the committed one', () => {
  it('two renderings of the same runs agree, provenance aside; a changed verdict, run or line is named', async () => {
    const results = decideClaims(claimsById([3, 4]), tagged, scale);
    const run = { tagged, jammingPoints: [], spectra: [], failures: [], computed: 0, reused: tagged.length, wallSeconds: 1 };
    const prov = (date: string) => ({ commit: 'abc', dirty: false, numerics: 'f00d', node: 'v20', packages: {}, engine: 'float64', cores: 2, cpu: 'cpu', date });
    const [a, b] = [mkdtempSync(join(tmpdir(), 'jamming-check-a-')), mkdtempSync(join(tmpdir(), 'jamming-check-b-'))];
    await writeVerificationReport(a, { scale, results, run, provenance: prov('2025-01-01'), wallSeconds: 1, partial: true });
    await writeVerificationReport(b, { scale, results, run, provenance: prov('2026-02-02'), wallSeconds: 7, partial: true });
    expect(reportDifferences(a, b), JSON.stringify(reportDifferences(a, b))).toEqual([]);
    const json = JSON.parse(readFileSync(join(b, 'results.json'), 'utf8'));
    const was = json.claims[0].verdict;
    json.claims[0].verdict = was === 'fail' ? 'pass' : 'fail';
    json.runs[0].record.results.nDelta += 1;
    writeFileSync(join(b, 'results.json'), JSON.stringify(json));
    writeFileSync(join(b, 'VERIFICATION.md'), readFileSync(join(b, 'VERIFICATION.md'), 'utf8').replace('## Claim 4', '## Claim four'));
    const d = reportDifferences(a, b);
    expect(d).toContain(`claim 3: verdict ${was} -> ${json.claims[0].verdict}`);
    expect(d.some((x) => /^run .*: results\.nDelta /.test(x)), d.join('\n')).toBe(true);
    expect(d.some((x) => /^VERIFICATION\.md differs from line \d+/.test(x))).toBe(true);
  }, 120_000);
});

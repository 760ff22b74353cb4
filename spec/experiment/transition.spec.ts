import { describe, it, expect } from 'vitest';
import { transitionInP, transitionInN, crossing, gridPoints, SET_APART, isCertifiedMinimum, isJammedByRule } from '../../src/experiment/transition.ts';
import { planScale } from '../../src/experiment/plan.ts';
import { SCALE_DEFS, SCALES } from '../../src/experiment/scales.ts';
import { itemKey } from '../../src/run/key.ts';
import type { RunRecord } from '../../src/run/record.ts';

/** Only the fields the transition reads. `dead`: a dead-pattern run (its dead patterns carry most of its loss). */
function rec(P: number, N: number, verdict: 'fitted' | 'jammed' | 'budget', live: number, dead = 0, certified = true): RunRecord {
  return {
    results: {
      P,
      N,
      verdict,
      nDelta: live + dead,
      liveNDelta: live,
      deadPatterns: dead,
      deadPatternRun: dead > 0,
      ...(verdict === 'jammed' ? { certificate: { kind: 'nonsmooth', passed: certified } } : {}),
    },
  } as unknown as RunRecord;
}

describe('locating the transition', () => {
  const records = [
    rec(100, 100, 'fitted', 0),
    rec(100, 100, 'fitted', 0),
    rec(200, 100, 'fitted', 0),
    rec(200, 100, 'jammed', 60),
    rec(300, 100, 'jammed', 70),
    rec(300, 100, 'jammed', 80),
    rec(300, 100, 'jammed', 5, 20), // a dead-pattern run: left out, counted in `apart`
    rec(300, 100, 'budget', 3), // outcome unknown: left out, counted in `apart`
  ];
  it('P* is the 50% crossing of the jammed fraction, inside [last all-fitted P, first all-jammed P]', () => {
    const t = transitionInP(records);
    expect(t.Plow).toBe(100);
    expect(t.Phigh).toBe(300);
    expect(t.Pstar).toBeCloseTo(200, 10);
    const at300 = gridPoints(records, (r) => r.results.P).find((p) => p.x === 300)!;
    expect(at300).toEqual({ x: 300, runs: 2, fitted: 0, jammed: 2, apart: 2 });
  });
  it('a run counts as jammed only when certified, with live N_Delta > 0.1 N (the authors\' rule)', () => {
    const t = transitionInP([rec(100, 100, 'jammed', 10), rec(200, 100, 'jammed', 11), rec(300, 100, 'jammed', 50, 0, false)]);
    expect(t.points.map((p) => p.jammed)).toEqual([0, 1, 0]);
    expect(isCertifiedMinimum(rec(1, 1, 'jammed', 50, 0, false))).toBe(false);
    expect(isJammedByRule(rec(100, 100, 'budget', 50))).toBe(false);
  });
  it('runs set apart can be counted the other way: dead-pattern runs with N_Delta whole, budget runs as jammed or fitted', () => {
    const rs = [rec(300, 100, 'jammed', 5, 20), rec(300, 100, 'budget', 30), rec(300, 100, 'budget', 3)];
    expect(gridPoints(rs, (r) => r.results.P, SET_APART)).toEqual([]);
    expect(gridPoints(rs, (r) => r.results.P, { deadPatternRuns: 'counted', budgetRuns: 'apart' })[0]).toEqual({ x: 300, runs: 1, fitted: 0, jammed: 1, apart: 2 });
    expect(gridPoints(rs, (r) => r.results.P, { deadPatternRuns: 'apart', budgetRuns: 'jammed' })[0]).toEqual({ x: 300, runs: 2, fitted: 0, jammed: 1, apart: 1 });
    expect(gridPoints(rs, (r) => r.results.P, { deadPatternRuns: 'apart', budgetRuns: 'fitted' })[0]).toEqual({ x: 300, runs: 2, fitted: 2, jammed: 0, apart: 1 });
  });
  it('no all-fitted point below the first all-jammed one gives Plow = NaN, not -Infinity', () => {
    expect(transitionInP([rec(100, 100, 'jammed', 50), rec(200, 100, 'jammed', 50)]).Plow).toBeNaN();
  });
  it('N* at fixed P: largest N with a jammed run, smallest N above it with every seed fitted', () => {
    const t = transitionInN([rec(100, 50, 'jammed', 30), rec(100, 80, 'jammed', 20), rec(100, 80, 'fitted', 0), rec(100, 120, 'fitted', 0), rec(100, 120, 'budget', 30), rec(100, 160, 'fitted', 0)]);
    expect(t.Nlow).toBe(80);
    expect(t.Nhigh).toBe(120);
    expect(t.Nstar).toBeCloseTo(80, 10);
  });
  it('no crossing inside the grid gives NaN, never a made-up value', () => {
    expect(crossing([{ x: 1, runs: 2, fitted: 0, jammed: 2, apart: 0 }], 0.5)).toBeNaN();
  });
});

describe('the plans of the scales', () => {
  for (const name of SCALES) {
    it(`${name}: seeds distinct within each family, items distinct, every config valid`, () => {
      const plan = planScale(SCALE_DEFS[name]);
      const keys = new Set(plan.map((p) => itemKey(p.item)));
      expect(keys.size).toBe(plan.length);
      for (const f of SCALE_DEFS[name].fixedN) expect(new Set(f.seeds).size).toBe(f.seeds.length);
      for (const m of SCALE_DEFS[name].mnist) expect(new Set(m.seeds).size).toBe(m.seeds.length);
    });
  }
});

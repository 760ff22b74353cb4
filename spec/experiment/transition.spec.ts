import { describe, it, expect } from 'vitest';
import { transitionInP, transitionInN, transitionInterval, crossing, gridPoints, SET_APART, isCertifiedMinimum, isJammedByRule } from '../../src/experiment/transition.ts';
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
  it('P* is x50 of the logistic fit over every decided run, inside [last all-fitted P, first all-jammed P]', () => {
    const t = transitionInP(records);
    expect(t.Plow).toBe(100);
    expect(t.Phigh).toBe(300);
    expect(t.Pstar).toBe(t.fit.x50);
    expect(t.Pstar).toBeGreaterThan(100);
    expect(t.Pstar).toBeLessThan(300);
    expect(t.fit.slope).toBeGreaterThan(0);
    expect(t.fit.x10).toBeLessThan(t.Pstar);
    expect(t.fit.x90).toBeGreaterThan(t.Pstar);
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
  it('N* at fixed P: largest N with a jammed run, smallest N above it with every seed fitted; N* from the fit, which falls with N', () => {
    const t = transitionInN([rec(100, 50, 'jammed', 30), rec(100, 80, 'jammed', 20), rec(100, 80, 'fitted', 0), rec(100, 120, 'fitted', 0), rec(100, 120, 'budget', 30), rec(100, 160, 'fitted', 0)]);
    expect(t.Nlow).toBe(80);
    expect(t.Nhigh).toBe(120);
    expect(t.fit.slope).toBeLessThan(0);
    expect(t.Nstar).toBeGreaterThan(50);
    expect(t.Nstar).toBeLessThan(120);
    // one mixed point (N = 80) between all-jammed and all-fitted ones: a step at 80 cannot be ruled out
    const i = transitionInterval(t, 1);
    expect(i.low).toBeLessThanOrEqual(80);
    expect(i.high).toBeGreaterThanOrEqual(t.Nstar);
  });
  it('the counting of budget runs moves P*: counted as jammed, the one at P = 200 makes half of it jammed', () => {
    const rs = [rec(100, 100, 'fitted', 0), rec(100, 100, 'fitted', 0), rec(200, 100, 'fitted', 0), rec(200, 100, 'budget', 60), rec(300, 100, 'jammed', 70), rec(300, 100, 'jammed', 80)];
    const apart = transitionInP(rs);
    const jammed = transitionInP(rs, { deadPatternRuns: 'apart', budgetRuns: 'jammed' });
    const fitted = transitionInP(rs, { deadPatternRuns: 'apart', budgetRuns: 'fitted' });
    expect(jammed.Pstar).toBeLessThan(apart.Pstar);
    expect(fitted.Pstar).toBeGreaterThan(jammed.Pstar);
    expect(apart.points.find((p) => p.x === 200)!.apart).toBe(1);
  });
  it('the old defect is gone: every seed agreeing, the crossing between two grid points, the interval of P* spans the gap (never zero width)', () => {
    // the midpoint rule gave P* = sqrt(200 * 250) = 223.6 on every seed resample: the interval [223.6, 223.6]
    const rs = [150, 175, 200, 250, 300].flatMap((P) => Array.from({ length: 6 }, () => (P <= 200 ? rec(P, 100, 'fitted', 0) : rec(P, 100, 'jammed', 60))));
    const t = transitionInP(rs);
    expect(t.Plow).toBe(200);
    expect(t.Phigh).toBe(250);
    expect(t.Pstar).toBeGreaterThan(200);
    expect(t.Pstar).toBeLessThan(250);
    const i = transitionInterval(t, 21);
    expect(i.low).toBeLessThanOrEqual(200);
    expect(i.high).toBeGreaterThanOrEqual(250);
  });
  it('a fraction that never crosses 1/2 inside the grid gives P* = NaN (only a bound is known)', () => {
    expect(transitionInP([rec(100, 100, 'jammed', 50), rec(200, 100, 'jammed', 50)]).Pstar).toBeNaN();
    expect(transitionInP([rec(100, 100, 'fitted', 0), rec(200, 100, 'fitted', 0)]).Pstar).toBeNaN();
    expect(transitionInP([rec(100, 100, 'fitted', 0)]).Pstar).toBeNaN();
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

import { describe, it, expect } from 'vitest';
import { transitionInP, transitionInN, crossing, gridPoints } from '../../src/experiment/transition.ts';
import { planScale } from '../../src/experiment/plan.ts';
import { SCALE_DEFS, SCALES } from '../../src/experiment/scales.ts';
import { itemKey } from '../../src/experiment/task.ts';
import type { RunRecord } from '../../src/experiment/record.ts';

function rec(P: number, N: number, verdict: 'fitted' | 'jammed', nDelta: number, dead = 0): RunRecord {
  return { results: { P, N, verdict, nDelta, deadPatterns: dead } } as unknown as RunRecord;
}

describe('locating the transition', () => {
  const records = [
    rec(100, 100, 'fitted', 0),
    rec(100, 100, 'fitted', 0),
    rec(200, 100, 'fitted', 0),
    rec(200, 100, 'jammed', 60),
    rec(300, 100, 'jammed', 70),
    rec(300, 100, 'jammed', 80),
    rec(300, 100, 'jammed', 5, 5), // dead patterns: left out
  ];
  it('P* is the 50% crossing of the jammed fraction, inside [last all-fitted P, first all-jammed P]', () => {
    const t = transitionInP(records);
    expect(t.Plow).toBe(100);
    expect(t.Phigh).toBe(300);
    expect(t.Pstar).toBeCloseTo(200, 10);
    expect(gridPoints(records, (r) => r.results.P).find((p) => p.x === 300)!.runs).toBe(2);
  });
  it('a run counts as jammed only with N_Delta > 0.1 N (the authors\' rule)', () => {
    const t = transitionInP([rec(100, 100, 'jammed', 10), rec(200, 100, 'jammed', 11)]);
    expect(t.points.map((p) => p.jammed)).toEqual([0, 1]);
  });
  it('N* at fixed P: largest N with a jammed run, smallest N above it with every seed fitted', () => {
    const t = transitionInN([rec(100, 50, 'jammed', 30), rec(100, 80, 'jammed', 20), rec(100, 80, 'fitted', 0), rec(100, 120, 'fitted', 0), rec(100, 160, 'fitted', 0)]);
    expect(t.Nlow).toBe(80);
    expect(t.Nhigh).toBe(120);
    expect(t.Nstar).toBeCloseTo(80, 10);
  });
  it('no crossing inside the grid gives NaN, never a made-up value', () => {
    expect(crossing([{ x: 1, runs: 2, fitted: 0, jammed: 2 }], 0.5)).toBeNaN();
  });
});

describe('the plans of the scales', () => {
  for (const name of SCALES) {
    it(`${name}: seeds are 0..k-1, items distinct, every config valid`, () => {
      const plan = planScale(SCALE_DEFS[name]);
      const keys = new Set(plan.map((p) => itemKey(p.item)));
      expect(keys.size).toBe(plan.length);
      for (const f of SCALE_DEFS[name].fixedN) expect(f.seeds).toEqual(f.seeds.map((_, i) => i));
      for (const m of SCALE_DEFS[name].mnist) expect(m.seeds).toEqual(m.seeds.map((_, i) => i));
    });
  }
});

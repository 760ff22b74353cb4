/** The refinement pass of fixed-N families (experiment/placement.ts, plan.ts): where its P go, from the coarse records only. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScale } from '../../src/experiment/runScale.ts';
import type { ProgressSink } from '../../src/experiment/progress.ts';
import { estimatedRefinement, planRefinement, planScale, type TaggedRecord } from '../../src/experiment/plan.ts';
import { placeRefinement, expectedPstar } from '../../src/experiment/placement.ts';
import { familyN, familyPs, type FixedNFamily } from '../../src/experiment/scales.ts';
import { randomItem } from '../../src/experiment/grid.ts';
import { itemKey } from '../../src/run/key.ts';
import { estimateScale } from '../../src/experiment/costModel.ts';
import { InputError } from '../../src/util/errors.ts';
import { fixedNSweep, jitter, scaleOf, seedsFrom } from '../claims/fixtures.ts';

const RATIOS = [1.0, 1.025, 1.05, 1.075, 1.1];
const coarse: FixedNFamily = { L: 2, width: 12, ratios: [1.5, 2.25, 2.5, 2.75, 3, 3.5], seeds: seedsFrom(1000, 6) };
const refined: FixedNFamily = { ...coarse, refine: { ratiosOfPstar: RATIOS, acrossWindow: 3, seeds: seedsFrom(1100, 4), maxEvaluations: 2_000_000 } };
const N = familyN(coarse); // 300

/** A family's coarse runs: jammed (live N_Delta = 0.45 N) where P/N + noise > 2.6, fitted below. */
function coarseRuns(f: FixedNFamily, jammedAt = (ratio: number, seed: number, s: number) => ratio + 0.3 * jitter(seed, s, Math.round(ratio * 100)) > 2.6): TaggedRecord[] {
  return fixedNSweep(f, ({ ratio, seed, s, N: n }) => (jammedAt(ratio, seed, s) ? { liveNDelta: Math.round(0.45 * n) } : {})).map((t) => ({ ...t, tag: { ...t.tag, pass: 'coarse' as const } }));
}

describe('refinement placement', () => {
  it('places round(r P*) for each ratio around the fitted P*, and the window points inside the fitted 10%-90% window', () => {
    const scale = scaleOf({ fixedN: [refined] });
    const { placements, planned } = planRefinement(scale, coarseRuns(refined));
    expect(placements).toHaveLength(1);
    const p = placements[0];
    expect(p.basis).toBe('fit');
    expect(p.fit!.converged).toBe(true);
    const Pstar = p.Pstar!;
    expect(Pstar).toBe(p.fit!.x50);
    // inside the coarse grid, near where the law puts it (2.6 N)
    expect(Pstar).toBeGreaterThan(1.5 * N);
    expect(Pstar).toBeLessThan(3.5 * N);
    const [lo, hi] = p.window!;
    expect(lo).toBeGreaterThanOrEqual(Math.max(450, Math.min(p.fit!.x10, p.fit!.x90)));
    expect(hi).toBeLessThanOrEqual(Math.min(1050, Math.max(p.fit!.x10, p.fit!.x90)));
    expect(lo).toBeLessThan(Pstar);
    expect(hi).toBeGreaterThan(Pstar);
    const near = RATIOS.map((r) => Math.round(r * Pstar));
    const across = [lo, Math.sqrt(lo * hi), hi].map(Math.round);
    expect(p.Ps).toEqual([...new Set([...near, ...across])].sort((a, b) => a - b));
    for (const P of near) expect(P / Pstar).toBeGreaterThanOrEqual(1 - 1 / Pstar), expect(P / Pstar).toBeLessThanOrEqual(1.1 + 1 / Pstar);
    for (const P of across) expect(P).toBeGreaterThanOrEqual(Math.floor(lo)), expect(P).toBeLessThanOrEqual(Math.ceil(hi));
    expect(p.why).toMatch(/^P\* = \d+ from the logistic fit of the coarse pass; 10%-90% window \d+\.\.\d+/);
    // every placed P with every fresh seed, on the refinement's budget, tagged as one family with the coarse runs
    expect(planned).toHaveLength(p.Ps.length * 4);
    for (const { tag, item } of planned) {
      expect(tag).toMatchObject({ kind: 'fixedN', L: 2, width: 12, N, pass: 'refine' });
      expect(p.Ps).toContain((tag as { P: number }).P);
      expect(refined.refine!.seeds).toContain((tag as { seed: number }).seed);
      expect(item.config.train.maxEvaluations).toBe(2_000_000);
      expect(item.config.data).toMatchObject({ kind: 'random', P: (tag as { P: number }).P, d: 12 });
    }
  });

  it('gives the same plan, bit for bit, from the same coarse records (copied, in any order)', () => {
    const scale = scaleOf({ fixedN: [refined] });
    const runs = coarseRuns(refined);
    const a = planRefinement(scale, runs);
    const b = planRefinement(scale, structuredClone(runs).reverse());
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(b.planned.map((p) => itemKey(p.item))).toEqual(a.planned.map((p) => itemKey(p.item)));
    // refined runs among the records do not move it: only the coarse pass places
    const again = planRefinement(scale, [...runs, ...a.planned.map((p, i) => ({ tag: p.tag, record: runs[i % runs.length].record }))]);
    expect(JSON.stringify(again)).toBe(JSON.stringify(a));
  });

  it('falls back to the coarse 50% crossing where the fit is no use, and says so', () => {
    // jammed at 2.25 and 2.5 only: a fraction that does not rise with P overall
    const scale = scaleOf({ fixedN: [refined] });
    const [p] = planRefinement(scale, coarseRuns(refined, (ratio) => ratio === 2.25 || ratio === 2.5)).placements;
    expect(p.basis).toBe('coarse crossing');
    expect(p.fit!.slope).toBeLessThan(0);
    expect(p.Pstar).toBe(p.crossing);
    // between 1.5 N and 2.25 N, in log P, and those two grid points are its window
    expect(p.Pstar).toBeCloseTo(Math.sqrt(450 * 675), 6);
    expect(p.window).toEqual([450, 675]);
    expect(p.Ps).toEqual([...new Set([...RATIOS.map((r) => Math.round(r * p.Pstar!)), 450, Math.round(Math.sqrt(450 * 675)), 675])].sort((a, b) => a - b));
    expect(p.why).toMatch(/^the fitted fraction does not rise with P, so P\* = 551 is the coarse 50% crossing/);
  });

  it('places nothing where the coarse fraction never crosses 1/2 in the grid', () => {
    const scale = scaleOf({ fixedN: [refined] });
    const { placements, planned } = planRefinement(scale, coarseRuns(refined, () => false));
    expect(placements[0]).toMatchObject({ basis: 'none', Pstar: null, window: null, Ps: [], crossing: null });
    expect(placements[0].why).toMatch(/no refinement placed$/);
    expect(planned).toEqual([]);
    // no records at all (every coarse run failed)
    expect(placeRefinement({ ...refined, refine: refined.refine! }, [], 1000)).toMatchObject({ basis: 'none', fit: null, Ps: [] });
  });

  it('plans a family with no refine field as before: its coarse grid only, tagged coarse, the same items', () => {
    const scale = scaleOf({ fixedN: [coarse] });
    const plan = planScale(scale).filter((p) => p.tag.kind === 'fixedN');
    expect(plan).toHaveLength(coarse.ratios.length * coarse.seeds.length);
    let i = 0;
    for (const P of familyPs(coarse)) {
      for (const seed of coarse.seeds) {
        expect(plan[i].tag).toEqual({ kind: 'fixedN', L: 2, width: 12, N, P, seed, pass: 'coarse' });
        expect(itemKey(plan[i].item)).toBe(itemKey(randomItem({ P, h: 12, L: 2, seed, maxEvaluations: scale.maxEvaluations }, { spectra: 'counts', deltas: true, testError: false })));
        i++;
      }
    }
    expect(planRefinement(scale, coarseRuns(coarse))).toEqual({ placements: [], planned: [] });
    // the coarse pass of a refined family is the same grid
    expect(planScale(scaleOf({ fixedN: [refined] })).map((p) => itemKey(p.item))).toEqual(planScale(scale).map((p) => itemKey(p.item)));
  });

  it('refuses refinement seeds that a coarse run has', () => {
    const bad: FixedNFamily = { ...coarse, refine: { ratiosOfPstar: RATIOS, seeds: [1005, 1100] } };
    expect(() => planScale(scaleOf({ fixedN: [bad] }))).toThrow(InputError);
    expect(() => planScale(scaleOf({ fixedN: [bad] }))).toThrow(/fixedN\[0\]\.refine\.seeds/);
  });

  it('the plan estimates the refinement at the middle coarse ratio, and says so', async () => {
    // imported here: the CLI module loads every claim
    const { planText } = await import('../../src/cli/verify.ts');
    const scale = scaleOf({ fixedN: [refined] });
    const Pstar = expectedPstar(refined);
    expect(Pstar).toBeCloseTo(((2.5 + 2.75) / 2) * N, 9);
    const est = estimatedRefinement(scale);
    expect(est).toHaveLength((RATIOS.length + 3) * 4);
    expect(new Set(est.map((p) => (p.tag as { P: number }).P))).toEqual(new Set([...RATIOS.map((r) => Math.round(r * Pstar)), Math.round(Pstar)]));
    const e = estimateScale(scale, { perPatternParameter: 1e-9, source: 'test' }, 1e12);
    const row = e.families.find((f) => f.family.endsWith('refinement (P estimated)'))!;
    expect(row.runs).toBe(est.length);
    expect(row.maxCpuHours / row.expectedCpuHours).toBeCloseTo(2_000_000 / 500_000, 9);
    expect(e.refinements).toHaveLength(1);
    const text = planText(e);
    expect(text).toMatch(/refinement rows: their P are placed after the coarse pass/);
    expect(text).toMatch(/N = 300, L = 2: P\* taken at the middle coarse ratio, P = 788/);
    // a scale without refinement prints as before
    expect(planText(estimateScale(scaleOf({ fixedN: [coarse] }), { perPatternParameter: 1e-9, source: 'test' }, 1e12))).not.toMatch(/refinement/);
  });

  it('runScale: the coarse pass in one sweep, then the refinement in a second through the same store; a re-run places the same P and computes nothing', async () => {
    // three tiny runs (N = 20), about 8 s on one thread
    const tiny: FixedNFamily = { L: 1, width: 4, ratios: [1, 4], seeds: [1], refine: { ratiosOfPstar: [1], seeds: [10], maxEvaluations: 150_000 } };
    const scale = { ...scaleOf({ fixedN: [tiny] }), maxEvaluations: 200_000 };
    const dir = mkdtempSync(join(tmpdir(), 'jamming-placement-'));
    const starts: number[] = [];
    const progress: ProgressSink = { start: (i) => starts.push(i.total), record: () => {}, failure: () => {}, end: () => {} };
    try {
      const opts = { storePath: join(dir, 'store.sqlite'), workers: 0, kinds: ['fixedN'] as const, progress };
      const run = await runScale(scale, opts);
      expect(run.failures).toEqual([]);
      expect(starts).toEqual([2, 1]);
      const [p] = run.placements!;
      expect(p.coarse.map((c) => c.P)).toEqual([20, 80]);
      expect(p.Ps).toHaveLength(1);
      expect(run.tagged.map((t) => t.tag)).toEqual([
        ...[20, 80].map((P) => ({ kind: 'fixedN', L: 1, width: 4, N: 20, P, seed: 1, pass: 'coarse' })),
        { kind: 'fixedN', L: 1, width: 4, N: 20, P: p.Ps[0], seed: 10, pass: 'refine' },
      ]);
      expect(run.tagged[2].record.item.config.train.maxEvaluations).toBe(150_000);
      expect(run.computed).toBe(3);
      const again = await runScale(scale, opts);
      expect(again.computed).toBe(0);
      expect(JSON.stringify(again.placements)).toBe(JSON.stringify(run.placements));
      expect(again.tagged.map((t) => t.record.key)).toEqual(run.tagged.map((t) => t.record.key));
      // runs of other kinds only: no fixed-N pass, no placement
      expect((await runScale(scale, { ...opts, kinds: ['linear'] })).placements).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

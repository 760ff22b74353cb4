/** The plan of a scale before any work (src/experiment/costModel.ts): calibrated from bench rows, totals that add up, runs that cannot fit refused. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibrate, estimateScale, OVERHEAD_SECONDS, DEFAULT_PER_PATTERN_PARAMETER } from '../../src/experiment/costModel.ts';
import { scaleByName } from '../../src/experiment/scales.ts';

describe('cost model and plan', () => {
  it('takes b from the newest bench file\'s one-thread gradient rows (least squares on P Ntot), else 1 ns', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jamming-bench-'));
    expect(calibrate(dir).perPatternParameter).toBe(DEFAULT_PER_PATTERN_PARAMETER);
    const row = (P: number, Ntot: number, b: number) => ({ workload: `P=${P} d=10 h=30 L=3`, Ntot, 'kernels ms (1 thread)': (OVERHEAD_SECONDS + b * P * Ntot) * 1000 });
    writeFileSync(join(dir, 'bench-a.json'), JSON.stringify({ sections: [{ name: 'gradient: x', rows: [row(1000, 2000, 5e-9), row(4000, 8000, 5e-9)] }] }));
    writeFileSync(join(dir, 'bench-b.json'), JSON.stringify({ sections: [{ name: 'gradient: x', rows: [row(1000, 2221, 7e-10), row(4000, 4081, 7e-10)] }] }));
    const c = calibrate(dir);
    expect(c.perPatternParameter).toBeCloseTo(7e-10, 15);
    expect(c.source).toBe('reports/bench/bench-b.json');
  });

  it('sums per family, and refuses the runs whose memory does not fit', () => {
    const paper = scaleByName('paper');
    const e = estimateScale(paper, { perPatternParameter: 1e-9, source: 'test' }, 1e12);
    expect(e.families.every((f) => f.refused === 0)).toBe(true);
    expect(e.expectedCpuHours).toBeCloseTo(e.families.reduce((a, f) => a + f.expectedCpuHours, 0), 9);
    expect(e.maxCpuHours / e.expectedCpuHours).toBeCloseTo(paper.maxEvaluations / 130_000, 6);
    // on a machine of 1 GB, the N = 7854 family (2.7 GB a run, mostly its Hessian) is refused, with the reason
    const small = estimateScale(paper, { perPatternParameter: 1e-9, source: 'test' }, 1e9);
    const big = small.families.find((f) => f.family.includes('N = 7854'))!;
    expect(big.refused).toBe(big.runs);
    expect(big.peakBytes).toBeGreaterThan(1e9);
    expect(big.refusal).toMatch(/^a run that fits in 1\.00 GB .*Hessian 2\.57 GB$/);
  });
});

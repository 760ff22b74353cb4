import { describe, it, expect } from 'vitest';
import { findJammingPoint, type JammingSearch } from '../../src/experiment/jammingPoint.ts';
import type { RunRecord, SweepItem } from '../../src/run/record.ts';

/**
 * The search logic on a synthetic landscape where the truth is known: a run at width h is fitted
 * when N(h) >= Ntrue and jammed (N_Delta = 0.5 N) below, for every seed.
 */
function synthetic(Ntrue: number, opts: Partial<JammingSearch> = {}) {
  const calls: number[] = [];
  const search: JammingSearch = {
    label: 'synthetic',
    P: 100,
    seeds: [0, 1],
    item: (h, seed) => ({ config: { h, seed } } as unknown as SweepItem),
    N: (h) => 10 * h + h,
    hStart: 20,
    hMin: 1,
    hMax: 200,
    ...opts,
  };
  const run = async (items: SweepItem[]): Promise<RunRecord[]> =>
    items.map((it) => {
      const h = (it.config as unknown as { h: number }).h;
      calls.push(h);
      const N = search.N(h);
      const fitted = N >= Ntrue;
      const nDelta = fitted ? 0 : 0.5 * N;
      return {
        results: { N, P: 100, verdict: fitted ? 'fitted' : 'jammed', nDelta, liveNDelta: nDelta, deadPatterns: 0, deadPatternRun: false, ...(fitted ? {} : { certificate: { kind: 'nonsmooth', passed: true } }) },
      } as unknown as RunRecord;
    });
  return { search, run, calls };
}

describe('jamming point search (authors\' rule + bisection)', () => {
  it.each([50, 133, 220, 600])('brackets N* = %i between adjacent widths', async (Ntrue) => {
    const { search, run } = synthetic(Ntrue);
    const jp = await findJammingPoint(search, run);
    expect(jp.Nlow).toBeLessThan(Ntrue);
    expect(jp.Nhigh).toBeGreaterThanOrEqual(Ntrue);
    expect(jp.Nhigh - jp.Nlow).toBe(11); // one width apart
  });
  it('budget runs are set apart: counted in the probe\'s `apart`, never as jammed', async () => {
    const { search } = synthetic(133);
    const run = async (items: SweepItem[]): Promise<RunRecord[]> =>
      items.map((it) => {
        const h = (it.config as unknown as { h: number }).h;
        const N = search.N(h);
        const seed = (it.config as unknown as { seed: number }).seed;
        const verdict = N >= 133 ? 'fitted' : seed === 0 ? 'budget' : 'jammed';
        const nDelta = verdict === 'fitted' ? 0 : 0.5 * N;
        return { results: { N, P: 100, verdict, nDelta, liveNDelta: nDelta, deadPatterns: 0, deadPatternRun: false, ...(verdict === 'jammed' ? { certificate: { kind: 'nonsmooth', passed: true } } : {}) } } as unknown as RunRecord;
      });
    const jp = await findJammingPoint(search, run);
    const below = jp.probes.filter((p) => p.N < 133);
    expect(below.length).toBeGreaterThan(0);
    for (const p of below) expect(p).toMatchObject({ runs: 1, jammed: 1, apart: 1 });
    expect(jp.Nhigh).toBeGreaterThanOrEqual(133);
  });
  it('starts below N* and climbs until every seed fits', async () => {
    const { search, run, calls } = synthetic(800, { hStart: 5 });
    const jp = await findJammingPoint(search, run);
    expect(Math.max(...calls)).toBeGreaterThan(72);
    expect(jp.Nhigh).toBeGreaterThanOrEqual(800);
  });
});

import { describe, it, expect } from 'vitest';
import { spectrumPicks } from '../../src/experiment/spectraRuns.ts';
import { fixedNSweep, scaleOf, seedsFrom } from '../claims/fixtures.ts';
import type { FixedNFamily } from '../../src/experiment/scales.ts';

/**
 * The three runs whose every eigenvalue the report draws. Every seed fits up to P/N = 2.4 and jams
 * from 2.42 on (P* between), so [P*, 1.10 P*] holds 2.42 to 2.6; the live loss grows with P, and one
 * seed at 2.55 has the lowest loss of all: it is "at jamming", where Hp is to be smallest.
 */
const fam: FixedNFamily = { L: 2, width: 12, ratios: [1.5, 2.2, 2.3, 2.4, 2.42, 2.5, 2.55, 2.6, 3.5], seeds: seedsFrom(100, 3) };
const scale = scaleOf({ fixedN: [fam] });
const sweep = (deadAt?: number) =>
  fixedNSweep(fam, ({ ratio, N, s }) => {
    if (ratio < 2.41) return {};
    if (ratio === deadAt && s === 0) return { liveNDelta: 2, deadPatterns: 50, liveLoss: 1e-12, deadLoss: 0.1 };
    return { liveNDelta: Math.round(0.6 * N), liveLoss: ratio === 2.55 && s === 2 ? 1e-9 : 1e-3 * ratio * (1 + s) };
  });

describe('the runs of the spectrum figure', () => {
  it('at jamming: the certified minimum of lowest live loss at 1.00 to 1.10 P*; below: the largest P; above: the fitted run of smallest P', () => {
    const picks = spectrumPicks(sweep(), scale, () => true);
    expect(picks.map((p) => [p.side, p.record.results.P, p.record.item.config.seed])).toEqual([
      ['below jamming', 1050, 102],
      ['at jamming', 765, 102],
      ['above jamming', 450, 100],
    ]);
  });
  it('a dead-pattern run is never picked, however low its live loss', () => {
    const picks = spectrumPicks(sweep(2.42), scale, () => true);
    const at = picks.find((p) => p.side === 'at jamming')!;
    expect(at.record.results.deadPatternRun).toBe(false);
    expect(at.record.results.liveLoss).toBe(1e-9);
  });
  it('with no minimum in the window, the lowest-loss one at the first P past P*', () => {
    // the runs at 2.42 end on the budget: P* falls between 2.4 and 3.5, and no minimum lies within 1.10 P*
    const far: FixedNFamily = { ...fam, ratios: [1.5, 2.4, 2.42, 3.5, 4] };
    const tagged = fixedNSweep(far, ({ ratio, N, s }) => (ratio < 2.41 ? {} : ratio < 3 ? { verdict: 'budget', liveNDelta: Math.round(0.6 * N) } : { liveNDelta: Math.round(0.6 * N), liveLoss: 0.1 * ratio / (1 + s) }));
    const picks = spectrumPicks(tagged, scaleOf({ fixedN: [far] }), () => true);
    expect(picks.map((p) => [p.side, p.record.results.P, p.record.item.config.seed])).toEqual([
      ['below jamming', 1200, 102],
      ['at jamming', 1050, 102],
      ['above jamming', 450, 100],
    ]);
  });
});

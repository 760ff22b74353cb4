import type { TaggedRecord } from './plan.ts';
import type { FixedNFamily, Scale } from './scales.ts';
import type { RunRecord, SweepItem } from '../run/record.ts';
import { isDeadPatternRun, transitionInP } from './transition.ts';

/** Where a run stands relative to its family's jamming point P*. */
export type JammingSide = 'below jamming' | 'at jamming' | 'above jamming';

/** A run whose every eigenvalue of H, H0 and Hp is wanted (the report's spectrum figure). */
export interface SpectrumPick {
  readonly side: JammingSide;
  readonly record: RunRecord;
}

/**
 * The three runs whose full spectra the report shows, from one fixed-N family (sides in N, as the
 * papers say them: below jamming is N < N*, so P > P* at fixed N): the jammed run of largest P
 * (below jamming), the first jammed run at or past P* (at jamming) and the fitted run of smallest P
 * (above jamming). The family is the first that `prefer` accepts and that has a transition (the
 * claims pass their regime), else the first family.
 */
export function spectrumPicks(tagged: readonly TaggedRecord[], scale: Scale, prefer: (f: FixedNFamily) => boolean): SpectrumPick[] {
  const fams = scale.fixedN.map((family) => {
    const records = tagged.filter((t) => t.tag.kind === 'fixedN' && t.tag.L === family.L && t.tag.width === family.width).map((t) => t.record);
    return { family, records, Pstar: transitionInP(records).Pstar };
  });
  const f = fams.find((x) => prefer(x.family) && Number.isFinite(x.Pstar)) ?? fams[0];
  if (!f || !Number.isFinite(f.Pstar)) return [];
  const jammed = f.records.filter((r) => r.results.verdict === 'jammed' && !isDeadPatternRun(r)).sort((a, b) => a.results.P - b.results.P);
  const at = jammed.find((r) => r.results.P >= f.Pstar);
  const below = jammed[jammed.length - 1];
  const above = f.records.filter((r) => r.results.verdict === 'fitted').sort((a, b) => a.results.P - b.results.P)[0];
  return [
    ...(below ? [{ side: 'below jamming' as const, record: below }] : []),
    ...(at && at !== below ? [{ side: 'at jamming' as const, record: at }] : []),
    ...(above ? [{ side: 'above jamming' as const, record: above }] : []),
  ];
}

/** The same run with every eigenvalue kept: a run of its own in the store (its key differs). */
export function withFullSpectra(item: SweepItem): SweepItem {
  return { ...item, analyse: { ...item.analyse, spectra: 'full' } };
}

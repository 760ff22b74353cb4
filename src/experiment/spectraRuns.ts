import type { TaggedRecord } from './plan.ts';
import type { FixedNFamily, Scale } from './scales.ts';
import type { RunRecord, SweepItem } from '../run/record.ts';
import { isCertifiedMinimum, transitionInP } from './transition.ts';

/** Where a run stands relative to its family's jamming point P*. */
export type JammingSide = 'below jamming' | 'at jamming' | 'above jamming';

/** A run whose every eigenvalue of H, H0 and Hp is wanted (the report's spectrum figure). */
export interface SpectrumPick {
  readonly side: JammingSide;
  readonly record: RunRecord;
}

/** "Near P*": P within [1, NEAR] P*, the window of claim 8 (src/claims/c08-spectrum.ts WINDOW), where Hp is to shrink with the loss. */
export const NEAR = 1.1;

/**
 * The three runs whose full spectra the report shows, from one fixed-N family (sides in N, as the
 * papers say them: below jamming is N < N*, so P > P* at fixed N): the certified minimum of largest P
 * (below jamming), the certified minimum of lowest live loss with P in [P*, 1.10 P*] (at jamming: the
 * one nearest the loss -> 0 limit of SCIENCE.md claim 8; where none lies there, the lowest-loss one at
 * the first P at or past P*) and the fitted run of smallest P (above jamming). The family is the first
 * that `prefer` accepts and that has a transition (the claims pass their regime), else the first family.
 */
export function spectrumPicks(tagged: readonly TaggedRecord[], scale: Scale, prefer: (f: FixedNFamily) => boolean): SpectrumPick[] {
  const fams = scale.fixedN.map((family) => {
    const records = tagged.filter((t) => t.tag.kind === 'fixedN' && t.tag.L === family.L && t.tag.width === family.width).map((t) => t.record);
    return { family, records, Pstar: transitionInP(records).Pstar };
  });
  const f = fams.find((x) => prefer(x.family) && Number.isFinite(x.Pstar)) ?? fams[0];
  if (!f || !Number.isFinite(f.Pstar)) return [];
  const minima = f.records.filter((r) => isCertifiedMinimum(r) && r.results.liveLoss > 0).sort((a, b) => a.results.P - b.results.P);
  const past = minima.filter((r) => r.results.P >= f.Pstar);
  const near = past.filter((r) => r.results.P <= NEAR * f.Pstar);
  const candidates = near.length ? near : past.filter((r) => r.results.P === past[0].results.P);
  const at = candidates.reduce<RunRecord | undefined>((a, r) => (!a || r.results.liveLoss < a.results.liveLoss ? r : a), undefined);
  const below = minima[minima.length - 1];
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

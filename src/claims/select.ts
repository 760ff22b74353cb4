import type { TaggedRecord, Tag } from '../experiment/plan.ts';
import type { RunRecord } from '../run/record.ts';
import { familyN, type FixedNFamily, type MnistFamily, type Scale } from '../experiment/scales.ts';
import { fractionPoints, isCertifiedMinimum, transitionInN, transitionInP, type NTransition, type PTransition } from '../experiment/transition.ts';
import type { FractionPoint } from '../stats/logistic.ts';
import { inMnistRegime, inRandomRegime } from './regime.ts';

export type TagOf<K extends Tag['kind']> = Extract<Tag, { kind: K }>;

export function ofKind<K extends Tag['kind']>(tagged: readonly TaggedRecord[], kind: K): { tag: TagOf<K>; record: RunRecord }[] {
  return tagged.filter((t) => t.tag.kind === kind) as { tag: TagOf<K>; record: RunRecord }[];
}

export interface FamilyTransition {
  readonly family: FixedNFamily;
  readonly N: number;
  readonly records: RunRecord[];
  readonly transition: PTransition;
  /** the claims decide on this family (regime.ts) */
  readonly inRegime: boolean;
  /** "L = 2, d = h = 12, N = 300" */
  readonly label: string;
}

/**
 * Each fixed-N family of the scale with its runs and its transition: P* = x50 of the logistic fit
 * of the jammed fraction over every decided run (transition.ts; budget and dead-pattern runs set apart).
 */
export function fixedNFamilies(tagged: readonly TaggedRecord[], scale: Scale): FamilyTransition[] {
  const all = ofKind(tagged, 'fixedN');
  return scale.fixedN.map((family) => {
    const records = all.filter((t) => t.tag.L === family.L && t.tag.width === family.width).map((t) => t.record);
    const N = familyN(family);
    return { family, N, records, transition: transitionInP(records), inRegime: inRandomRegime(family), label: `L = ${family.L}, d = h = ${family.width}, N = ${N}` };
  });
}

export interface MnistTransition {
  readonly family: MnistFamily;
  readonly P: number;
  readonly L: number;
  readonly records: { tag: TagOf<'mnist'>; record: RunRecord }[];
  readonly transition: NTransition;
  readonly inRegime: boolean;
  /** "MNIST P = 1000, L = 2" */
  readonly label: string;
}

export function mnistFamilies(tagged: readonly TaggedRecord[], scale: Scale): MnistTransition[] {
  const all = ofKind(tagged, 'mnist');
  return scale.mnist.map((m) => {
    const records = all.filter((t) => t.tag.P === m.P && t.tag.L === m.L);
    return { family: m, P: m.P, L: m.L, records, transition: transitionInN(records.map((r) => r.record)), inRegime: inMnistRegime(m), label: `MNIST P = ${m.P}, L = ${m.L}` };
  });
}

/** The counts a family's fit takes (decided runs and jammed runs per grid point), for stats/logistic.ts fitIntervalGroups. */
export function pointsOf(f: { readonly transition: PTransition | NTransition }): FractionPoint[] {
  return fractionPoints(f.transition.points);
}

/** The MNIST sweep a rule names: the one with the most seeds in the scale; ties go to the larger P (nearer the papers'). */
export function mainMnistSweep<T extends { family: MnistFamily }>(fams: readonly T[]): T | undefined {
  return [...fams].sort((a, b) => b.family.seeds.length - a.family.seeds.length || b.family.P - a.family.P)[0];
}

/** Records grouped by their initialisation seed (the unit the bootstrap resamples), in seed order. */
export function bySeed(records: readonly RunRecord[]): RunRecord[][] {
  const by = new Map<number, RunRecord[]>();
  for (const r of records) by.set(r.item.config.seed, [...(by.get(r.item.config.seed) ?? []), r]);
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([, rs]) => rs);
}

/** The certified (non-dead) minima of a family at the two grid points of P just above P*: nearest jamming. */
export function jammedNearest(f: FamilyTransition): RunRecord[] {
  const jammed = f.records.filter(isCertifiedMinimum);
  const Ps = [...new Set(jammed.filter((r) => r.results.P >= f.transition.Pstar).map((r) => r.results.P))].sort((a, b) => a - b).slice(0, 2);
  return jammed.filter((r) => Ps.includes(r.results.P));
}

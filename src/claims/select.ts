import type { TaggedRecord, Tag } from '../experiment/plan.ts';
import type { RunRecord } from '../experiment/record.ts';
import { familyN, type FixedNFamily, type Scale } from '../experiment/scales.ts';
import { transitionInN, transitionInP, type NTransition, type PTransition } from '../experiment/transition.ts';

export type TagOf<K extends Tag['kind']> = Extract<Tag, { kind: K }>;

export function ofKind<K extends Tag['kind']>(tagged: readonly TaggedRecord[], kind: K): { tag: TagOf<K>; record: RunRecord }[] {
  return tagged.filter((t) => t.tag.kind === kind) as { tag: TagOf<K>; record: RunRecord }[];
}

export interface FamilyTransition {
  readonly family: FixedNFamily;
  readonly N: number;
  readonly records: RunRecord[];
  readonly transition: PTransition;
}

/** Each fixed-N family of the scale with its runs and its transition P*. */
export function fixedNFamilies(tagged: readonly TaggedRecord[], scale: Scale): FamilyTransition[] {
  const all = ofKind(tagged, 'fixedN');
  return scale.fixedN.map((family) => {
    const records = all.filter((t) => t.tag.L === family.L && t.tag.width === family.width).map((t) => t.record);
    return { family, N: familyN(family), records, transition: transitionInP(records) };
  });
}

export interface MnistTransition {
  readonly P: number;
  readonly L: number;
  readonly records: { tag: TagOf<'mnist'>; record: RunRecord }[];
  readonly transition: NTransition;
}

export function mnistFamilies(tagged: readonly TaggedRecord[], scale: Scale): MnistTransition[] {
  const all = ofKind(tagged, 'mnist');
  return scale.mnist.map((m) => {
    const records = all.filter((t) => t.tag.P === m.P && t.tag.L === m.L);
    return { P: m.P, L: m.L, records, transition: transitionInN(records.map((r) => r.record)) };
  });
}

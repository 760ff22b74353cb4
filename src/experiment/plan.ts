import type { RunRecord, SweepItem } from '../run/record.ts';
import { familyN, familyPs, type Scale } from './scales.ts';
import { mnistItem, randomItem } from './grid.ts';

/** Tags that let the claims find their runs in the one shared sweep. */
export type Tag =
  | { readonly kind: 'fixedN'; readonly L: number; readonly width: number; readonly N: number; readonly P: number; readonly seed: number }
  | { readonly kind: 'mnist'; readonly P: number; readonly L: number; readonly h: number; readonly seed: number }
  | { readonly kind: 'softplus'; readonly P: number; readonly seed: number }
  | { readonly kind: 'linear'; readonly P: number; readonly d: number; readonly seed: number }
  | { readonly kind: 'crossEntropy'; readonly P: number; readonly seed: number };

export interface PlannedItem {
  readonly tag: Tag;
  readonly item: SweepItem;
}

const FULL = { spectra: 'counts', deltas: true, testError: false } as const;

/** Every run a scale needs, in a fixed order; the claims share them (one sweep, one store). */
export function planScale(scale: Scale): PlannedItem[] {
  const out: PlannedItem[] = [];
  const budget = scale.maxEvaluations;
  for (const f of scale.fixedN) {
    const N = familyN(f);
    for (const P of familyPs(f)) {
      for (const seed of f.seeds) {
        out.push({ tag: { kind: 'fixedN', L: f.L, width: f.width, N, P, seed }, item: randomItem({ P, h: f.width, L: f.L, seed, maxEvaluations: budget }, FULL) });
      }
    }
  }
  for (const m of scale.mnist) {
    for (const h of m.widths) {
      for (const seed of m.seeds) {
        out.push({
          tag: { kind: 'mnist', P: m.P, L: m.L, h, seed },
          item: mnistItem({ P: m.P, h, L: m.L, seed, dataSeed: m.dataSeed, nTest: m.nTest, maxEvaluations: budget }, { spectra: 'none', deltas: false, testError: true }),
        });
      }
    }
  }
  for (const s of scale.softplus) {
    for (const P of s.Ps) {
      for (const seed of s.seeds) {
        out.push({
          tag: { kind: 'softplus', P, seed },
          item: randomItem({ P, d: s.d, h: s.h, L: s.L, seed, activation: 'softplus', beta: s.beta, maxEvaluations: budget }, FULL),
        });
      }
    }
  }
  const lin = scale.linear;
  for (const r of lin.ratios) {
    const P = Math.round(r * lin.d);
    for (const seed of lin.seeds) {
      out.push({ tag: { kind: 'linear', P, d: lin.d, seed }, item: randomItem({ P, d: lin.d, h: 0, L: 0, seed, maxEvaluations: budget }, FULL) });
    }
  }
  // claim 1: cross-entropy has infinite range; two runs where the hinge fits
  const f0 = scale.fixedN[0];
  for (const seed of [0, 1]) {
    const P = Math.round(0.5 * familyN(f0));
    out.push({
      tag: { kind: 'crossEntropy', P, seed },
      item: randomItem({ P, h: f0.width, L: f0.L, seed, loss: 'crossEntropy', maxEvaluations: Math.min(budget, 20_000) }, { spectra: 'none', deltas: false, testError: false }),
    });
  }
  return out;
}

/** The records of a plan, joined to their tags (records come back from the sweep in plan order). */
export interface TaggedRecord {
  readonly tag: Tag;
  readonly record: RunRecord;
}

import type { RunRecord, SweepItem } from '../run/record.ts';
import { familyN, familyPs, type FixedNFamily, type Scale } from './scales.ts';
import { mnistItem, randomItem } from './grid.ts';
import { InputError } from '../util/errors.ts';
import { expectedPstar, placeRefinement, type Placement } from './placement.ts';

/**
 * Tags that let the claims find their runs in the one shared sweep. A fixed-N run's `pass` says
 * whether it is of the coarse grid or of the refinement placed from it (absent: coarse); the claims
 * see one family with all its runs.
 */
export type Tag =
  | { readonly kind: 'fixedN'; readonly L: number; readonly width: number; readonly N: number; readonly P: number; readonly seed: number; readonly pass?: 'coarse' | 'refine' }
  | { readonly kind: 'mnist'; readonly P: number; readonly L: number; readonly h: number; readonly seed: number }
  | { readonly kind: 'softplus'; readonly P: number; readonly seed: number }
  | { readonly kind: 'linear'; readonly P: number; readonly d: number; readonly seed: number }
  | { readonly kind: 'crossEntropy'; readonly P: number; readonly seed: number };

export interface PlannedItem {
  readonly tag: Tag;
  readonly item: SweepItem;
}

const FULL = { spectra: 'counts', deltas: true, testError: false } as const;

/**
 * Every run a scale needs before any result, in a fixed order; the claims share them (one sweep, one
 * store). Fixed-N families give their coarse pass here; their refinement is placed from its records
 * (planRefinement).
 */
export function planScale(scale: Scale): PlannedItem[] {
  const out: PlannedItem[] = [];
  const budget = scale.maxEvaluations;
  scale.fixedN.forEach(checkRefine);
  for (const f of scale.fixedN) {
    const N = familyN(f);
    for (const P of familyPs(f)) {
      for (const seed of f.seeds) {
        out.push({ tag: { kind: 'fixedN', L: f.L, width: f.width, N, P, seed, pass: 'coarse' }, item: randomItem({ P, h: f.width, L: f.L, seed, maxEvaluations: budget }, FULL) });
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
          // every eigenvalue kept: claim 3 counts N_-(Hp) at the minimum's own resolution (Ntot about 80)
          item: randomItem({ P, d: s.d, h: s.h, L: s.L, seed, activation: 'softplus', beta: s.beta, maxEvaluations: budget }, { ...FULL, spectra: 'full' }),
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

/** A refinement's seeds must be fresh: a coarse seed at a refined P would count one network twice. */
function checkRefine(f: FixedNFamily, i: number): void {
  const r = f.refine;
  if (!r) return;
  const field = `fixedN[${i}].refine`;
  if (!r.ratiosOfPstar.every((x) => Number.isFinite(x) && x > 0)) throw new InputError(`${field}.ratiosOfPstar`, r.ratiosOfPstar, 'positive numbers');
  if (r.acrossWindow !== undefined && !(Number.isInteger(r.acrossWindow) && r.acrossWindow >= 0)) throw new InputError(`${field}.acrossWindow`, r.acrossWindow, 'an integer >= 0');
  if (r.maxEvaluations !== undefined && !(Number.isInteger(r.maxEvaluations) && r.maxEvaluations >= 1)) throw new InputError(`${field}.maxEvaluations`, r.maxEvaluations, 'an integer >= 1');
  const shared = r.seeds.filter((s) => f.seeds.includes(s));
  if (shared.length || new Set(r.seeds).size !== r.seeds.length) throw new InputError(`${field}.seeds`, r.seeds, `distinct seeds, none of the coarse ones (${f.seeds.join(', ')})`);
}

function refinedItem(f: FixedNFamily, P: number, seed: number, maxEvaluations: number): PlannedItem {
  return { tag: { kind: 'fixedN', L: f.L, width: f.width, N: familyN(f), P, seed, pass: 'refine' }, item: randomItem({ P, h: f.width, L: f.L, seed, maxEvaluations }, FULL) };
}

export interface RefinementPlan {
  /** one per fixed-N family with a refine field, in the scale's order */
  readonly placements: Placement[];
  /** the refined runs, family by family, P ascending, then seeds */
  readonly planned: PlannedItem[];
}

/**
 * The refinement pass of every fixed-N family that has one, placed from the coarse pass's records
 * (the tagged records of planScale's fixed-N runs; refined ones among them are ignored).
 * Deterministic: the same coarse records give the same plan, bit for bit.
 */
export function planRefinement(scale: Scale, coarse: readonly TaggedRecord[]): RefinementPlan {
  scale.fixedN.forEach(checkRefine);
  const placements: Placement[] = [];
  const planned: PlannedItem[] = [];
  for (const f of scale.fixedN) {
    if (!f.refine) continue;
    const records = coarse.filter((t) => t.tag.kind === 'fixedN' && t.tag.L === f.L && t.tag.width === f.width && t.tag.pass !== 'refine').map((t) => t.record);
    const p = placeRefinement({ ...f, refine: f.refine }, records, scale.maxEvaluations);
    placements.push(p);
    for (const P of p.Ps) for (const seed of p.seeds) planned.push(refinedItem(f, P, seed, p.maxEvaluations));
  }
  return { placements, planned };
}

/**
 * The refinement as the plan estimates it before any run (costModel.ts): P* at the family's middle
 * ratio (placement.ts expectedPstar), the window's P values at P* itself. The true P values follow
 * the coarse pass; coinciding ones run once, so the count is an upper bound.
 */
export function estimatedRefinement(scale: Scale): PlannedItem[] {
  scale.fixedN.forEach(checkRefine);
  return scale.fixedN.flatMap((f) => {
    if (!f.refine) return [];
    const Pstar = expectedPstar(f);
    const Ps = [...f.refine.ratiosOfPstar.map((r) => Math.round(r * Pstar)), ...Array<number>(f.refine.acrossWindow ?? 0).fill(Math.round(Pstar))];
    return Ps.filter((P) => P >= 1).flatMap((P) => f.refine!.seeds.map((seed) => refinedItem(f, P, seed, f.refine!.maxEvaluations ?? scale.maxEvaluations)));
  });
}

/** The records of a plan, joined to their tags (records come back from the sweep in plan order). */
export interface TaggedRecord {
  readonly tag: Tag;
  readonly record: RunRecord;
}

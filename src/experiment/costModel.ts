import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { totalmem } from 'node:os';
import { architectureOf } from '../run/config.ts';
import { layout } from '../model/architecture.ts';
import { estimateRunMemory, memoryRefusal, MEMORY_SHARE } from '../run/memory.ts';
import type { Scale } from './scales.ts';
import { estimatedRefinement, planScale, type Tag } from './plan.ts';
import { expectedPstar } from './placement.ts';
import { evaluationsText } from './budgetReason.ts';
import { familyN } from './scales.ts';

/**
 * What a scale will cost, before any work: seconds per gradient evaluation = a + b P Ntot on one
 * thread. a = 30 us (fixed: the per-evaluation overhead measured on the ci sweep); b comes from the
 * newest `npm run bench` gradient rows of this machine (wasm, one thread) by least squares, else
 * 1 ns. Checked on the ci sweep: the model gives 1204 s of training for its 123 runs, measured 1159 s.
 * Evaluations per run: up to the scale's budget; "expected" takes 130k, the median of the ci sweep's
 * jammed runs (its fitted runs take 20k, so this leans to the costly side).
 */
export const OVERHEAD_SECONDS = 30e-6;
export const DEFAULT_PER_PATTERN_PARAMETER = 1e-9;
export const EXPECTED_EVALUATIONS = 130_000;
/**
 * "Expected" for a refinement run, placed near P*: 500k, the full scale's budget, which the low-loss
 * runs near P* of its N = 300 family spent without ending (the 235-run report); at most the refinement's budget.
 */
export const EXPECTED_EVALUATIONS_NEAR_PSTAR = 500_000;

const BENCH_DIR = fileURLToPath(new URL('../../reports/bench/', import.meta.url));

export interface Calibration {
  readonly perPatternParameter: number;
  /** the bench file it came from, or "default" */
  readonly source: string;
}

/** b of the cost model from the newest bench file with one-thread gradient rows. */
export function calibrate(dir = BENCH_DIR): Calibration {
  if (!existsSync(dir)) return { perPatternParameter: DEFAULT_PER_PATTERN_PARAMETER, source: 'default (no bench results)' };
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort().reverse()) {
    try {
      const doc = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { sections?: { name: string; rows: Record<string, string | number>[] }[] };
      const grad = doc.sections?.find((s) => s.name.startsWith('gradient'));
      const pts = (grad?.rows ?? []).flatMap((r) => {
        const P = Number(/P=(\d+)/.exec(String(r.workload))?.[1]);
        // 'wasm ms (1 thread)': the column's name before the native team
        const ms = Number(r['kernels ms (1 thread)'] ?? r['wasm ms (1 thread)']);
        return Number.isFinite(P) && Number.isFinite(ms) && Number(r.Ntot) > 0 ? [{ x: P * Number(r.Ntot), y: ms / 1000 - OVERHEAD_SECONDS }] : [];
      });
      if (pts.length >= 2) {
        const b = pts.reduce((s, p) => s + p.x * p.y, 0) / pts.reduce((s, p) => s + p.x * p.x, 0);
        if (b > 0) return { perPatternParameter: b, source: `reports/bench/${f}` };
      }
    } catch {
      // an unreadable bench file is skipped
    }
  }
  return { perPatternParameter: DEFAULT_PER_PATTERN_PARAMETER, source: 'default (no gradient rows in reports/bench)' };
}

export interface FamilyEstimate {
  readonly family: string;
  readonly runs: number;
  readonly P: string;
  readonly Ntot: number;
  readonly secondsPerEvaluation: number;
  readonly expectedCpuHours: number;
  readonly maxCpuHours: number;
  readonly peakBytes: number;
  /** runs whose estimated memory does not fit this machine */
  readonly refused: number;
  /** why the first refused run cannot be made here (memoryRefusal's words) */
  readonly refusal?: string;
}

export interface ScaleEstimate {
  readonly scale: string;
  readonly calibration: Calibration;
  readonly available: number;
  readonly families: FamilyEstimate[];
  readonly expectedCpuHours: number;
  readonly maxCpuHours: number;
  readonly searches: string;
  /** how the refinement rows were estimated, one line per family with a refine field (none: empty) */
  readonly refinements: string[];
}

/** A run's family as the plan's table names it. */
export function familyOf(t: Tag): string {
  switch (t.kind) {
    case 'fixedN':
      return `random L = ${t.L}, d = h = ${t.width} (N = ${t.N})${t.pass === 'refine' ? ', refinement (P estimated)' : ''}`;
    case 'mnist':
      return `MNIST P = ${t.P}, L = ${t.L} (its widths)`;
    case 'softplus':
      return 'softplus control';
    case 'linear':
      return `linear control (d = ${t.d})`;
    case 'crossEntropy':
      return 'cross-entropy control';
  }
}

/** The model's seconds for one gradient evaluation of P patterns and Ntot parameters, on one thread. */
export function secondsPerEvaluation(P: number, Ntot: number, calibration: Calibration): number {
  return OVERHEAD_SECONDS + calibration.perPatternParameter * P * Ntot;
}

export function estimateScale(scale: Scale, calibration = calibrate(), available = MEMORY_SHARE * totalmem()): ScaleEstimate {
  const groups = new Map<string, { P: number[]; Ntot: number; s: number[]; peak: number; refused: number; refusal?: string; budget: number; expected: number }>();
  // the refinement's P follow the coarse pass: estimated here (plan.ts estimatedRefinement)
  for (const { tag, item } of [...planScale(scale), ...estimatedRefinement(scale)]) {
    const { data } = item.config;
    if (data.kind === 'file') continue;
    const arch = architectureOf(item.config, data.d);
    const Ntot = layout(arch).Ntot;
    const s = secondsPerEvaluation(data.P, Ntot, calibration);
    const mem = estimateRunMemory(arch, data.P, item.analyse).bytes;
    const refine = tag.kind === 'fixedN' && tag.pass === 'refine';
    const budget = refine ? (item.config.train.maxEvaluations ?? scale.maxEvaluations) : scale.maxEvaluations;
    const expected = Math.min(refine ? EXPECTED_EVALUATIONS_NEAR_PSTAR : EXPECTED_EVALUATIONS, budget);
    const g = groups.get(familyOf(tag)) ?? { P: [], Ntot, s: [], peak: 0, refused: 0, budget, expected };
    g.P.push(data.P);
    g.s.push(s);
    g.Ntot = Math.max(g.Ntot, Ntot);
    g.peak = Math.max(g.peak, mem);
    const why = memoryRefusal(arch, data.P, item.analyse, available);
    if (why !== null) {
      g.refused++;
      g.refusal ??= why;
    }
    groups.set(familyOf(tag), g);
  }
  const families = [...groups].map(([family, g]) => {
    const sum = g.s.reduce((a, b) => a + b, 0);
    return {
      family,
      runs: g.s.length,
      P: Math.min(...g.P) === Math.max(...g.P) ? String(g.P[0]) : `${Math.min(...g.P)}..${Math.max(...g.P)}`,
      Ntot: g.Ntot,
      secondsPerEvaluation: sum / g.s.length,
      expectedCpuHours: (sum * g.expected) / 3600,
      maxCpuHours: (sum * g.budget) / 3600,
      peakBytes: g.peak,
      refused: g.refused,
      ...(g.refusal ? { refusal: g.refusal } : {}),
    };
  });
  const searches = scale.mnistSearches.map((s) => `P = ${s.P} (${s.seeds.length} seeds)`).join(', ');
  const refinements = scale.fixedN.flatMap((f) => {
    if (!f.refine) return [];
    const Pstar = expectedPstar(f);
    const budget = f.refine.maxEvaluations ?? scale.maxEvaluations;
    const across = f.refine.acrossWindow ? ` and ${f.refine.acrossWindow} across its window (counted at P*)` : '';
    return [`N = ${familyN(f)}, L = ${f.L}: P* taken at the middle coarse ratio, P = ${Math.round(Pstar)} (P/N = ${(Pstar / familyN(f)).toPrecision(3)}); P/P* in {${f.refine.ratiosOfPstar.join(', ')}}${across}; ${f.refine.seeds.length} seeds; budget ${evaluationsText(budget)}, expected ${evaluationsText(Math.min(EXPECTED_EVALUATIONS_NEAR_PSTAR, budget))} a run`];
  });
  return {
    scale: scale.name,
    calibration,
    available,
    families,
    expectedCpuHours: families.reduce((a, f) => a + f.expectedCpuHours, 0),
    maxCpuHours: families.reduce((a, f) => a + f.maxCpuHours, 0),
    searches,
    refinements,
  };
}

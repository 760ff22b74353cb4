import type { RunRecord, SpectraRecord, TestRecord } from '../../src/run/record.ts';
import type { RunResults } from '../../src/run/record.ts';
import type { TaggedRecord, Tag } from '../../src/experiment/plan.ts';
import type { Scale, FixedNFamily, MnistFamily } from '../../src/experiment/scales.ts';
import { familyN } from '../../src/experiment/scales.ts';
import { weightCount } from '../../src/model/architecture.ts';

/**
 * Synthetic run records for the claim specs: every field a claim reads, with defaults of a clean
 * run, so a spec states only what it varies. No training happens here: the specs check the rules.
 */
export interface RunSpec {
  P: number;
  N: number;
  seed: number;
  verdict?: RunResults['verdict'];
  liveNDelta?: number;
  contactNDelta?: number;
  deadPatterns?: number;
  liveLoss?: number;
  deadLoss?: number;
  effectiveN?: number;
  spectra?: Partial<SpectraRecord>;
  deltas?: number[];
  deadIndices?: number[];
  test?: TestRecord;
  data?: Record<string, unknown>;
  h?: number;
  L?: number;
}

export function runRecord(s: RunSpec): RunRecord {
  const verdict = s.verdict ?? ((s.liveNDelta ?? 0) + (s.deadPatterns ?? 0) > 0 ? 'jammed' : 'fitted');
  const live = verdict === 'fitted' ? 0 : (s.liveNDelta ?? 0);
  const dead = verdict === 'fitted' ? 0 : (s.deadPatterns ?? 0);
  const contact = verdict === 'fitted' ? 0 : (s.contactNDelta ?? 0);
  const liveLoss = verdict === 'fitted' ? 0 : (s.liveLoss ?? (live > 0 ? 0.01 * live / s.P : 0));
  const deadLoss = verdict === 'fitted' ? 0 : (s.deadLoss ?? (dead > 0 ? 0.5 * dead / s.P : 0));
  const loss = liveLoss + deadLoss;
  const results = {
    verdict,
    loss,
    N: s.N,
    Ntot: s.N + 10,
    P: s.P,
    gradientNorm: verdict === 'fitted' ? 0 : 1e-12,
    nDelta: live + contact + dead,
    liveNDelta: live,
    contactNDelta: contact,
    deadPatterns: dead,
    liveLoss,
    deadLoss,
    deadPatternRun: deadLoss > 0 && deadLoss > liveLoss,
    contacts: contact,
    contactTolerance: 1e-9,
    deadUnits: 0,
    effectiveN: s.effectiveN ?? s.N,
    kinks: 0,
    kinkTolerance: 1e-9,
    ...(verdict === 'jammed' ? { certificate: { kind: 'nonsmooth', passed: true, gradientScale: 1, gradientNorm: 1e-12, sampling: [], perturbations: [], evaluations: 0 } } : {}),
    steps: 1,
    gradientEvaluations: 1,
    wallSeconds: 0,
    phases: [],
  } as unknown as RunResults;
  const spectra: SpectraRecord | undefined =
    verdict === 'jammed'
      ? { nNegHp: Math.round(0.5 * s.N), nNegH: 0, rankH0: Math.min(live + contact + dead, s.N), minEigH: 0, maxAbsHp: Math.sqrt(Math.max(liveLoss, 1e-300)), scale: 1, tolerance: 1e-12, ...s.spectra }
      : undefined;
  const config = {
    data: s.data ?? { kind: 'random', P: s.P, d: s.h ?? 10, seed: s.seed },
    model: { h: s.h ?? 10, L: s.L ?? 2, activation: 'relu', beta: 10, bias: true },
    loss: { kind: 'quadratic', kappa: 1 },
    train: { optimizer: 'default', engine: 'float64' },
    seed: s.seed,
  };
  return {
    key: `${s.N}-${s.P}-${s.seed}-${JSON.stringify(s.data ?? '')}`,
    item: { config, analyse: { spectra: 'counts', deltas: true, testError: !!s.test } },
    results,
    ...(spectra ? { spectra } : {}),
    ...(s.deltas ? { deltas: s.deltas } : {}),
    ...(s.deadIndices ? { deadIndices: s.deadIndices } : {}),
    ...(s.test ? { test: s.test } : {}),
    wallSeconds: 0,
  } as unknown as RunRecord;
}

/** A scale with only the families a spec needs. */
export function scaleOf(parts: { fixedN?: FixedNFamily[]; mnist?: MnistFamily[] }): Scale {
  return { name: 'ci', fixedN: parts.fixedN ?? [], mnist: parts.mnist ?? [], mnistSearches: [], softplus: [], linear: { d: 4, ratios: [], seeds: [] }, maxEvaluations: 1000 };
}

export const seedsFrom = (first: number, k: number) => Array.from({ length: k }, (_, i) => first + i);

/**
 * A fixed-N family whose runs follow a given law: at P/N = ratio and seed index s of k, `run` says
 * what the run is. The tag is the one planScale gives.
 */
export function fixedNSweep(f: FixedNFamily, run: (p: { P: number; N: number; ratio: number; seed: number; s: number; k: number }) => Partial<RunSpec>): TaggedRecord[] {
  const N = familyN(f);
  return f.ratios.flatMap((ratio) => {
    const P = Math.round(ratio * N);
    return f.seeds.map((seed, s) => {
      const tag: Tag = { kind: 'fixedN', L: f.L, width: f.width, N, P, seed };
      return { tag, record: runRecord({ P, N, seed, h: f.width, L: f.L, ...run({ P, N, ratio, seed, s, k: f.seeds.length }) }) };
    });
  });
}

/** An MNIST width sweep: at width h and seed index s, `run` says what the run is. */
export function mnistSweep(m: MnistFamily, run: (p: { h: number; N: number; seed: number; s: number; k: number }) => Partial<RunSpec>): TaggedRecord[] {
  return m.widths.flatMap((h) => {
    const N = weightCount(10, h, m.L);
    return m.seeds.map((seed, s) => {
      const tag: Tag = { kind: 'mnist', P: m.P, L: m.L, h, seed };
      return { tag, record: runRecord({ P: m.P, N, seed, h, L: m.L, data: { kind: 'mnist', P: m.P, d: 10, seed, nTest: 100 }, ...run({ h, N, seed, s, k: m.seeds.length }) }) };
    });
  });
}

/** Deterministic "noise" in [-1, 1] from integers (no RNG state shared between specs). */
export function jitter(...xs: number[]): number {
  let h = 2166136261;
  for (const x of xs) h = Math.imul(h ^ Math.imul(x | 0, 0x9e3779b1), 16777619) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  return ((h % 20001) - 10000) / 10000;
}

/** A smooth run for claim 3's specs: softplus (L >= 1) or linear (L = 0), with the smooth certificate. */
export interface SmoothRunSpec extends RunSpec {
  d: number;
  h: number;
  L: number;
  beta?: number;
  /** every parameter, biases included (default N + 10) */
  Ntot?: number;
  certificate?: 'smooth' | 'kinked';
}

export function smoothRunRecord(s: SmoothRunSpec): RunRecord {
  const base = runRecord(s);
  const activation = s.L === 0 ? 'relu' : 'softplus';
  const certificate = base.results.verdict === 'jammed' ? { certificate: { kind: s.certificate ?? 'smooth', gradientNorm: 1e-12, gradientScale: 1, lambdaMin: 0, lambdaMax: 1, kinks: 0 } } : {};
  return {
    ...base,
    key: `smooth-${s.d}-${s.h}-${s.L}-${base.key}`,
    item: { ...base.item, config: { ...base.item.config, data: { kind: 'random', P: s.P, d: s.d, seed: s.seed }, model: { h: s.h, L: s.L, activation, beta: s.beta ?? 2, bias: true } } },
    results: { ...base.results, Ntot: s.Ntot ?? s.N + 10, ...certificate },
  } as unknown as RunRecord;
}

/** Tagged softplus runs of one family (the tag planScale gives: P and seed only). */
export function softplusTagged(s: SmoothRunSpec): TaggedRecord {
  return { tag: { kind: 'softplus', P: s.P, seed: s.seed }, record: smoothRunRecord(s) };
}

/** A tagged linear (L = 0) run of the control. */
export function linearTagged(s: Omit<SmoothRunSpec, 'h' | 'L'>): TaggedRecord {
  return { tag: { kind: 'linear', P: s.P, d: s.d, seed: s.seed }, record: smoothRunRecord({ ...s, h: 0, L: 0, N: s.d, Ntot: s.d + 1 }) };
}

import { fileURLToPath } from 'node:url';
import { planRefinement, planScale, type PlannedItem, type TaggedRecord, type Tag } from './plan.ts';
import type { Placement } from './placement.ts';
import { findJammingPoint, type JammingPoint, type JammingSearch } from './jammingPoint.ts';
import { mnistItem } from './grid.ts';
import { weightCount } from '../model/architecture.ts';
import type { FixedNFamily, Scale } from './scales.ts';
import { spectrumPicks, withFullSpectra, type SpectrumPick } from './spectraRuns.ts';
import { openStore } from './store.ts';
import { runSweep, type SweepFailure } from './sweep.ts';
import type { ProgressSink } from './progress.ts';
import type { RunPool } from './pool.ts';
import type { RunRecord } from '../run/record.ts';


/** Where a scale's runs are kept between invocations (not committed: reports/results.json is). */
export function defaultStorePath(scale: Scale): string {
  return fileURLToPath(new URL(`../../reports/store/${scale.name}.sqlite`, import.meta.url));
}

export interface ScaleRun {
  /** the coarse runs in plan order, then the refined ones (tag pass 'refine') */
  readonly tagged: TaggedRecord[];
  /** where each fixed-N family's refinement went and why (families with a refine field; none when fixed-N runs were not asked for) */
  readonly placements?: Placement[];
  /** the authors' adaptive N* searches (MNIST), in the scale's order */
  readonly jammingPoints: JammingPoint[];
  /** below, at and above jamming, with every eigenvalue (asked for with `spectrumFamily`) */
  readonly spectra: SpectrumPick[];
  readonly failures: SweepFailure[];
  readonly computed: number;
  readonly reused: number;
  readonly wallSeconds: number;
}

export interface RunScaleOptions {
  readonly storePath?: string;
  readonly workers?: number;
  /** where the runs are computed, instead of a pool of `workers` threads here (a queue: experiment/queue.ts) */
  readonly pool?: RunPool;
  /** only the runs of these kinds (for some claims) */
  readonly kinds?: readonly Tag['kind'][];
  readonly progress?: ProgressSink;
  /**
   * Also run three runs of one fixed-N family again with every eigenvalue kept (spectraRuns.ts):
   * the family is the first this accepts that has a transition. A run with full spectra is an item
   * of its own (its key differs), so it trains again; three runs, a few seconds each at ci size.
   */
  readonly spectrumFamily?: (f: FixedNFamily) => boolean;
}

/**
 * Every run of a verification: the runs a scale plans (or only those of the given kinds) in one
 * sweep, the fixed-N refinements placed from that sweep's records in a second, the authors'
 * adaptive N* searches, and the runs whose full spectra the report draws. Records are stored the
 * moment they complete, so an interrupted run resumes where it stopped, and its refinement is
 * placed again on the same coarse records, at the same P.
 */
export async function runScale(scale: Scale, opts: RunScaleOptions = {}): Promise<ScaleRun> {
  const start = performance.now();
  const planned: PlannedItem[] = planScale(scale).filter((p) => !opts.kinds || opts.kinds.includes(p.tag.kind));
  const store = openStore(opts.storePath ?? defaultStorePath(scale));
  // where every sweep of the scale runs: the given pool (a queue), else threads here
  const where = opts.pool ? { pool: opts.pool } : opts.workers !== undefined ? { workers: opts.workers } : {};
  try {
    const res = await runSweep(
      planned.map((p) => p.item),
      { store, ...where, ...(opts.progress ? { progress: opts.progress } : {}) },
    );
    const join = (ps: readonly PlannedItem[], recordOf: (i: number) => RunRecord | undefined): TaggedRecord[] =>
      ps.flatMap((p, i) => {
        const r = recordOf(i);
        return r ? [{ tag: p.tag, record: r }] : [];
      });
    const tagged = join(planned, res.recordOf);
    const failures = [...res.failures];
    let computed = res.computed;
    let reused = res.reused;
    // the refinement: P values placed from the coarse records, every family in one sweep
    let placements: Placement[] | undefined;
    if (!opts.kinds || opts.kinds.includes('fixedN')) {
      const refined = planRefinement(scale, tagged);
      placements = refined.placements;
      if (refined.planned.length) {
        const r = await runSweep(
          refined.planned.map((p) => p.item),
          { store, ...where, ...(opts.progress ? { progress: opts.progress } : {}) },
        );
        tagged.push(...join(refined.planned, r.recordOf));
        failures.push(...r.failures);
        computed += r.computed;
        reused += r.reused;
      }
    }
    // adaptive searches: each round of widths is one small sweep through the same store
    const jammingPoints: JammingPoint[] = [];
    if (!opts.kinds || opts.kinds.includes('mnist')) {
      for (const s of scale.mnistSearches) {
        const search: JammingSearch = {
          label: `MNIST P = ${s.P}, L = ${s.L}`,
          P: s.P,
          seeds: s.seeds,
          item: (h, seed) => mnistItem({ P: s.P, h, L: s.L, seed, nTest: s.nTest, maxEvaluations: scale.maxEvaluations }, { spectra: 'none', deltas: false, testError: false }),
          N: (h) => weightCount(10, h, s.L),
          hStart: s.hStart,
          hMin: 1,
          hMax: 4096,
        };
        jammingPoints.push(
          await findJammingPoint(search, async (items) => {
            const r = await runSweep(items, { store, ...where });
            failures.push(...r.failures);
            computed += r.computed;
            reused += r.reused;
            return r.records;
          }),
        );
      }
    }
    const spectra: SpectrumPick[] = [];
    if (opts.spectrumFamily && !opts.kinds) {
      const picks = spectrumPicks(tagged, scale, opts.spectrumFamily);
      const items = picks.map((p) => withFullSpectra(p.record.item));
      const r = await runSweep(items, { store, ...where });
      failures.push(...r.failures);
      computed += r.computed;
      reused += r.reused;
      // a failed run has no record, and the others keep their side
      picks.forEach((p, i) => {
        const record = r.recordOf(i);
        if (record) spectra.push({ side: p.side, record });
      });
    }
    return { tagged, ...(placements ? { placements } : {}), jammingPoints, spectra, failures, computed, reused, wallSeconds: (performance.now() - start) / 1000 };
  } finally {
    store.close();
  }
}

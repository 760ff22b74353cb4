import type { RunRecord, SweepItem } from '../run/record.ts';

/** An item whose run threw: nothing is stored for it, so the next sweep tries it again. */
export interface SweepFailure {
  readonly key: string;
  readonly item: SweepItem;
  /** the error's name (e.g. "InputError", "Error") and message, as thrown inside the run */
  readonly name: string;
  readonly message: string;
}

/**
 * What a sweep returns. Identical items are run once and appear once: `records` holds one record per
 * distinct successful item and `failures` one entry per distinct failed item, both in the order of
 * each item's first appearance in the input (never completion order), so the result is the same
 * whatever the number of workers. Records read from the store and records computed now are alike.
 */
export interface SweepResult {
  readonly records: RunRecord[];
  /** the record of each input item, by its position in the input (undefined where it failed): callers never hash an item again */
  readonly recordOf: (index: number) => RunRecord | undefined;
  readonly failures: SweepFailure[];
  /** how many distinct items were run by this call (successes + failures) */
  readonly computed: number;
  /** how many distinct items were in the store already, or were stored meanwhile by another coordinator, and so were not run here */
  readonly reused: number;
}

/** What runSweep tells a progress display. */
export interface ProgressSink {
  /** total distinct items, how many were already stored, how many will run, on how many workers (0 = inline, -1 = a queue's workers elsewhere) */
  start(info: { total: number; done: number; toRun: number; workers: number }): void;
  record(record: RunRecord): void;
  failure(failure: SweepFailure): void;
  end(result: SweepResult): void;
}

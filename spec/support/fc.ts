import fc from 'fast-check';

/**
 * Every property spec runs with these parameters: a fixed seed (a failure reproduces exactly) and
 * one numRuns for the suite, raised with FC_RUNS for a deeper local search.
 */
export const FC_SEED = 20261126;
export const fcParams = { seed: FC_SEED, numRuns: Number(process.env.FC_RUNS ?? 40) } as const;

export function assertProperty<Ts extends [unknown, ...unknown[]]>(
  property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>,
  numRuns = fcParams.numRuns,
): void | Promise<void> {
  return fc.assert(property as fc.IProperty<Ts>, { ...fcParams, numRuns });
}

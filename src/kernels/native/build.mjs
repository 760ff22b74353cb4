// Builds src/kernels/native/kernels.c into build/kernels-native.node with the machine's C compiler
// (`npm run build:native`, which npm ci runs through `prepare`). The flags are part of the
// numerics (this file is under src/kernels, so the numerics digest reads it):
//   -ffp-contract=off   no fused multiply-add: it rounds once and would change the bits
//   -fno-fast-math      (the default, said once more) IEEE float64 in the written order
// Where no compiler or no Node.js headers are found, it says so and exits 0: the WASM kernels then
// run the same operations with the same bits, slower (src/kernels/select.ts, JAMMING_TEAM).
// Plain JS, so that npm can run it before anything is installed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const source = join(here, 'kernels.c');
const out = join(root, 'build', 'kernels-native.node');

const headerDirs = [
  process.env.npm_config_nodedir && join(process.env.npm_config_nodedir, 'include', 'node'),
  join(dirname(process.execPath), '..', 'include', 'node'),
].filter(Boolean);

/** The compiler's flags; contract = 'fast' only for the spec that shows a fused build is caught. */
export function flags(headers, contract = 'off') {
  const f = ['-O3', '-std=gnu11', '-fPIC', '-shared', '-pthread', `-ffp-contract=${contract}`, '-fno-fast-math', '-fno-strict-aliasing', '-Wall', '-Wextra', '-Wno-unused-parameter', `-I${headers}`];
  if (process.platform === 'darwin') f.push('-undefined', 'dynamic_lookup');
  return f;
}

/** Builds kernels.c into `to`; returns null, or why it could not. Written beside, then renamed: a failed build never leaves half a library in place. */
export function buildNative(to = out, contract = 'off') {
  const headers = headerDirs.find((d) => existsSync(join(d, 'node_api.h')));
  if (!headers) return `no node_api.h under ${headerDirs.join(' or ')}`;
  const cc = process.env.CC || 'cc';
  mkdirSync(dirname(to), { recursive: true });
  const tmp = `${to}.${process.pid}.tmp`;
  try {
    execFileSync(cc, [...flags(headers, contract), source, '-o', tmp], { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (e) {
    return `${cc} failed: ${e.message.split('\n')[0]}`;
  }
  renameSync(tmp, to);
  return null;
}

// node build.mjs [--out PATH] [--contract fast]: the second for spec/kernels/native.spec.ts only
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const to = arg('--out', out);
  const why = buildNative(to, arg('--contract', 'off'));
  if (why) console.warn(`build:native: not built (${why}); the WASM kernels will run, with the same results, slower`);
  else console.log(`build:native: ${to}`);
}

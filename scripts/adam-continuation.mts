/**
 * Driver of the Adam continuation check (scripts/adam-continuation.py, PyTorch float64): gathers
 * jammed end points as run files WITH their data, then runs the Python check over them and passes
 * its table, summary line and exit code through (0 none lowered by more than the threshold, 1 some,
 * 2 bad input, 3 torch and the suite disagree on a start loss).
 *
 *   node --import tsx scripts/adam-continuation.mts --runs DIR  [options]
 *       the run files in DIR (*.json). A file written with --no-save-data gets its data regenerated
 *       from its config (the project's own data code, src/data) into --out; its parameters and
 *       results are copied unchanged. The end point is NOT re-trained: re-training would check
 *       whatever the minimiser of the current src/ produces, not the end point in the file.
 *   node --import tsx scripts/adam-continuation.mts --store PATH --count K --seed S  [options]
 *       a seeded sample of K records of a sweep store (reports/store/<scale>.sqlite) whose verdict
 *       is jammed and whose activation is relu, written under the current numerics version (stale
 *       records are left out: verify would not use them). The store keeps results, not parameters,
 *       so each end point is re-created with executeRun(item) (same config, same bits) and written
 *       as a run file with data, named by the record's key. A re-run whose verdict or loss differs
 *       from the record is reported (and skipped when it is not jammed). A record that keeps its end
 *       point (`theta`: records with per-pattern Delta and loss > 0) is not re-run: its file is the
 *       record, its theta and the data regenerated from its config.
 *       --within R adds every jammed relu run of a random-data fixed-N family with P <= R P*, P* the
 *       family's transition over the store's records (src/experiment/transition.ts), to the sample.
 *       --max-n N keeps only runs with N <= N (the continuation's cost grows with P N).
 *   options: --out DIR (run files made here; default a new temporary folder, kept),
 *            --python EXE (default python3), and, passed to the Python script:
 *            --steps K (default 100000), --lr X, --threshold T (default 0.01), --jobs J, --json FILE
 *
 * Set JAMMING_THREADS=1 when a core is busy: executeRun otherwise uses 2 threads on the main thread.
 */
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openStore } from '../src/experiment/store.ts';
import { itemKey } from '../src/run/key.ts';
import { executeRun } from '../src/run/execute.ts';
import { readRunFile, runFileJson, writeJsonAtomic } from '../src/run/runFile.ts';
import { loadSource } from '../src/data/source.ts';
import { architectureOf } from '../src/run/config.ts';
import { makeLoss } from '../src/loss/losses.ts';
import { transitionInP } from '../src/experiment/transition.ts';
import type { RunRecord } from '../src/run/record.ts';

const OPTIONS = {
  runs: { type: 'string' },
  store: { type: 'string' },
  count: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  python: { type: 'string', default: 'python3' },
  steps: { type: 'string' },
  lr: { type: 'string' },
  threshold: { type: 'string' },
  jobs: { type: 'string' },
  json: { type: 'string' },
  within: { type: 'string' },
  'max-n': { type: 'string' },
} as const;

function flags() {
  try {
    return parseArgs({ options: OPTIONS, strict: true }).values;
  } catch (e) {
    return bad((e as Error).message); // an unknown or malformed flag: bad input, not a crash
  }
}
const opt = flags();

function bad(msg: string): never {
  console.error(`adam-continuation: bad input: ${msg}`);
  process.exit(2);
}

function nonNegInt(name: string, v: string | undefined): number {
  const n = Number(v);
  if (v === undefined || !Number.isInteger(n) || n < 0) bad(`--${name} = ${v}; allowed: an integer >= 0`);
  return n;
}

/** mulberry32: a small seeded generator, so a sample is the same for the same --seed on every machine */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

if (!opt.runs === !opt.store) bad('give exactly one of --runs DIR or --store PATH --count K --seed S');
const outDir = () => {
  const d = opt.out ?? mkdtempSync(join(tmpdir(), 'adam-continuation-'));
  mkdirSync(d, { recursive: true });
  return d;
};
const files: string[] = [];

try {
  if (opt.runs) {
    if (!existsSync(opt.runs)) bad(`--runs ${opt.runs}: no such folder`);
    const names = readdirSync(opt.runs)
      .filter((f) => f.endsWith('.json'))
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    if (names.length === 0) bad(`--runs ${opt.runs}: no *.json run files`);
    let out: string | undefined;
    for (const name of names) {
      const path = join(opt.runs, name);
      let raw: { data?: unknown; config?: unknown };
      try {
        raw = JSON.parse(readFileSync(path, 'utf8'));
      } catch (e) {
        bad(`${path}: ${(e as Error).message}`);
      }
      if (raw.data !== undefined || raw.config === undefined) {
        files.push(path); // with data, or hopeless: the Python script names the missing field
        continue;
      }
      // readRunFile regenerates the data from config.data; theta and results stay the file's own
      const run = readRunFile(path);
      out ??= outDir();
      const dest = join(out, name);
      writeJsonAtomic(dest, runFileJson(run));
      console.error(`${path}: data regenerated from its config -> ${dest}`);
      files.push(dest);
    }
  } else {
    if (!existsSync(opt.store!)) bad(`--store ${opt.store}: no such file`); // openStore would create it
    const count = nonNegInt('count', opt.count);
    const seed = nonNegInt('seed', opt.seed);
    const store = openStore(opt.store!);
    const all = store.all();
    store.close();
    const current = all.filter((r) => r.key === itemKey(r.item));
    const maxN = opt['max-n'] === undefined ? Infinity : nonNegInt('max-n', opt['max-n']);
    const pool = current.filter((r) => r.results.verdict === 'jammed' && r.item.config.model.activation === 'relu' && r.results.N <= maxN);
    console.error(`${opt.store}: ${all.length} records, ${current.length} of the current numerics, ${pool.length} jammed relu`);
    // seeded Fisher-Yates over the key-ordered records, then the first `count`
    const next = rng(seed);
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    const chosen = pool.slice(0, count);
    if (opt.within !== undefined) {
      const within = Number(opt.within);
      if (!(within >= 1)) bad(`--within ${opt.within}; allowed: a number >= 1 (a multiple of P*)`);
      const family = (r: RunRecord) => {
        const c = r.item.config;
        return c.data.kind === 'random' && c.data.d === c.model.h ? `${c.model.L}:${c.model.h}:${c.model.activation}` : null;
      };
      const byFamily = new Map<string, RunRecord[]>();
      for (const r of current) {
        const f = family(r);
        if (f) byFamily.set(f, [...(byFamily.get(f) ?? []), r]);
      }
      for (const [f, rs] of byFamily) {
        const Pstar = transitionInP(rs).Pstar;
        const near = pool.filter((r) => family(r) === f && Number.isFinite(Pstar) && r.results.P <= within * Pstar && !chosen.includes(r));
        console.error(`family L:h ${f}: P* = ${Pstar.toFixed(1)}, ${near.length} more jammed runs with P <= ${within} P*`);
        chosen.push(...near);
      }
    }
    const out = outDir();
    for (const rec of chosen) {
      if (rec.theta) {
        // the record keeps its end point: no re-run
        const split = loadSource(rec.item.config.data);
        const arch = architectureOf(rec.item.config, split.train.d);
        const loss = makeLoss(rec.item.config.loss.kind, rec.item.config.loss.kappa);
        const dest = join(out, `${rec.key.slice(0, 12)}.json`);
        writeJsonAtomic(dest, runFileJson({ record: rec, arch, loss, data: split.train, theta: Float64Array.from(rec.theta) }));
        files.push(dest);
        continue;
      }
      const run = await executeRun(rec.item);
      const tag = rec.key.slice(0, 12);
      if (run.record.results.verdict !== rec.results.verdict || run.record.results.loss !== rec.results.loss) {
        console.error(`${tag}: re-run gives ${run.record.results.verdict} loss ${run.record.results.loss}, store has ${rec.results.verdict} loss ${rec.results.loss}`);
        if (run.record.results.verdict !== 'jammed') continue;
      }
      const dest = join(out, `${tag}.json`);
      writeJsonAtomic(dest, runFileJson({ ...run, data: run.split.train }));
      files.push(dest);
    }
    if (files.length === 0) bad(`--store ${opt.store}: no jammed relu run to check`);
    console.error(`run files in ${out}: ${files.map((f) => basename(f)).join(' ')}`);
  }
} catch (e) {
  // the project's InputError (and JSON errors) name the file and field: exit 2 like the CLI
  bad((e as Error).message);
}

const pass = (['steps', 'lr', 'threshold', 'jobs', 'json'] as const).flatMap((k) => (opt[k] !== undefined ? [`--${k}`, opt[k]!] : []));
const script = fileURLToPath(new URL('./adam-continuation.py', import.meta.url));
const py = spawnSync(opt.python!, [script, ...files, ...pass], { stdio: 'inherit' });
if (py.error) bad(`cannot run ${opt.python}: ${py.error.message}`);
process.exit(py.status ?? 2);

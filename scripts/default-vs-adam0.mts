/**
 * The default minimiser against the authors' adam0 on fresh instances near P* (a faster method is
 * only a faster way to the same answer: the default must reproduce adam0's outcomes). For each instance (random data, d = h = width,
 * L hidden layers, P = round(ratio * N), seed = data seed) both minimisers are run through the CLI
 * (`jamming train --optimizer M --save-run`, one process per run, `--jobs` at a time); each run file
 * is kept in --dir, so a second invocation recomputes nothing. Each end point is then re-evaluated
 * here and classed as
 *   fitted (loss exactly 0), jammed (certified, live patterns carry the loss),
 *   dead (jammed, dead patterns carry most of the loss), budget (neither within the budget).
 * Printed: one row per instance, then the fractions of each outcome per method with their binomial
 * standard errors, the count of instances adam0 fits and the default does not (the rule: 0), and
 * the ratio of gradient evaluations (default / adam0), in total and on the instances both fit.
 *
 *   node --import tsx scripts/default-vs-adam0.mts --width 12 --L 2 --ratios 2.25,2.5,2.75,3 \
 *     --seeds 1000-1005 --dir comparisons/n300 [--jobs 2] [--compute adam0|default|both] [--json out.json]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRunFile } from '../src/run/runFile.ts';
import { evaluate } from '../src/loss/objective.ts';
import { diagnostics } from '../src/analyse/diagnostics.ts';
import { weightCount } from '../src/model/architecture.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const fail = (msg: string): never => {
  process.stderr.write(`default-vs-adam0: ${msg}\n`);
  process.exit(2);
};
const int = (k: string, d?: number) => {
  const v = args.get(k);
  if (v === undefined) return d ?? fail(`--${k} is required`);
  if (!/^\d+$/.test(v)) fail(`--${k} ${v}: expected a positive integer`);
  return Number(v);
};
const width = int('width');
const L = int('L');
const jobs = int('jobs', 1);
const dir = args.get('dir') ?? fail('--dir is required');
const ratios = (args.get('ratios') ?? fail('--ratios is required')).split(',').map(Number);
if (ratios.some((r) => !(r > 0))) fail(`--ratios ${args.get('ratios')}: expected positive numbers`);
const seedSpec = args.get('seeds') ?? fail('--seeds is required');
const m = /^(\d+)-(\d+)$/.exec(seedSpec);
const seeds = m ? Array.from({ length: Number(m[2]) - Number(m[1]) + 1 }, (_, i) => Number(m[1]) + i) : seedSpec.split(',').map(Number);
const N = weightCount(width, width, L);
const methods = ['adam0', 'default'] as const;
// --compute adam0|default|both: which runs this invocation may compute (the table needs both)
const compute = args.get('compute') ?? 'both';
if (!['adam0', 'default', 'both'].includes(compute)) fail(`--compute ${compute}: expected adam0, default or both`);
mkdirSync(dir, { recursive: true });

interface Job { method: string; P: number; seed: number; file: string }
const all: Job[] = [];
for (const r of ratios) for (const seed of seeds) for (const method of methods) {
  const P = Math.round(r * N);
  all.push({ method, P, seed, file: join(dir, `${method}-w${width}-L${L}-P${P}-s${seed}.json`) });
}
const todo = all.filter((j) => !existsSync(j.file) && (compute === 'both' || compute === j.method));
process.stderr.write(`${all.length} runs, ${todo.length} to compute, ${jobs} at a time\n`);
// adam0 runs are the longest: start them first
todo.sort((a, b) => (a.method === b.method ? b.P - a.P : a.method === 'adam0' ? -1 : 1));
async function runOne(j: Job): Promise<void> {
  const flags = ['bin/jamming.js', 'train', '--P', `${j.P}`, '--d', `${width}`, '--h', `${width}`, '--L', `${L}`, '--seed', `${j.seed}`, '--optimizer', j.method, '--save-run', j.file, '--no-save-data', '--json'];
  await new Promise<void>((res, rej) => {
    const p = spawn(process.execPath, flags, { cwd: root, env: { ...process.env, JAMMING_THREADS: '1' }, stdio: ['ignore', 'ignore', 'ignore'] });
    p.on('exit', (code) => (code === 0 ? res() : rej(new Error(`${j.file}: exit ${code}`))));
  });
  process.stderr.write(`done ${j.file}\n`);
}
const queue = [...todo];
await Promise.all(Array.from({ length: jobs }, async () => { for (let j = queue.shift(); j; j = queue.shift()) await runOne(j); }));
const missing = all.filter((j) => !existsSync(j.file));
if (missing.length) {
  process.stderr.write(`${missing.length} runs still missing (computed by another invocation?): ${missing.map((j) => j.file).join(', ')}\n`);
  process.exit(3);
}

type Outcome = 'fitted' | 'jammed' | 'dead' | 'budget';
const rows = all.map((j) => {
  const run = readRunFile(j.file);
  const obj = { arch: run.arch, loss: run.loss, data: run.data };
  const ev = evaluate(obj, run.theta);
  const dg = diagnostics(obj, ev);
  const verdict = run.results!.verdict;
  const outcome: Outcome = ev.value === 0 ? 'fitted' : verdict === 'budget' ? 'budget' : dg.deadPatternRun ? 'dead' : 'jammed';
  return { ...j, outcome, verdict, loss: ev.value, nDelta: ev.nDelta, live: dg.liveNDelta, dead: dg.deadPatterns, deadUnits: dg.deadUnits, evaluations: run.results!.gradientEvaluations };
});
const key = (r: { P: number; seed: number }) => `${r.P}/${r.seed}`;
const by = (method: string) => new Map(rows.filter((r) => r.method === method).map((r) => [key(r), r]));
const a0 = by('adam0');
const df = by('default');
const lines: string[] = [];
lines.push(`# default vs adam0: random data, d = h = ${width}, L = ${L} (N = ${N}), P/N in {${ratios.join(', ')}}, seeds ${seeds[0]}..${seeds.at(-1)}`, '');
lines.push('| P | P/N | seed | adam0 | N_Delta (live/dead) | evals | default | N_Delta (live/dead) | evals |', '| ---: | ---: | ---: | --- | --- | ---: | --- | --- | ---: |');
for (const [k, a] of a0) {
  const d = df.get(k)!;
  lines.push(`| ${a.P} | ${(a.P / N).toFixed(2)} | ${a.seed} | ${a.outcome} | ${a.nDelta} (${a.live}/${a.dead}) | ${a.evaluations} | ${d.outcome} | ${d.nDelta} (${d.live}/${d.dead}) | ${d.evaluations} |`);
}
const n = a0.size;
const frac = (mm: Map<string, (typeof rows)[number]>, o: Outcome) => {
  const k = [...mm.values()].filter((r) => r.outcome === o).length;
  const p = k / n;
  return `${k}/${n} (${p.toFixed(2)} ± ${Math.sqrt((p * (1 - p)) / n).toFixed(2)})`;
};
lines.push('', '| outcome | adam0 | default |', '| --- | --- | --- |');
for (const o of ['fitted', 'jammed', 'dead', 'budget'] as const) lines.push(`| ${o} | ${frac(a0, o)} | ${frac(df, o)} |`);
const missed = [...a0.entries()].filter(([k, a]) => a.outcome === 'fitted' && df.get(k)!.outcome !== 'fitted');
const sum = (mm: Map<string, (typeof rows)[number]>, keys: string[]) => keys.reduce((s, k) => s + mm.get(k)!.evaluations, 0);
const keys = [...a0.keys()];
const bothFit = keys.filter((k) => a0.get(k)!.outcome === 'fitted' && df.get(k)!.outcome === 'fitted');
const agreeOutcome = keys.filter((k) => a0.get(k)!.outcome === df.get(k)!.outcome).length;
lines.push('');
lines.push(`instances adam0 fits and the default does not: ${missed.length}${missed.length ? ` (${missed.map(([k]) => k).join(', ')})` : ''}`);
lines.push(`same outcome on ${agreeOutcome}/${n} instances`);
lines.push(`gradient evaluations, default / adam0: ${(sum(df, keys) / sum(a0, keys)).toFixed(3)} in total; ${bothFit.length ? (sum(df, bothFit) / sum(a0, bothFit)).toFixed(3) : '-'} on the ${bothFit.length} instances both fit`);
const text = lines.join('\n');
process.stdout.write(text + '\n');
if (args.get('json')) writeFileSync(args.get('json')!, JSON.stringify({ width, L, N, ratios, seeds, rows }, null, 1));

process.exit(missed.length ? 1 : 0);

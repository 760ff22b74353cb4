import { mkdirSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { cpus } from 'node:os';
import { parseFlags } from '../util/args.ts';
import { writeJsonAtomic } from '../run/runFile.ts';
import { benchMinimisers } from './minimisers.ts';
import { benchGradient, benchHessian, benchRuns, torchAvailable } from './kernels.ts';
import { formatTable, type BenchSection } from './table.ts';

export const BENCH_HELP = `jamming bench: benchmarks, each row against a baseline measured in the same invocation

  --section NAME   run one section (minimisers, gradient, hessian, runs)
  --fresh          minimisers: re-run adam0 on every instance instead of reading its fixtures (slow)

Each run is saved as JSON under reports/bench/ so a later run can be compared with it.
`;

const SECTIONS = ['minimisers', 'gradient', 'hessian', 'runs'] as const;

export async function benchCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, { section: { type: 'string' }, fresh: { type: 'boolean' }, help: { type: 'boolean' } });
  if (flags.help) {
    process.stdout.write(BENCH_HELP);
    return 0;
  }
  const only = typeof flags.section === 'string' ? flags.section : null;
  if (only && !(SECTIONS as readonly string[]).includes(only)) {
    process.stderr.write(`jamming bench: --section: got ${JSON.stringify(only)}; allowed: one of ${SECTIONS.join(', ')}\n`);
    return 2;
  }
  const log = (s: string) => process.stderr.write(s + '\n');
  const sections: BenchSection[] = [];
  const torch = torchAvailable();
  if (!torch) log('notice: python3 cannot import torch: the PyTorch baselines are skipped');
  if (!only || only === 'gradient') sections.push(benchGradient(torch));
  if (!only || only === 'hessian') sections.push(benchHessian(torch));
  if (!only || only === 'runs') sections.push(await benchRuns());
  if (!only || only === 'minimisers') sections.push(await benchMinimisers({ fresh: flags.fresh === true, log }));
  for (const s of sections) process.stdout.write(`\n## ${s.name}\n${s.note}\n\n${formatTable(s.rows)}\n`);
  const dir = new URL('../../reports/bench/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = new URL(`bench-${stamp}.json`, dir);
  writeJsonAtomic(file.pathname, { date: new Date().toISOString(), commit: gitCommit(), node: process.version, cpus: cpus().length, sections });
  process.stdout.write(`\nsaved ${file.pathname}\n`);
  return 0;
}

function gitCommit(): string {
  try {
    const sha = execSync('git rev-parse HEAD', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execSync('git status --porcelain', { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    return dirty ? `${sha}-dirty` : sha;
  } catch {
    return 'unknown';
  }
}

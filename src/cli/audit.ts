import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlags, numberFlag, stringFlag } from '../util/args.ts';
import { scaleByName } from '../experiment/scales.ts';
import { defaultStorePath } from '../experiment/runScale.ts';
import { openStore } from '../experiment/store.ts';
import { audit, auditSample, type AuditRow } from '../experiment/audit.ts';
import { progressDisplay } from '../experiment/progress.ts';
import { itemKey } from '../run/key.ts';
import type { RunRecord } from '../run/record.ts';
import { defaultReportDir } from '../report/verify.ts';
import { InputError } from '../util/errors.ts';

export const AUDIT_HELP = `jamming audit: re-run a seeded sample of a scale's runs from nothing and compare each record bit for bit

  --scale ci|full|large|paper   (default full)
  --sample K              how many runs (default 10)
  --seed N                the sample's seed (default 1)
  --results FILE          the runs to audit (default: the scale's committed results.json,
                          reports/results.json for full, reports/<scale>/results.json otherwise;
                          where there is none, the scale's store)
  --store FILE            audit the records of this store instead
  --workers K             parallel workers (default: one per core)

Prints, per run: its name, its verdict, and "identical" or the first field that differs, by how
much (wall times aside). Exit 0 when every run is identical, 1 when one differs, 2 bad input,
3 the tool failed.
`;

function fromResults(path: string): RunRecord[] {
  let doc: { runs?: { record?: RunRecord }[]; spectra?: { record?: RunRecord }[] };
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError('--results', path, `a readable results.json (${(e as Error).message})`);
  }
  const rows = [...(doc.runs ?? []), ...(doc.spectra ?? [])];
  if (!rows.length || rows.some((r) => !r.record?.item)) throw new InputError('--results', path, 'a results.json whose runs are {tag, record} (written by jamming verify since run records are kept whole)');
  return rows.map((r) => r.record!);
}

function fromStore(path: string): RunRecord[] {
  if (!existsSync(path)) throw new InputError('--store', path, 'an existing store (run jamming verify, or npm test for ci, first)');
  const store = openStore(path);
  try {
    const current = store.all().filter((r) => r.key === itemKey(r.item));
    if (!current.length) throw new InputError('--store', path, 'a store with records of the current numerics (run jamming verify first)');
    return current;
  } finally {
    store.close();
  }
}

export function auditTable(rows: readonly AuditRow[]): string {
  const show = (v: unknown) => (typeof v === 'number' ? String(v) : String(v));
  return [
    '| run | id | verdict | result |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.label} | ${r.id.slice(0, 12)} | ${r.verdict} | ${r.identical ? 'identical' : `${r.field}: ${show(r.before)} -> ${show(r.now)}${r.relative !== undefined && !Number.isNaN(r.relative) ? ` (relative ${r.relative.toExponential(2)})` : ''}${r.differing > 1 ? `; ${r.differing} fields differ` : ''}`} |`),
  ].join('\n');
}

export async function auditCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, { scale: { type: 'string' }, sample: { type: 'string' }, seed: { type: 'string' }, results: { type: 'string' }, store: { type: 'string' }, workers: { type: 'string' }, help: { type: 'boolean' } });
  if (flags.help) {
    process.stdout.write(AUDIT_HELP);
    return 0;
  }
  if (flags.results !== undefined && flags.store !== undefined) throw new InputError('--store', flags.store, 'either --results or --store, not both');
  const scale = scaleByName(stringFlag(flags, 'scale') ?? 'full');
  const sample = flags.sample !== undefined ? numberFlag(flags, 'sample', 10, { integer: true, min: 1 }) : 10;
  const seed = flags.seed !== undefined ? numberFlag(flags, 'seed', 1, { integer: true, min: 0 }) : 1;
  const workers = flags.workers !== undefined ? numberFlag(flags, 'workers', 0, { integer: true, min: 0 }) : undefined;
  const committedPath = join(defaultReportDir(scale), 'results.json');
  const resultsPath = stringFlag(flags, 'results') ?? (flags.store === undefined && existsSync(committedPath) ? committedPath : undefined);
  const storePath = resultsPath ? undefined : (stringFlag(flags, 'store') ?? defaultStorePath(scale));
  const records = resultsPath ? fromResults(resultsPath) : fromStore(storePath!);
  const picked = auditSample(records, sample, seed);
  process.stdout.write(`audit: ${picked.length} of ${records.length} runs of ${resultsPath ?? storePath} (seed ${seed}), each re-run from nothing\n`);
  const rows = await audit(picked, { committed: !!resultsPath, ...(workers !== undefined ? { workers } : {}), progress: progressDisplay({ label: 'audit' }) });
  process.stdout.write(auditTable(rows) + '\n');
  const differ = rows.filter((r) => !r.identical).length;
  process.stdout.write(`${rows.length - differ} identical, ${differ} differ\n`);
  return differ ? 1 : 0;
}

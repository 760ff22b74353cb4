import { parseFlags, stringFlag } from '../util/args.ts';
import { scaleByName } from '../experiment/scales.ts';
import { defaultStorePath } from '../experiment/runScale.ts';
import { openStore } from '../experiment/store.ts';
import { baselinePath, compareToBaseline, makeBaseline, readBaseline, writeBaseline, type Moved } from '../experiment/baseline.ts';
import { prepareOutputFile } from '../util/outputPath.ts';
import { InputError } from '../util/errors.ts';
import { existsSync } from 'node:fs';
import { itemKey } from '../run/key.ts';

export const BASELINE_HELP = `jamming baseline: compare a scale's stored records with the committed numbers (fixtures/baseline/<scale>.json)

  --scale ci|full|large|paper   (default ci)
  --store FILE            the store to read (default reports/store/<scale>.sqlite; run jamming verify first)
  --baseline FILE         the baseline file (default fixtures/baseline/<scale>.json)
  --write                 replace the baseline with the store's records: after a change of numerics
                          that was meant, and was read in the table this command prints first

Prints every number that moved (run, field, before, now, relative change). Exit 0 when nothing
moved, 1 when something did, 2 bad input, 3 the tool failed.
`;

export function movedTable(moved: readonly Moved[], limit = 60): string {
  const show = (v: Moved['before']) => (typeof v === 'number' ? String(v) : v === undefined ? '(absent)' : String(v));
  const rows = moved.slice(0, limit).map((m) => `| ${m.label} | ${m.field} | ${show(m.before)} | ${show(m.now)} | ${Number.isNaN(m.relative) ? '' : m.relative.toExponential(2)} |`);
  const runs = new Set(moved.map((m) => m.label)).size;
  return [
    `${moved.length} field(s) moved in ${runs} run(s)${moved.length > limit ? ` (first ${limit} shown)` : ''}:`,
    '| run | field | baseline | now | relative |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export function baselineCommand(argv: string[]): number {
  const flags = parseFlags(argv, { scale: { type: 'string' }, store: { type: 'string' }, baseline: { type: 'string' }, write: { type: 'boolean' }, help: { type: 'boolean' } });
  if (flags.help) {
    process.stdout.write(BASELINE_HELP);
    return 0;
  }
  const scale = scaleByName(stringFlag(flags, 'scale') ?? 'ci');
  const storePath = stringFlag(flags, 'store') ?? defaultStorePath(scale);
  if (!existsSync(storePath)) throw new InputError('--store', storePath, `an existing store (run: npx jamming verify --scale ${scale.name})`);
  const path = stringFlag(flags, 'baseline') ?? baselinePath(scale.name);
  if (flags.write) prepareOutputFile('--baseline', path);
  const store = openStore(storePath);
  let records;
  try {
    // only the records of today's numerics: a store keeps those of earlier numerics under other keys
    records = store.all().filter((r) => r.key === itemKey(r.item));
  } finally {
    store.close();
  }
  const fresh = makeBaseline(scale.name, records);
  if (flags.write) {
    writeBaseline(path, fresh);
    process.stdout.write(`baseline: ${fresh.entries.length} runs written to ${path}\n`);
    return 0;
  }
  const b = readBaseline(path);
  if (!b) throw new InputError('--baseline', path, `an existing baseline file (write one with: npx jamming baseline --scale ${scale.name} --write)`);
  const moved = compareToBaseline(b, records);
  if (moved.length === 0) {
    process.stdout.write(`baseline: all ${b.entries.length} runs identical (numerics ${fresh.numerics.slice(0, 12)})\n`);
    return 0;
  }
  process.stdout.write(movedTable(moved) + '\n');
  return 1;
}

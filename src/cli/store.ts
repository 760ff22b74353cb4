import { existsSync } from 'node:fs';
import { parseFlags, stringFlag } from '../util/args.ts';
import { scaleByName } from '../experiment/scales.ts';
import { defaultStorePath } from '../experiment/runScale.ts';
import { openStore, rebuildStore } from '../experiment/store.ts';
import { InputError } from '../util/errors.ts';

export const STORE_HELP = `jamming store check: the integrity of a run store, its counts and its quarantined rows

  --scale ci|full|large|paper   the scale's store (default ci: reports/store/ci.sqlite)
  --store FILE            another store
  --rebuild               for a damaged file: copy every readable record into a new store, which
                          takes its place; the damaged file is kept beside it

A row that cannot be read back is moved to the store's quarantine table (its run is then recomputed
by the next sweep); this lists them. Exit 0 when the store is sound, 1 when rows are quarantined or
SQLite reports damage, 2 bad input, 3 the tool failed.
`;

export function storeCommand(argv: string[]): number {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === undefined) {
    process.stdout.write(STORE_HELP);
    return 0;
  }
  if (sub !== 'check') throw new InputError('jamming store', sub, 'check');
  const flags = parseFlags(rest, { scale: { type: 'string' }, store: { type: 'string' }, rebuild: { type: 'boolean' }, help: { type: 'boolean' } });
  if (flags.help) {
    process.stdout.write(STORE_HELP);
    return 0;
  }
  if (flags.scale !== undefined && flags.store !== undefined) throw new InputError('--store', flags.store, 'either --scale or --store, not both');
  const path = stringFlag(flags, 'store') ?? defaultStorePath(scaleByName(stringFlag(flags, 'scale') ?? 'ci'));
  if (!existsSync(path)) throw new InputError('--store', path, 'an existing store file');
  if (flags.rebuild) {
    const r = rebuildStore(path);
    process.stdout.write(`store ${path}: rebuilt with ${r.kept} readable records${r.unreadable ? ' (SQLite stopped at a damaged page: the rows after it are lost and will be recomputed)' : ''}; the damaged file is ${r.damagedCopy}\n`);
  }
  const store = openStore(path);
  try {
    const c = store.check();
    const q = store.quarantined();
    process.stdout.write(
      [
        `store       ${path}`,
        `integrity   ${c.integrity}`,
        `records     ${c.records}`,
        `quarantined ${c.quarantined}${c.quarantinedNow ? ` (${c.quarantinedNow} moved now)` : ''}`,
        ...q.map((x) => `  ${x.key.slice(0, 16)}  ${x.movedAt}  ${x.reason}`),
      ].join('\n') + '\n',
    );
    return c.integrity === 'ok' && c.quarantined === 0 ? 0 : 1;
  } finally {
    store.close();
  }
}

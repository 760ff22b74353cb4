import { trainCommand, TRAIN_HELP } from './train.ts';
import { hessianCommand, HESSIAN_HELP } from './hessian.ts';
import { verifyCommand, VERIFY_HELP } from './verify.ts';
import { baselineCommand, BASELINE_HELP } from './baseline.ts';
import { storeCommand, STORE_HELP } from './store.ts';
import { auditCommand, AUDIT_HELP } from './audit.ts';
import { workerCommand, WORKER_HELP } from './worker.ts';
import { benchCommand, BENCH_HELP } from '../bench/main.ts';
import { InputError } from '../util/errors.ts';

const HELP = `jamming: the jamming transition of deep networks, verified (arXiv:1809.09349, 1810.09665)

Usage: jamming <command> [flags]

Commands
  train      train one network (random data, MNIST parity or your file) and report its verdict
  hessian    exact Hessian H = H0 + Hp of a saved run, spectra and negative-eigenvalue counts
  verify     run the verification and print the verdict of each claim
  baseline   compare a scale's stored records with the committed numbers (what moved, by how much)
  worker     compute the runs a coordinator (verify --queue redis://...) puts on a Redis queue
  audit      re-run a seeded sample of a scale's runs from nothing and compare each record bit for bit
  store      store check: integrity, counts and quarantined rows of a run store (--rebuild a damaged one)
  bench      benchmarks against baselines run in the same invocation (npm run bench)

Run 'jamming <command> --help' for the flags of a command.
`;

const COMMANDS: Record<string, { run: (argv: string[]) => number | Promise<number>; help: string }> = {
  train: { run: trainCommand, help: TRAIN_HELP },
  hessian: { run: hessianCommand, help: HESSIAN_HELP },
  verify: { run: verifyCommand, help: VERIFY_HELP },
  baseline: { run: baselineCommand, help: BASELINE_HELP },
  store: { run: storeCommand, help: STORE_HELP },
  audit: { run: auditCommand, help: AUDIT_HELP },
  worker: { run: workerCommand, help: WORKER_HELP },
  bench: { run: benchCommand, help: BENCH_HELP },
};

/**
 * Exit codes: 0 done (every claim passes), 1 a claim fails (a finding), 2 bad input (the message
 * names the field), 3 the tool failed (I/O, a corrupt store, a bug): scripts can tell them apart.
 */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const c = COMMANDS[cmd];
  if (!c) {
    process.stderr.write(`jamming: unknown command ${JSON.stringify(cmd)}; allowed: ${Object.keys(COMMANDS).join(', ')}\n`);
    return 2;
  }
  try {
    return await c.run(rest);
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`jamming ${cmd}: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`jamming ${cmd}: failed: ${(e as Error).message}\n`);
    return 3;
  }
}

import { parseFlags, numberFlag, stringFlag } from '../util/args.ts';
import { scaleByName } from '../experiment/scales.ts';
import { progressDisplay } from '../experiment/progress.ts';
import { CLAIMS } from '../claims/index.ts';
import { verify, checkReport, defaultReportDir } from '../report/verify.ts';
import { defaultStorePath } from '../experiment/runScale.ts';
import { prepareOutputDir, prepareOutputFile } from '../util/outputPath.ts';
import { InputError } from '../util/errors.ts';
import { queuePool, redisConnection } from '../experiment/queue.ts';
import { estimateScale, type ScaleEstimate } from '../experiment/costModel.ts';

const bytes = (b: number) => (b >= 1e9 ? `${(b / 1e9).toPrecision(3)} GB` : `${(b / 1e6).toPrecision(3)} MB`);

/** The plan of a scale as a table, with its totals and the calibration it rests on. */
export function planText(e: ScaleEstimate): string {
  const rows = e.families.map((f) => `| ${f.family} | ${f.runs} | ${f.P} | ${f.Ntot} | ${(f.secondsPerEvaluation * 1e3).toPrecision(3)} | ${f.expectedCpuHours.toPrecision(3)} | ${f.maxCpuHours.toPrecision(3)} | ${bytes(f.peakBytes)}${f.refused ? ` (REFUSED: ${f.refused} run(s); allowed: ${f.refusal})` : ''} |`);
  return [
    `plan of the ${e.scale} scale (cost per evaluation: 30 us + b P Ntot, b = ${(e.calibration.perPatternParameter * 1e9).toPrecision(3)} ns from ${e.calibration.source}; one thread per run)`,
    '',
    '| family | runs | P | Ntot | ms per evaluation | CPU-hours expected | CPU-hours at the budget | peak memory per run |',
    '|---|---:|---|---:|---:|---:|---:|---|',
    ...rows,
    '',
    `total: ${e.expectedCpuHours.toPrecision(3)} CPU-hours expected (130k evaluations a run${e.refinements.length ? ', 500k a refinement run' : ''}), ${e.maxCpuHours.toPrecision(3)} at the budget; wall time about that over the number of cores (or queue workers)`,
    ...(e.refinements.length
      ? [
          'refinement rows: their P are placed after the coarse pass, from its fitted P* and 10%-90% window (experiment/placement.ts), so they cannot be known now; estimated here at P* = the middle coarse P/N times N, and their count is an upper bound (coinciding P run once):',
          ...e.refinements.map((r) => `  ${r}`),
        ]
      : []),
    `not in the table: the adaptive N* searches (${e.searches || 'none'}), a few rounds of probes each, and the three full-spectra runs`,
    '',
  ].join('\n');
}

export const VERIFY_HELP = `jamming verify: re-run the experiments, decide every claim of SCIENCE.md, write the report

  --scale ci|full|large|paper  size of the experiments (default full; ci is what npm test checks,
                          large a 32-64 core machine over a night, paper the authors' sizes)
  --claim N[,M...]        only these claims (and only the runs they need); their report goes to
                          claims-N-M/ inside the scale's report folder, never over the full report
  --workers K             parallel workers (default: one per core; 0 runs inline)
  --out DIR               where VERIFICATION.md, figures/ and results.json go
                          (default reports/ for full, reports/<scale>/ otherwise); checked and made
                          before any run, like the store's folder
  --check                 render the report again from the store (computing what it lacks) into a
                          temporary folder and compare it with the committed one (--out names it):
                          verdicts, values, every run's numbers, the markdown; exit 1 on a difference
  --queue redis://H:P     coordinate instead of computing: every run the store lacks becomes a job on
                          this Redis (BullMQ), computed by \`jamming worker\` processes on any machine;
                          records come back into the store as they finish (--workers is then unused)
  --plan                  print, before any work, each family's runs, estimated CPU-hours (expected and
                          at the budget) and peak memory per run, from a cost model calibrated by
                          \`npm run bench\` on this machine; exit 2 when a run cannot fit in memory
  --store FILE            the SQLite store of finished runs (default reports/store/<scale>.sqlite):
                          a re-run, or a run killed and started again, skips what is done

Exit code 0 when every claim passes or is inconclusive, 1 when one fails (a finding: the report says
which and why), 2 bad input, 3 the tool failed.
`;

export async function verifyCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, {
    scale: { type: 'string' },
    claim: { type: 'string' },
    workers: { type: 'string' },
    out: { type: 'string' },
    store: { type: 'string' },
    check: { type: 'boolean' },
    queue: { type: 'string' },
    plan: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (flags.help) {
    process.stdout.write(VERIFY_HELP);
    return 0;
  }
  const scale = scaleByName(stringFlag(flags, 'scale') ?? 'full');
  const estimate = estimateScale(scale);
  if (flags.plan) {
    process.stdout.write(planText(estimate));
    return estimate.families.some((f) => f.refused) ? 2 : 0;
  }
  // a scale with runs that cannot fit here is refused before any of them starts
  const refused = estimate.families.filter((f) => f.refused);
  if (refused.length) throw new InputError('--scale', scale.name, `a scale whose runs can be made here (${refused.map((f) => `${f.family}: ${f.refused} run(s), allowed: ${f.refusal}`).join('; ')}; see --plan)`);
  const claimIds = stringFlag(flags, 'claim')
    ?.split(',')
    .map((s) => {
      const v = Number(s);
      if (!Number.isInteger(v)) throw new InputError('--claim', s, `claim numbers ${CLAIMS[0].id} to ${CLAIMS.at(-1)!.id}, comma-separated`);
      return v;
    });
  if (claimIds && new Set(claimIds).size !== claimIds.length) throw new InputError('--claim', stringFlag(flags, 'claim'), 'each claim number once');
  const workers = flags.workers !== undefined ? numberFlag(flags, 'workers', 0, { integer: true, min: 0 }) : undefined;
  // every output place is checked, and made, before the sweep: a report must not be lost at the end
  const store = prepareOutputFile('--store', stringFlag(flags, 'store') ?? defaultStorePath(scale));
  const queueUrl = stringFlag(flags, 'queue');
  if (queueUrl !== undefined && workers !== undefined) throw new InputError('--workers', flags.workers, 'nothing with --queue (the queue\'s workers compute the runs)');
  if (queueUrl !== undefined && flags.check) throw new InputError('--queue', queueUrl, 'nothing with --check (a check renders from the store here)');
  if (flags.check) {
    // --out names the committed report to check against; nothing of it is written
    const { differences } = await checkReport({ scale, ...(claimIds ? { claimIds } : {}), ...(workers !== undefined ? { workers } : {}), storePath: store, ...(stringFlag(flags, 'out') ? { out: stringFlag(flags, 'out')! } : {}), progress: progressDisplay({ label: `check ${scale.name}` }) });
    process.stdout.write(differences.length ? `the report differs from the committed one:\n${differences.map((d) => `  ${d}`).join('\n')}\n` : `the report renders as committed (provenance aside)\n`);
    return differences.length ? 1 : 0;
  }
  const out = prepareOutputDir('--out', stringFlag(flags, 'out') ?? defaultReportDir(scale, claimIds));
  if (queueUrl !== undefined) redisConnection(queueUrl);
  // every input checked: only now is the queue opened (its connections must be closed, whatever happens)
  const pool = queueUrl !== undefined ? queuePool(queueUrl) : undefined;
  let verified: Awaited<ReturnType<typeof verify>>;
  // the number of workers the progress line shows, asked of Redis every 10 s
  let live: number | undefined;
  let poll: ReturnType<typeof setInterval> | undefined;
  try {
    if (pool) {
      // Redis unreachable: say so, and keep trying (a server being started is normal on a cluster)
      const slow = setTimeout(() => process.stderr.write(`queue ${queueUrl}: no answer yet from Redis; still trying (Ctrl-C to stop)\n`), 10_000);
      await pool.warm();
      clearTimeout(slow);
      live = await pool.liveWorkers();
      poll = setInterval(() => void pool.liveWorkers().then((n) => (live = n), () => undefined), 10_000);
      poll.unref();
      process.stderr.write(`queue ${queueUrl}: ${live} worker(s) connected now; runs wait for workers to come\n`);
    }
    verified = await verify({
      scale,
      ...(pool ? { pool } : {}),
      ...(claimIds ? { claimIds } : {}),
      ...(workers !== undefined ? { workers } : {}),
      storePath: store,
      out,
      progress: progressDisplay({ label: `verify ${scale.name}`, ...(pool ? { liveWorkers: () => live } : {}) }),
    });
  } finally {
    clearInterval(poll);
    await pool?.close();
  }
  const { results, reportPath } = verified;
  for (const r of results) process.stdout.write(`claim ${String(r.claim.id).padStart(2)}  ${r.outcome.verdict.padEnd(12)} ${r.outcome.measured}\n`);
  process.stdout.write(`report: ${reportPath}\n`);
  return results.some((r) => r.outcome.verdict === 'fail') ? 1 : 0;
}

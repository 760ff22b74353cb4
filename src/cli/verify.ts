import { parseFlags, numberFlag, stringFlag } from '../util/args.ts';
import { scaleByName } from '../experiment/scales.ts';
import { progressDisplay } from '../experiment/progress.ts';
import { CLAIMS } from '../claims/index.ts';
import { verify } from '../report/verify.ts';
import { InputError } from '../util/errors.ts';

export const VERIFY_HELP = `jamming verify: re-run the experiments, decide every claim of SCIENCE.md, write the report

  --scale ci|full|paper   size of the experiments (default full; ci is what npm test checks,
                          paper the authors' sizes for a bigger machine)
  --claim N[,M...]        only these claims (and only the runs they need)
  --workers K             parallel workers (default: one per core; 0 runs inline)
  --out DIR               where VERIFICATION.md, figures/ and results.json go
                          (default reports/ for full, reports/<scale>/ otherwise)
  --store FILE            the SQLite store of finished runs (default reports/store/<scale>.sqlite):
                          a re-run, or a run killed and started again, skips what is done

Exit code 0 when no claim fails, 1 when one does (a finding: the report says which and why).
`;

export async function verifyCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, {
    scale: { type: 'string' },
    claim: { type: 'string' },
    workers: { type: 'string' },
    out: { type: 'string' },
    store: { type: 'string' },
    help: { type: 'boolean' },
  });
  if (flags.help) {
    process.stdout.write(VERIFY_HELP);
    return 0;
  }
  const scale = scaleByName(stringFlag(flags, 'scale') ?? 'full');
  const claimIds = stringFlag(flags, 'claim')
    ?.split(',')
    .map((s) => {
      const v = Number(s);
      if (!Number.isInteger(v)) throw new InputError('--claim', s, `claim numbers ${CLAIMS[0].id} to ${CLAIMS.at(-1)!.id}, comma-separated`);
      return v;
    });
  const workers = flags.workers !== undefined ? numberFlag(flags, 'workers', 0, { integer: true, min: 0 }) : undefined;
  const store = stringFlag(flags, 'store');
  const out = stringFlag(flags, 'out');
  const { results, reportPath } = await verify({
    scale,
    ...(claimIds ? { claimIds } : {}),
    ...(workers !== undefined ? { workers } : {}),
    ...(store ? { storePath: store } : {}),
    ...(out ? { out } : {}),
    progress: progressDisplay({ label: `verify ${scale.name}` }),
  });
  for (const r of results) process.stdout.write(`claim ${String(r.claim.id).padStart(2)}  ${r.outcome.verdict.padEnd(12)} ${r.outcome.measured}\n`);
  process.stdout.write(`report: ${reportPath}\n`);
  return results.some((r) => r.outcome.verdict === 'fail') ? 1 : 0;
}

import { fileURLToPath } from 'node:url';
import { parseFlags, numberFlag, stringFlag } from '../util/args.ts';
import { scaleByName, type Scale } from '../experiment/scales.ts';
import { kernelBackend } from '../kernels/backend.ts';
import { runScale, defaultStorePath, type ScaleRun } from '../experiment/runScale.ts';
import { progressDisplay } from '../experiment/progress.ts';
import { openStore } from '../experiment/store.ts';
import { runSweep } from '../experiment/sweep.ts';
import { claimsById, evaluateClaims } from '../claims/evaluate.ts';
import { CLAIMS } from '../claims/index.ts';
import { fixedNFamilies } from '../claims/select.ts';
import { inRandomRegime } from '../claims/regime.ts';
import { isDeadPatternRun } from '../experiment/transition.ts';
import { provenance } from '../report/provenance.ts';
import { writeVerificationReport } from '../report/verification.ts';
import type { RunRecord } from '../run/record.ts';
import type { Regime } from '../report/figures.ts';
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

/** The three runs whose full spectra the report shows: below, at and above jamming (main family). */
export function spectraRuns(run: ScaleRun, scale: Scale): { regime: Regime; record: RunRecord }[] {
  // the first family in the claims' regime that has a transition, else the first family
  const fams = fixedNFamilies(run.tagged, scale);
  const f = fams.find((x) => inRandomRegime(x.family) && Number.isFinite(x.transition.Pstar)) ?? fams[0];
  if (!f || !Number.isFinite(f.transition.Pstar)) return [];
  const jammed = f.records.filter((r) => r.results.verdict === 'jammed' && !isDeadPatternRun(r)).sort((a, b) => a.results.P - b.results.P);
  const at = jammed.find((r) => r.results.P >= f.transition.Pstar);
  const below = jammed[jammed.length - 1];
  const above = f.records.filter((r) => r.results.verdict === 'fitted').sort((a, b) => a.results.P - b.results.P)[0];
  return [
    ...(below ? [{ regime: 'below jamming' as const, record: below }] : []),
    ...(at && at !== below ? [{ regime: 'at jamming' as const, record: at }] : []),
    ...(above ? [{ regime: 'above jamming' as const, record: above }] : []),
  ];
}

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
  const start = performance.now();
  const scale = scaleByName(stringFlag(flags, 'scale') ?? 'full');
  const claimArg = stringFlag(flags, 'claim');
  const ids = claimArg?.split(',').map((s) => {
    const v = Number(s);
    if (!Number.isInteger(v)) throw new InputError('--claim', s, `claim numbers ${CLAIMS[0].id} to ${CLAIMS.at(-1)!.id}, comma-separated`);
    return v;
  });
  const claims = claimsById(ids);
  const workers = flags.workers !== undefined ? numberFlag(flags, 'workers', 0, { integer: true, min: 0 }) : undefined;
  const storePath = stringFlag(flags, 'store') ?? defaultStorePath(scale);
  const out = stringFlag(flags, 'out') ?? fileURLToPath(new URL(scale.name === 'full' ? '../../reports/' : `../../reports/${scale.name}/`, import.meta.url));
  const kinds = ids ? [...new Set(claims.flatMap((c) => c.uses))] : undefined;
  const run = await runScale(scale, { storePath, ...(workers !== undefined ? { workers } : {}), ...(kinds ? { kinds } : {}), progress: progressDisplay({ label: `verify ${scale.name}` }) });
  // full spectra of three runs for the report's spectrum figure (stored like every other run)
  const picks = ids ? [] : spectraRuns(run, scale);
  const store = openStore(storePath);
  let spectra: { regime: Regime; record: RunRecord }[] = [];
  try {
    const full = await runSweep(picks.map((p) => ({ ...p.record.item, analyse: { ...p.record.item.analyse, spectra: 'full' as const } })), { store, ...(workers !== undefined ? { workers } : {}) });
    spectra = picks.map((p, i) => ({ regime: p.regime, record: full.records[i] })).filter((s) => s.record);
  } finally {
    store.close();
  }
  const results = evaluateClaims(claims, run.tagged, scale, run.jammingPoints);
  const wallSeconds = (performance.now() - start) / 1000;
  const path = await writeVerificationReport(out, { scale, results, run, provenance: provenance(`float64, ${kernelBackend()} kernels (bit-identical to the plain-TS reference)`), wallSeconds, spectra, partial: !!ids });
  for (const r of results) process.stdout.write(`claim ${String(r.claim.id).padStart(2)}  ${r.outcome.verdict.padEnd(12)} ${r.outcome.measured}\n`);
  process.stdout.write(`report: ${path}\n`);
  return results.some((r) => r.outcome.verdict === 'fail') ? 1 : 0;
}

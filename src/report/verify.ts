import { fileURLToPath } from 'node:url';
import type { Scale } from '../experiment/scales.ts';
import { runScale, defaultStorePath } from '../experiment/runScale.ts';
import type { ProgressSink } from '../experiment/progress.ts';
import { claimsById, decideClaims, type ClaimResult } from '../claims/decide.ts';
import { inRandomRegime } from '../claims/regime.ts';
import { kernelsName } from '../kernels/select.ts';
import { provenance } from './provenance.ts';
import { writeVerificationReport } from './verification.ts';

export interface VerifyOptions {
  readonly scale: Scale;
  /** only these claims, and only the runs they read; undefined: every claim */
  readonly claimIds?: readonly number[];
  readonly workers?: number;
  /** the SQLite store of finished runs (default reports/store/<scale>.sqlite) */
  readonly storePath?: string;
  /** where VERIFICATION.md, figures/ and results.json go (default reports/ for full, reports/<scale>/ otherwise) */
  readonly out?: string;
  readonly progress?: ProgressSink;
}

export interface Verification {
  readonly results: ClaimResult[];
  readonly reportPath: string;
}

/**
 * The default place of a scale's report: reports/ for full, reports/<scale>/ otherwise; a report of
 * some claims only goes to claims-<ids>/ inside it, so it never replaces the report of them all.
 */
export function defaultReportDir(scale: Scale, claimIds?: readonly number[]): string {
  const base = scale.name === 'full' ? '../../reports/' : `../../reports/${scale.name}/`;
  return fileURLToPath(new URL(claimIds ? `${base}claims-${[...claimIds].sort((a, b) => a - b).join('-')}/` : base, import.meta.url));
}

/**
 * The pipeline end to end: the experiment runs (or reads back) every run of the scale, the claims
 * decide on the records, the report renders their plain data. One call for `jamming verify`.
 */
export async function verify(opts: VerifyOptions): Promise<Verification> {
  const start = performance.now();
  const { scale } = opts;
  const claims = claimsById(opts.claimIds);
  const kinds = opts.claimIds ? [...new Set(claims.flatMap((c) => c.uses))] : undefined;
  const run = await runScale(scale, {
    storePath: opts.storePath ?? defaultStorePath(scale),
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    ...(kinds ? { kinds } : { spectrumFamily: inRandomRegime }),
    ...(opts.progress ? { progress: opts.progress } : {}),
  });
  const results = decideClaims(claims, run.tagged, scale, run.jammingPoints);
  const wallSeconds = (performance.now() - start) / 1000;
  const reportPath = await writeVerificationReport(opts.out ?? defaultReportDir(scale, opts.claimIds), {
    scale,
    results,
    run,
    provenance: provenance(`float64, ${kernelsName()} kernels (bit-identical to the plain-TS reference)`),
    wallSeconds,
    partial: !!opts.claimIds,
  });
  return { results, reportPath };
}

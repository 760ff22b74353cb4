import { fileURLToPath } from 'node:url';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baselineEntry, differingFields } from '../experiment/baseline.ts';
import { itemId } from '../run/key.ts';
import type { RunRecord } from '../run/record.ts';
import type { RunPool } from '../experiment/pool.ts';
import type { Scale } from '../experiment/scales.ts';
import { runScale, defaultStorePath } from '../experiment/runScale.ts';
import type { ProgressSink } from '../experiment/progress.ts';
import { claimsById, decideClaims, type ClaimResult } from '../claims/decide.ts';
import { inRandomRegime } from '../claims/regime.ts';
import { kernelsDescription } from '../kernels/select.ts';
import { provenance } from './provenance.ts';
import { writeVerificationReport } from './verification.ts';
import { openStore } from '../experiment/store.ts';
import { ruleDigest } from '../claims/ruleDigest.ts';
import { registrationStatus } from '../claims/registration.ts';
import { historyOnRuns } from '../claims/oldRules.ts';
import { linearControl } from '../claims/linearControl.ts';
import { budgetReason } from '../experiment/budgetReason.ts';

export interface VerifyOptions {
  readonly scale: Scale;
  /** only these claims, and only the runs they read; undefined: every claim */
  readonly claimIds?: readonly number[];
  readonly workers?: number;
  /** compute the runs on a queue's workers instead of threads here */
  readonly pool?: RunPool;
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
  const storePath = opts.storePath ?? defaultStorePath(scale);
  const prov = provenance(`float64, ${kernelsDescription()}, bit-identical to the plain-TS reference`);
  // every rule is registered before its runs (SCIENCE.md, "The claims"); a digest seen before keeps its first time
  const store = openStore(storePath);
  try {
    store.registerRules(claims.map((c) => ({ claim: c.id, digest: ruleDigest(c).digest })), `${prov.commit}${prov.dirty ? ' (dirty)' : ''}`);
  } finally {
    store.close();
  }
  const run = await runScale(scale, {
    storePath,
    ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
    ...(opts.pool ? { pool: opts.pool } : {}),
    ...(kinds ? { kinds } : { spectrumFamily: inRandomRegime }),
    ...(opts.progress ? { progress: opts.progress } : {}),
  });
  const results = decideClaims(claims, run.tagged, scale, run.jammingPoints);
  const after = openStore(storePath);
  const [registrations, writtenAt] = [after.ruleRegistrations(), after.writtenAt()];
  after.close();
  const rules = {
    registration: claims.map((c) => registrationStatus(c, registrations, run.tagged, writtenAt)),
    history: await historyOnRuns(claims, run.tagged, scale, run.jammingPoints),
  };
  const wallSeconds = (performance.now() - start) / 1000;
  const reportPath = await writeVerificationReport(opts.out ?? defaultReportDir(scale, opts.claimIds), {
    scale,
    results,
    run,
    provenance: prov,
    rules,
    linearControl: linearControl(run.tagged),
    // every budget run says why it stopped
    budgetRuns: run.tagged
      .filter((t) => t.record.results.verdict === 'budget')
      .map((t) => ({ tag: t.tag, key: t.record.key, loss: t.record.results.loss, evaluations: t.record.results.gradientEvaluations, reason: budgetReason(t.record) ?? '' })),
    wallSeconds,
    partial: !!opts.claimIds,
  });
  return { results, reportPath };
}

/** A line of VERIFICATION.md that changes with every rendering (when, how long, where): left out of a check. */
const VOLATILE = /^(Scale `[^`]+`.* in \S+ min\.|\| (git commit|numerics digest|Node|engine|cores|wall time|date|[@a-z][\w./-]*) \|)/;

/** Differences between two renderings of a report, wall times, dates and provenance aside. */
export function reportDifferences(committedDir: string, freshDir: string): string[] {
  const out: string[] = [];
  const read = (dir: string, f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : undefined);
  const [a, b] = [read(committedDir, 'results.json'), read(freshDir, 'results.json')];
  if (!a) return [`${join(committedDir, 'results.json')}: no committed report to check against`];
  type Doc = { claims: { id: number; verdict: string; measured: string; values: unknown }[]; runs: { record: RunRecord }[] };
  const [ca, cb] = [JSON.parse(a) as Doc, JSON.parse(b!) as Doc];
  for (const c of ca.claims) {
    const d = cb.claims.find((x) => x.id === c.id);
    if (!d) out.push(`claim ${c.id}: not in the new rendering`);
    else {
      if (c.verdict !== d.verdict) out.push(`claim ${c.id}: verdict ${c.verdict} -> ${d.verdict}`);
      if (c.measured !== d.measured) out.push(`claim ${c.id}: measured "${c.measured.slice(0, 100)}..." -> "${d.measured.slice(0, 100)}..."`);
      if (JSON.stringify(c.values) !== JSON.stringify(d.values)) out.push(`claim ${c.id}: its values (results.json) differ`);
    }
  }
  const entries = (doc: Doc) => new Map((doc.runs ?? []).filter((r) => r.record).map((r) => [itemId(r.record.item), baselineEntry(r.record)]));
  const [ea, eb] = [entries(ca), entries(cb)];
  for (const [id, e] of ea) {
    const f = eb.get(id);
    if (!f) out.push(`run ${e.label}: not in the new rendering`);
    else {
      const fields = differingFields(e.values, f.values);
      if (fields.length) out.push(`run ${e.label}: ${fields[0]} ${e.values[fields[0]]} -> ${f.values[fields[0]]}${fields.length > 1 ? ` (and ${fields.length - 1} more fields)` : ''}`);
    }
  }
  const lines = (t: string | undefined) => (t ?? '').split('\n').filter((l) => !VOLATILE.test(l));
  const [ma, mb] = [lines(read(committedDir, 'VERIFICATION.md')), lines(read(freshDir, 'VERIFICATION.md'))];
  const firstDiff = ma.findIndex((l, i) => l !== mb[i]);
  if (firstDiff >= 0 || ma.length !== mb.length) {
    const i = firstDiff >= 0 ? firstDiff : Math.min(ma.length, mb.length);
    out.push(`VERIFICATION.md differs from line ${i + 1} (provenance aside): "${(ma[i] ?? '').slice(0, 120)}" -> "${(mb[i] ?? '').slice(0, 120)}"`);
  }
  return out;
}

/**
 * Renders the scale's report again from its store into a temporary folder (runs missing from the
 * store are computed) and compares it with the committed one: the claims' verdicts and values, every
 * run's numbers, and the markdown, provenance aside.
 */
export async function checkReport(opts: VerifyOptions): Promise<{ differences: string[]; results: ClaimResult[] }> {
  const committed = opts.out ?? defaultReportDir(opts.scale, opts.claimIds);
  const fresh = mkdtempSync(join(tmpdir(), 'jamming-check-'));
  try {
    const { results } = await verify({ ...opts, out: fresh });
    return { differences: reportDifferences(committed, fresh), results };
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
}

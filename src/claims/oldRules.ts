import { execFileSync, execSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TaggedRecord } from '../experiment/plan.ts';
import type { Scale } from '../experiment/scales.ts';
import type { JammingPoint } from '../experiment/jammingPoint.ts';
import type { Claim } from './claim.ts';
import { CURRENT_BEFORE, CURRENT_SEEN, RULE_HISTORY, type RuleChange, type RuleText } from './ruleHistory.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** What an old rule says on today's runs: its verdict and measured line, or why it could not run. */
export type OldRuleVerdict =
  | { readonly claim: number; readonly verdict: string; readonly measured: string }
  | { readonly claim: number; readonly error: string };

type OldClaim = {
  id: number;
  decide?: (...a: unknown[]) => { verdict: string; measured: string };
  evaluate?: (...a: unknown[]) => { verdict: string; measured: string };
};

/**
 * The rule history (ruleHistory.ts) says what each replaced rule says on the report's own runs: the
 * claim code of the commit `before` is taken from git into a temporary folder and run on today's
 * records. A rule that cannot read them (a field it expects is gone) says so, in place of a verdict.
 */
export async function oldRuleVerdicts(
  commit: string,
  claimIds: readonly number[],
  tagged: readonly TaggedRecord[],
  scale: Scale,
  jammingPoints: readonly JammingPoint[],
): Promise<OldRuleVerdict[]> {
  if (!/^[0-9a-f]{7,40}$/.test(commit)) throw new Error(`not a commit: ${commit}`);
  const dir = mkdtempSync(join(tmpdir(), `jamming-rules-${commit}-`));
  let claims: OldClaim[];
  try {
    execSync(`git archive ${commit} src | tar -x -C "${dir}"`, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    for (const f of ['node_modules', 'build', 'fixtures', 'package.json', 'tsconfig.json']) {
      if (existsSync(join(ROOT, f))) symlinkSync(join(ROOT, f), join(dir, f));
    }
    const mod = (await import(pathToFileURL(join(dir, 'src/claims/index.ts')).href)) as { CLAIMS: OldClaim[] };
    claims = mod.CLAIMS;
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    const why = `the rules of ${commit} could not be loaded: ${(e as Error).message.split('\n')[0]}`;
    return claimIds.map((claim) => ({ claim, error: why }));
  }
  const out = claimIds.map((id): OldRuleVerdict => {
    const c = claims.find((k) => k.id === id);
    const decide = c?.decide ?? c?.evaluate;
    if (!c || !decide) return { claim: id, error: `no claim ${id} at ${commit}` };
    try {
      const o = decide.call(c, tagged, scale, jammingPoints);
      return { claim: id, verdict: o.verdict, measured: o.measured };
    } catch (e) {
      return { claim: id, error: `the rule of ${commit} cannot read today's runs: ${(e as Error).message.split('\n')[0]}` };
    }
  });
  rmSync(dir, { recursive: true, force: true });
  return out;
}

/** One entry of the rule history with what its old rule says on today's runs. */
export interface HistoryOnRuns {
  readonly commit: string;
  readonly date: string;
  readonly before: string;
  readonly seen: string | null;
  readonly texts: readonly RuleText[];
  readonly oldVerdicts: readonly OldRuleVerdict[];
}

function gitLine(args: readonly string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/**
 * The rule history of these claims, newest first: the change in force now (each claim's
 * `ruleChange`, dated by the first commit after CURRENT_BEFORE that touched src/claims), then the
 * recorded ones (ruleHistory.ts); each with its old rule run on today's records.
 */
export async function historyOnRuns(
  claims: readonly Claim[],
  tagged: readonly TaggedRecord[],
  scale: Scale,
  jammingPoints: readonly JammingPoint[],
): Promise<HistoryOnRuns[]> {
  const ids = new Set(claims.map((c) => c.id));
  const current: RuleChange[] = [];
  const now = claims.filter((c) => c.ruleChange !== null);
  if (now.length) {
    const first = gitLine(['log', '--reverse', '--format=%h%x09%cI', `${CURRENT_BEFORE}..HEAD`, '--', 'src/claims']).split('\n')[0];
    const [commit, date] = first ? first.split('\t') : ['uncommitted', ''];
    current.push({ commit, date, before: CURRENT_BEFORE, seen: CURRENT_SEEN, texts: now.map((c) => ({ claim: c.id, ...splitChange(c.ruleChange!) })) });
  }
  const out: HistoryOnRuns[] = [];
  for (const e of [...current, ...[...RULE_HISTORY].reverse()]) {
    const texts = e.texts.filter((t) => ids.has(t.claim));
    if (!texts.length) continue;
    const oldVerdicts = await oldRuleVerdicts(e.before, [...new Set(texts.map((t) => t.claim))], tagged, scale, jammingPoints);
    out.push({ ...e, texts, oldVerdicts });
  }
  return out;
}

/** "Was: a. Now: b. Why: c." into its parts (the whole text as `now` if it has no such form). */
export function splitChange(text: string): { was: string; now: string; why: string } {
  const m = /^Was: (.*?)\s*Now: (.*?)\s*Why: (.*)$/s.exec(text);
  return m ? { was: m[1], now: m[2], why: m[3] } : { was: '', now: text, why: '' };
}

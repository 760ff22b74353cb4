import { execFileSync } from 'node:child_process';
import type { Claim } from './claim.ts';
import type { TaggedRecord } from '../experiment/plan.ts';
import type { RuleRegistration } from '../experiment/store.ts';
import { ruleDigest } from './ruleDigest.ts';

/**
 * Whether a claim's rule was registered before the runs it decides on (SCIENCE.md, "The claims"):
 * `verify` registers every rule's digest in the store before its sweep starts (store.registerRules);
 * the report compares that time with when the first of the claim's runs was written.
 */
export interface RuleRegistrationStatus {
  readonly claim: number;
  readonly digest: string;
  readonly files: readonly string[];
  /** the last commit that changed the rule's files, and its date; null outside a git checkout */
  readonly lastChange: { readonly commit: string; readonly date: string } | null;
  /** the rule's files differ from the commit (the rule is not the committed one) */
  readonly uncommitted: boolean;
  /** first registration of this digest in the store, or null if it never was */
  readonly registeredAt: string | null;
  readonly registeredCommit: string | null;
  /** when the first run the claim reads was written to the store */
  readonly firstRunAt: string | null;
  /** registered no later than its first run was written */
  readonly before: boolean;
}

function git(args: readonly string[]): string | null {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function registrationStatus(
  claim: Claim,
  registrations: readonly RuleRegistration[],
  tagged: readonly TaggedRecord[],
  writtenAt: ReadonlyMap<string, string>,
): RuleRegistrationStatus {
  const { digest, files } = ruleDigest(claim);
  const reg = registrations.find((r) => r.claim === claim.id && r.digest === digest) ?? null;
  const times = tagged
    .filter((t) => claim.uses.includes(t.tag.kind))
    .map((t) => writtenAt.get(t.record.key))
    .filter((w): w is string => w !== undefined)
    .sort();
  const firstRunAt = times[0] ?? null;
  const log = git(['log', '-1', '--format=%h%x09%cI', '--', ...files]);
  const [commit, date] = log ? log.split('\t') : [];
  const status = git(['status', '--porcelain', '--untracked-files=all', '--', ...files]);
  return {
    claim: claim.id,
    digest,
    files,
    lastChange: commit ? { commit, date } : null,
    uncommitted: status === null ? false : status !== '',
    registeredAt: reg?.registeredAt ?? null,
    registeredCommit: reg?.commit ?? null,
    firstRunAt,
    before: reg !== null && (firstRunAt === null || reg.registeredAt <= firstRunAt),
  };
}

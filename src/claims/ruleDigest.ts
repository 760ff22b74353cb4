import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Claim } from './claim.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLAIMS_DIR = join(ROOT, 'src/claims');

/**
 * A rule is its text (statement, regime, pass rule) and its code: the claim's module and every
 * file of rule code it imports, followed through src/claims, src/stats and the transition
 * estimates (src/experiment/transition.ts). Its digest is what `verify` registers before its runs
 * (SCIENCE.md, "The claims": rules registered before the runs that decide them).
 */
const RULE_CODE = [join(ROOT, 'src/claims/'), join(ROOT, 'src/stats/'), join(ROOT, 'src/experiment/transition.ts')];

const isRuleCode = (abs: string) => RULE_CODE.some((p) => abs === p || (p.endsWith('/') && abs.startsWith(p)));

/** The claim's own module, src/claims/cNN-*.ts. */
export function claimModule(id: number): string {
  const prefix = `c${String(id).padStart(2, '0')}-`;
  const f = readdirSync(CLAIMS_DIR).find((n) => n.startsWith(prefix) && n.endsWith('.ts'));
  if (!f) throw new Error(`no module ${prefix}*.ts in src/claims for claim ${id}`);
  return join(CLAIMS_DIR, f);
}

const IMPORT = /(?:import|export)[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g;

/** The rule-code files a module imports, itself included, transitively; repository-relative, sorted. */
export function ruleFiles(module: string): string[] {
  const seen = new Set<string>();
  const visit = (abs: string) => {
    if (seen.has(abs) || !isRuleCode(abs) || !existsSync(abs)) return;
    seen.add(abs);
    for (const m of readFileSync(abs, 'utf8').matchAll(IMPORT)) visit(resolve(dirname(abs), m[1]));
  };
  visit(module);
  return [...seen].map((f) => relative(ROOT, f).split('\\').join('/')).sort();
}

export interface RuleDigest {
  readonly claim: number;
  /** sha256 over the rule's texts and its code files (path and bytes) */
  readonly digest: string;
  readonly files: readonly string[];
}

/** Read by every rule, not followed further: how claims are decided (budget runs counted both ways). */
const EVERY_RULE = ['src/claims/decide.ts', 'src/claims/budgetCounting.ts'];

export function ruleDigest(claim: Claim): RuleDigest {
  const files = [...new Set([...ruleFiles(claimModule(claim.id)), ...EVERY_RULE])].sort();
  const h = createHash('sha256');
  for (const t of [claim.statement, claim.regime, claim.passRule]) h.update(`${t}\0`);
  for (const f of files) {
    h.update(`${f}\0`);
    h.update(readFileSync(join(ROOT, f)));
    h.update('\0');
  }
  return { claim: claim.id, digest: h.digest('hex'), files };
}

import { parseFlags, numberFlag } from './args.ts';
import { validateConfig } from '../run/config.ts';
import { executeRun } from '../run/execute.ts';
import { hessianSpectra } from '../analyse/hessianSpectra.ts';

export const VERIFY_HELP = `jamming verify: re-run the experiments and print each claim's verdict

  --P N      patterns (default 200)
  --seed N   seed (default 0)

This release checks, on two networks of random data (one wide, one narrow), the claims the
foundation can already decide: 1 (finite range), 2 (H = H0 + Hp, H0 >= 0, rank H0 <= N_Delta,
H = 0 at zero loss) and 3 (N_-(Hp) <= N_Delta at a minimum). The sweeps and claims 4 to 10 are
issue 4's.
`;

interface Check {
  readonly claim: string;
  readonly measured: string;
  readonly pass: boolean;
}

export async function verifyCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, { P: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean' } });
  if (flags.help) {
    process.stdout.write(VERIFY_HELP);
    return 0;
  }
  const P = numberFlag(flags, 'P', 200, { integer: true, min: 10 });
  const seed = numberFlag(flags, 'seed', 0, { integer: true, min: 0 });
  const checks: Check[] = [];
  // wide: N well above P (fits); narrow: N well below P (jams). d = 10, L = 2.
  for (const h of [Math.ceil(Math.sqrt(4 * P)), 3]) {
    const config = validateConfig({ data: { kind: 'random', P, d: 10, seed }, model: { h, L: 2 }, seed });
    const run = await executeRun(config);
    const r = run.results;
    const obj = { arch: run.arch, loss: run.loss, data: run.split.train };
    const sp = hessianSpectra(obj, run.theta);
    const tag = `h=${h} N=${r.N} P=${P} (${r.verdict})`;
    checks.push({ claim: `1 finite range, ${tag}`, measured: `loss ${r.loss.toExponential(3)}, N_Delta ${r.nDelta}`, pass: (r.loss === 0) === (r.nDelta === 0) });
    checks.push({
      claim: `2 H0 >= 0, rank H0 <= N_Delta, ${tag}`,
      measured: `lambda_min(H0) ${sp.eigH0[0]?.toExponential(2)}, rank ${sp.rankH0} <= ${r.nDelta}`,
      pass: (sp.eigH0[0] ?? 0) >= -sp.tolerance && sp.rankH0 <= r.nDelta,
    });
    if (r.nDelta === 0) {
      checks.push({ claim: `2 H = 0 at zero loss, ${tag}`, measured: `max|lambda(H)| ${sp.scale}`, pass: sp.scale === 0 });
    } else if (r.verdict === 'jammed') {
      checks.push({ claim: `3 N_-(Hp) <= N_Delta, ${tag}`, measured: `N_-(Hp) ${sp.nNegHp}, N_Delta ${r.nDelta}`, pass: sp.nNegHp <= r.nDelta });
    }
  }
  for (const c of checks) process.stdout.write(`${c.pass ? 'pass' : 'FAIL'}  ${c.claim}: ${c.measured}\n`);
  const failed = checks.filter((c) => !c.pass).length;
  process.stdout.write(`${checks.length - failed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

/**
 * Re-runs every adam0 fixture instance (fixtures/adam0-outcomes/) with the current code and compares
 * each end point bit for bit (sha256 of the parameters, and the verdict). Prints one line per
 * instance and a digest over all of them, the same for the fixtures and for the replay when nothing
 * moved. Exit 1 when one differs. The evaluation count is printed beside the fixture's, not
 * compared: a jammed end point's count now includes its certificate's evaluations (about 30k),
 * which the fixtures, written before the certificate was counted, do not. Minutes: the jammed
 * instances take 1M to 2M evaluations.
 *
 *   node --import tsx scripts/adam0-replay.mts
 */
import { createHash } from 'node:crypto';
import { ADAM0_INSTANCES, instanceObjective } from '../src/train/adam0Instances.ts';
import { allAdam0Outcomes } from '../src/train/adam0Outcomes.ts';
import { minimise } from '../src/train/minimise.ts';
import { initialParameters } from '../src/model/init.ts';

const line = (name: string, sha: string, verdict: string) => `${name}.json:${sha}:${verdict}\n`;
const fixtures = createHash('sha256');
const replay = createHash('sha256');
let differ = 0;
const outcomes = allAdam0Outcomes();
for (const inst of [...ADAM0_INSTANCES].sort((a, b) => (a.name < b.name ? -1 : 1))) {
  const want = outcomes.find((o) => o.instance.name === inst.name)!;
  const obj = instanceObjective(inst);
  const r = await minimise(obj, initialParameters(obj.arch, inst.seed), { optimizer: 'adam0', engine: 'float64' });
  const sha = createHash('sha256').update(Buffer.from(r.theta.buffer)).digest('hex');
  fixtures.update(line(inst.name, want.thetaSha256, want.verdict));
  replay.update(line(inst.name, sha, r.verdict));
  const same = sha === want.thetaSha256 && r.verdict === want.verdict;
  if (!same) differ++;
  console.log(`${inst.name}  ${r.verdict.padEnd(7)} ${String(r.gradientEvaluations).padStart(8)} evals (fixture ${want.gradientEvaluations})  theta ${sha.slice(0, 12)}  ${same ? 'identical' : `DIFFERS (fixture: ${want.verdict}, ${want.thetaSha256.slice(0, 12)})`}`);
}
console.log(`fixtures digest ${fixtures.digest('hex')}`);
console.log(`replay digest   ${replay.digest('hex')}`);
process.exit(differ ? 1 : 0);

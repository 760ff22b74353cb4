/**
 * Reference outcomes of the authors' protocol (adam0, full budget) on a fixed set of small
 * random-data instances, for the spec that the fast default minimiser gives the same verdicts
 * (spec/train/default-vs-adam0.spec.ts). adam0 needs 1M to 2M gradient evaluations on a jammed
 * instance (minutes each here), too slow for `npm test`, so its outcomes are fixtures; the spec
 * re-runs the cheapest instance to prove the fixtures are current.
 *
 *   npx tsx scripts/adam0-outcomes.mts [--only NAME]      (writes fixtures/adam0-outcomes/NAME.json)
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { ADAM0_INSTANCES, instanceObjective } from '../src/train/adam0Instances.ts';
import { minimise } from '../src/train/minimise.ts';
import { initialParameters } from '../src/model/init.ts';
import { diagnostics } from '../src/analyse/diagnostics.ts';
import { certify } from '../src/analyse/certificate.ts';
import { endPoint } from '../src/analyse/endPoint.ts';

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : null;
const dir = new URL('../fixtures/adam0-outcomes/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const inst of ADAM0_INSTANCES) {
  if (only && !only.includes(inst.name)) continue;
  const obj = instanceObjective(inst);
  const r = await minimise(obj, initialParameters(obj.arch, inst.seed), { optimizer: 'adam0', engine: 'float64' });
  const out = {
    instance: inst,
    optimizer: 'adam0',
    verdict: r.verdict,
    loss: r.evaluation.value,
    nDelta: r.evaluation.nDelta,
    diagnostics: diagnostics(obj, r.evaluation),
    certificate: r.verdict === 'jammed' ? certify(endPoint(obj, r.theta, r.evaluation)) : null,
    gradientEvaluations: r.gradientEvaluations,
    wallSeconds: r.wallSeconds,
    thetaSha256: createHash('sha256').update(Buffer.from(r.theta.buffer)).digest('hex'),
    generated: new Date().toISOString(),
  };
  writeFileSync(new URL(`${inst.name}.json`, dir), JSON.stringify(out, null, 2) + '\n');
  console.log(inst.name, r.verdict, r.evaluation.nDelta, r.gradientEvaluations, r.wallSeconds.toFixed(0) + 's');
}

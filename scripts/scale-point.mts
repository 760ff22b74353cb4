/**
 * One run of a scale's plan, measured against the plan's own estimate: the check that
 * `jamming verify --scale S --plan` predicts what a run at that size costs here.
 *
 * Picks the planned run by family (its label in the plan), P and seed; prints the plan's estimate
 * for it (seconds per evaluation from the cost model, the expected and the budget's evaluations,
 * peak memory); runs it through executeRun, the sweep's own code path, printing a progress line a
 * minute; then prints the measured wall time, evaluations, seconds per evaluation and verdict
 * beside the estimate. With --store the record goes into that sweep store, so a later
 * `jamming verify --scale S --store ...` reuses it instead of computing it again.
 *
 *   node --import tsx scripts/scale-point.mts --scale paper --family 'N = 7854' --P 20420 --seed 100 [--store FILE] [--json OUT]
 *   node --import tsx scripts/scale-point.mts --scale paper --list     (the plan's runs, one a line)
 *
 * Set JAMMING_THREADS=1 to time it as the plan assumes (one thread per run).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { scaleByName } from '../src/experiment/scales.ts';
import { planScale, type Tag } from '../src/experiment/plan.ts';
import { calibrate, familyOf, secondsPerEvaluation, EXPECTED_EVALUATIONS } from '../src/experiment/costModel.ts';
import { architectureOf } from '../src/run/config.ts';
import { layout } from '../src/model/architecture.ts';
import { estimateRunMemory } from '../src/run/memory.ts';
import { executeRun } from '../src/run/execute.ts';
import { openStore } from '../src/experiment/store.ts';
import { numericsDigest } from '../src/run/numerics.ts';
import { kernelsDescription, kernelTeam, wasmArena } from '../src/kernels/select.ts';

const { values: a } = parseArgs({
  options: { scale: { type: 'string', default: 'paper' }, family: { type: 'string' }, P: { type: 'string' }, seed: { type: 'string' }, store: { type: 'string' }, json: { type: 'string' }, list: { type: 'boolean', default: false } },
});

/** The plan's family (as --plan prints it), then the run within it. */
const label = (t: Tag): string => `${familyOf(t)}${t.kind === 'mnist' ? ` h = ${t.h}` : ''} P = ${t.P} seed ${t.seed}`;

const scale = scaleByName(a.scale!);
const planned = planScale(scale);
if (a.list) {
  for (const p of planned) console.log(label(p.tag));
  process.exit(0);
}
const fail = (msg: string): never => {
  console.error(msg);
  process.exit(2);
};
if (!a.family || !a.P || !a.seed) fail('--family, --P and --seed: got nothing; allowed: one run of the plan (see --list)');
const P = Number(a.P);
const seed = Number(a.seed);
const hits = planned.filter((p) => label(p.tag).includes(a.family!) && 'P' in p.tag && p.tag.P === P && 'seed' in p.tag && p.tag.seed === seed);
if (hits.length !== 1) fail(`--family ${a.family} --P ${a.P} --seed ${a.seed}: got ${hits.length} runs of the ${scale.name} plan; allowed: exactly one (see --list)`);
const { tag, item } = hits[0];
if (item.config.data.kind === 'file') fail('a run on a data file has no size to plan');

const cal = calibrate();
const arch = architectureOf(item.config, (item.config.data as { d: number }).d);
const Ntot = layout(arch).Ntot;
const perEval = secondsPerEvaluation(P, Ntot, cal);
const budget = item.config.train.maxEvaluations ?? scale.maxEvaluations;
const expected = Math.min(EXPECTED_EVALUATIONS, budget);
const memory = estimateRunMemory(arch, P, item.analyse).bytes;
const threads = wasmArena() ? kernelTeam(wasmArena()!).size : 1;
console.log(`run: ${label(tag)} of the ${scale.name} plan; Ntot = ${Ntot}; kernels: ${kernelsDescription()} on ${threads} thread(s); numerics ${numericsDigest().slice(0, 12)}`);
console.log(`plan: ${(perEval * 1e3).toFixed(1)} ms an evaluation (30 us + ${(cal.perPatternParameter * 1e9).toFixed(3)} ns P Ntot, ${cal.source}); expected ${expected} evaluations = ${((perEval * expected) / 3600).toFixed(2)} h; at the budget (${budget}) ${((perEval * budget) / 3600).toFixed(1)} h; peak memory ${(memory / 1e9).toFixed(2)} GB`);

const start = performance.now();
let lastPrint = start;
const executed = await executeRun(item, {
  onProgress: (p) => {
    const now = performance.now();
    if (now - lastPrint < 60_000) return;
    lastPrint = now;
    const s = (now - start) / 1000;
    console.log(`  ${s.toFixed(0)} s: step ${p.step}, loss ${p.loss.toExponential(3)}, N_Delta ${p.nDelta}`);
  },
});
const wall = (performance.now() - start) / 1000;
const r = executed.record.results;
const measuredPerEval = wall / r.gradientEvaluations;
const rss = process.resourceUsage().maxRSS * 1024; // peak resident set, bytes
const summary = {
  run: label(tag),
  scale: scale.name,
  key: executed.record.key,
  numerics: numericsDigest(),
  threads,
  verdict: r.verdict,
  gradientEvaluations: r.gradientEvaluations,
  wallSeconds: +wall.toFixed(1),
  measuredMsPerEvaluation: +(measuredPerEval * 1e3).toFixed(2),
  planMsPerEvaluation: +(perEval * 1e3).toFixed(2),
  planExpectedSeconds: +(perEval * expected).toFixed(0),
  planBudgetSeconds: +(perEval * budget).toFixed(0),
  planSecondsAtMeasuredEvaluations: +(perEval * r.gradientEvaluations).toFixed(0),
  planPeakBytes: memory,
  peakRssBytes: rss,
  nDelta: r.nDelta,
  loss: r.loss,
  calibration: cal.source,
};
console.log(
  `measured: ${r.verdict} after ${r.gradientEvaluations} evaluations in ${wall.toFixed(0)} s (${summary.measuredMsPerEvaluation} ms an evaluation, end point analyses included); ` +
    `the plan: ${summary.planMsPerEvaluation} ms an evaluation, so ${summary.planSecondsAtMeasuredEvaluations} s for these evaluations and ${summary.planExpectedSeconds} s expected (${expected} evaluations); peak RSS ${(rss / 1e9).toFixed(2)} GB against ${(memory / 1e9).toFixed(2)} GB planned`,
);
if (a.store) {
  const store = openStore(a.store);
  store.put(executed.record);
  store.close();
  console.log(`record ${executed.record.key.slice(0, 12)} written to ${a.store}`);
}
if (a.json) writeFileSync(a.json, JSON.stringify(summary, null, 2) + '\n');

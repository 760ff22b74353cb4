import { parseFlags, numberFlag, stringFlag } from './args.ts';
import { validateConfig, type RunConfig } from '../run/config.ts';
import { executeRun } from '../run/execute.ts';
import { runFileJson, writeJsonAtomic } from '../run/runFile.ts';
import { OPTIMIZERS, DEFAULT_BUDGET, DEFAULT_BULK } from '../train/minimise.ts';
import type { RunResults } from '../run/runFile.ts';
import { InputError } from '../util/errors.ts';
import { progressPrinter, endProgress } from './progress.ts';

export const TRAIN_HELP = `jamming train: train one network and report its verdict

  --dataset random|mnist|file   data source (default random)
  --data FILE                   user data, CSV (label last, +1/-1 or 0/1) or JSON {x, y} (implies --dataset file)
  --test-data FILE              held-out user data in the same format
  --P N                         number of training patterns (random, mnist)
  --d N                         input dimension (default 10)
  --n-test N                    mnist: size of the seeded test subset (default: the data module's)
  --data-seed N                 seed of the data (default: --seed)
  --h N                         hidden width
  --L N                         hidden layers (0 = linear model)
  --activation relu|softplus    (default relu)
  --beta B                      softplus sharpness (default 10)
  --no-bias                     no biases
  --loss quadratic|linear|crossEntropy   (default quadratic hinge)
  --kappa K                     margin (default 1)
  --seed N                      seed of the initialisation (default 0)
  --optimizer NAME              ${OPTIMIZERS.join('|')} (default: default = on ReLU, adam0's trajectory with
                                early lr decays on plateaus, then the non-smooth certificate;
                                adam0 = the authors' protocol: Adam lr 1e-4, /10 every 250k steps, floor 1e-7)
  --engine float64|tfjs         tfjs: bulk training in float32 (backend tensorflow > wasm > cpu),
                                then a float64 polish before any verdict (default float64)
  --tfjs-backend NAME           force tensorflow|wasm|cpu
  --lr X                        learning rate of adam and of the bulk phase (default ${DEFAULT_BULK.lr})
  --max-evals N                 budget in gradient evaluations (default ${DEFAULT_BUDGET.default}; adam0 ${DEFAULT_BUDGET.adam0})
  --save-run FILE               write the run file (config, data, parameters, results)
  --no-save-data                leave the training data out of the run file (regenerated from config)
  --json                        machine-readable output on stdout
`;

const FLAGS = {
  dataset: { type: 'string' },
  data: { type: 'string' },
  'test-data': { type: 'string' },
  P: { type: 'string' },
  d: { type: 'string' },
  'n-test': { type: 'string' },
  'data-seed': { type: 'string' },
  h: { type: 'string' },
  L: { type: 'string' },
  activation: { type: 'string' },
  beta: { type: 'string' },
  'no-bias': { type: 'boolean' },
  loss: { type: 'string' },
  kappa: { type: 'string' },
  seed: { type: 'string' },
  optimizer: { type: 'string' },
  engine: { type: 'string' },
  'tfjs-backend': { type: 'string' },
  lr: { type: 'string' },
  'max-evals': { type: 'string' },
  'save-run': { type: 'string' },
  'no-save-data': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

export function configFromFlags(flags: Record<string, string | boolean | undefined>): RunConfig {
  const seed = numberFlag(flags, 'seed', 0, { integer: true, min: 0 });
  const file = stringFlag(flags, 'data');
  const dataset = stringFlag(flags, 'dataset') ?? (file ? 'file' : 'random');
  let data: unknown;
  if (dataset === 'file') {
    if (!file) throw new InputError('--data', undefined, 'a CSV or JSON file when --dataset file');
    data = { kind: 'file', path: file, ...(stringFlag(flags, 'test-data') ? { testPath: stringFlag(flags, 'test-data') } : {}) };
  } else {
    if (file) throw new InputError('--dataset', dataset, '"file" (or no --dataset) together with --data');
    data = {
      kind: dataset,
      P: numberFlag(flags, 'P', undefined, { integer: true, min: 1 }),
      d: numberFlag(flags, 'd', 10, { integer: true, min: 1 }),
      seed: numberFlag(flags, 'data-seed', seed, { integer: true, min: 0 }),
      ...(flags['n-test'] !== undefined ? { nTest: numberFlag(flags, 'n-test', 0, { integer: true, min: 0 }) } : {}),
    };
  }
  return validateConfig({
    data,
    model: {
      h: numberFlag(flags, 'h', undefined, { integer: true, min: 0 }),
      L: numberFlag(flags, 'L', undefined, { integer: true, min: 0 }),
      activation: stringFlag(flags, 'activation') ?? 'relu',
      beta: numberFlag(flags, 'beta', 10),
      bias: flags['no-bias'] !== true,
    },
    loss: { kind: stringFlag(flags, 'loss') ?? 'quadratic', kappa: numberFlag(flags, 'kappa', 1) },
    train: {
      optimizer: stringFlag(flags, 'optimizer') ?? 'default',
      engine: stringFlag(flags, 'engine') ?? 'float64',
      ...(flags['max-evals'] !== undefined ? { maxEvaluations: numberFlag(flags, 'max-evals', 1, { integer: true, min: 1 }) } : {}),
      ...(flags.lr !== undefined ? { lr: numberFlag(flags, 'lr', 0) } : {}),
      ...(flags['tfjs-backend'] !== undefined ? { tfjsBackend: stringFlag(flags, 'tfjs-backend') } : {}),
    },
    seed,
  }, 'flags');
}

export async function trainCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(TRAIN_HELP);
    return 0;
  }
  const config = configFromFlags(flags);
  const json = flags.json === true;
  const run = await executeRun(config, progressPrinter('train'));
  endProgress();
  const save = stringFlag(flags, 'save-run');
  if (save) {
    writeJsonAtomic(save, runFileJson({ ...run, data: flags['no-save-data'] ? undefined : run.split.train }));
  }
  const r = run.results;
  if (json) {
    process.stdout.write(JSON.stringify({ config, results: r, ...(save ? { runFile: save } : {}) }) + '\n');
  } else {
    process.stdout.write(describeResults(r, save) + '\n');
  }
  return 0;
}

/** The human-readable summary of a run: verdict first, then what qualifies it (SCIENCE.md pitfalls). */
export function describeResults(r: RunResults, runFile?: string): string {
  return [
    `verdict           ${r.verdict}${r.certificate ? ` (${r.certificate.kind} certificate${r.certificate.kind === 'nonsmooth' ? (r.certificate.passed ? ', passed' : ', not passed') : ''})` : ''}`,
    `loss              ${r.loss.toExponential(6)}   (live ${r.liveLoss.toExponential(3)}, dead patterns ${r.deadLoss.toExponential(3)})`,
    `P, N, Ntot        ${r.P}, ${r.N}, ${r.Ntot}   (N counts weights only; without the ${r.deadUnits} dead units N = ${r.effectiveN})`,
    `N_Delta           ${r.nDelta}   (N_Delta/N = ${(r.nDelta / r.N).toFixed(3)}): live ${r.liveNDelta}, contact ${r.contactNDelta}, dead ${r.deadPatterns}${r.deadPatternRun ? '   dead-pattern run: dead patterns carry most of the loss' : ''}`,
    `contacts          ${r.contacts}   (|Delta| <= ${r.contactTolerance}, satisfied or not)`,
    `kinks             ${r.kinks}   (pre-activations within ${r.kinkTolerance.toExponential(1)} of 0)`,
    `gradient norm     ${r.gradientNorm.toExponential(3)}${r.kinks > 0 ? ' (one-sided)' : ''}`,
    ...describeCertificate(r.certificate),
    `steps             ${r.steps}`,
    `gradient evals    ${r.gradientEvaluations}   (${r.phases.map((p) => `${p.name}: ${p.evaluations}, ${p.reason}`).join('; ')})`,
    ...(r.tfjsBackend ? [`tfjs backend      ${r.tfjsBackend}`] : []),
    `wall time         ${r.wallSeconds.toFixed(2)} s`,
    ...(runFile ? [`run file          ${runFile}`] : []),
  ].join('\n');
}

/** The numbers a certificate rests on (train/minimumCertificate.ts, analyse/certificate.ts). */
export function describeCertificate(c: RunResults['certificate']): string[] {
  if (!c) return [];
  if (c.kind !== 'nonsmooth') return [`lambda_min(H)     ${c.lambdaMin.toExponential(3)}   (lambda_max ${c.lambdaMax.toExponential(3)})`];
  return [
    `stationarity      ${c.sampling.map((l) => `rho(${l.radius.toExponential(1)}) / scale = ${l.ratio.toExponential(2)}`).join(', ')}   (gradient sampling, ${c.sampling[0]?.samples ?? 0} samples each; scale ${c.gradientScale.toExponential(3)})`,
    `re-minimised      ${c.perturbations.map((t) => `size ${t.size}: drop ${t.drop.toExponential(2)}`).join(', ')}   (relative loss drop of each trial)`,
  ];
}

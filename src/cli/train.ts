import { parseFlags, numberFlag, stringFlag } from './args.ts';
import { validateConfig, type RunConfig } from '../run/config.ts';
import { executeRun } from '../run/execute.ts';
import { runFileJson, writeJsonAtomic } from '../run/runFile.ts';
import { DEFAULT_TRAIN } from '../train/train.ts';
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
  --lr X                        learning rate (default ${DEFAULT_TRAIN.lr})
  --max-steps N                 step budget (default ${DEFAULT_TRAIN.maxSteps})
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
  lr: { type: 'string' },
  'max-steps': { type: 'string' },
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
      optimizer: 'adam',
      lr: numberFlag(flags, 'lr', DEFAULT_TRAIN.lr),
      maxSteps: numberFlag(flags, 'max-steps', DEFAULT_TRAIN.maxSteps, { integer: true, min: 0 }),
      stallTol: DEFAULT_TRAIN.stallTol,
      window: DEFAULT_TRAIN.window,
    },
    seed,
  }, 'flags');
}

export function trainCommand(argv: string[]): number {
  const flags = parseFlags(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(TRAIN_HELP);
    return 0;
  }
  const config = configFromFlags(flags);
  const json = flags.json === true;
  const run = executeRun(config, progressPrinter('train'));
  endProgress();
  const save = stringFlag(flags, 'save-run');
  if (save) {
    writeJsonAtomic(save, runFileJson({ ...run, data: flags['no-save-data'] ? undefined : run.split.train }));
  }
  const r = run.results;
  if (json) {
    process.stdout.write(JSON.stringify({ config, results: r, ...(save ? { runFile: save } : {}) }) + '\n');
  } else {
    const lines = [
      `verdict           ${r.verdict}`,
      `loss              ${r.loss.toExponential(6)}`,
      `N (weights)       ${r.N}`,
      `Ntot (all)        ${r.Ntot}`,
      `P                 ${run.split.train.P}`,
      `N_Delta           ${r.nDelta}   (contacts |Delta| <= ${r.contactTolerance}: ${r.contacts})`,
      `gradient norm     ${r.gradientNorm.toExponential(3)}`,
      `steps             ${r.steps}`,
      `gradient evals    ${r.gradientEvaluations}`,
      `wall time         ${r.wallSeconds.toFixed(2)} s`,
      ...(save ? [`run file          ${save}`] : []),
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }
  return 0;
}

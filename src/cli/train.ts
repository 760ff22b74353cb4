import { parseFlags, stringFlag } from '../util/args.ts';
import { CONFIG_DEFAULTS, validateConfig, type RunConfig } from '../run/config.ts';
import { executeRun } from '../run/execute.ts';
import { runFileJson, writeJsonAtomic } from '../run/runFile.ts';
import { OPTIMIZERS, DEFAULT_BUDGET, DEFAULT_BULK } from '../train/minimise.ts';
import type { AnalysisRequest, RunRecord, RunResults, SweepItem } from '../run/record.ts';
import { InputError } from '../util/errors.ts';
import { prepareOutputFile } from '../util/outputPath.ts';
import { progressPrinter, endProgress } from './progress.ts';

export const TRAIN_HELP = `jamming train: train one network and report its verdict

  --dataset random|mnist|file   data source (default ${CONFIG_DEFAULTS.data.kind})
  --data FILE                   user data, CSV (label last, +1/-1 or 0/1) or JSON {x, y} (implies --dataset file)
  --test-data FILE              held-out user data in the same format
  --P N                         number of training patterns (random, mnist)
  --d N                         input dimension (default ${CONFIG_DEFAULTS.data.d})
  --n-test N                    mnist: size of the seeded test subset (default: the data module's)
  --data-seed N                 seed of the data (default: --seed)
  --h N                         hidden width
  --L N                         hidden layers (0 = linear model)
  --activation relu|softplus    (default ${CONFIG_DEFAULTS.model.activation})
  --beta B                      softplus sharpness (default ${CONFIG_DEFAULTS.model.beta})
  --no-bias                     no biases
  --loss quadratic|linear|crossEntropy   (default ${CONFIG_DEFAULTS.loss.kind} hinge)
  --kappa K                     margin (default ${CONFIG_DEFAULTS.loss.kappa})
  --seed N                      seed of the initialisation (default ${CONFIG_DEFAULTS.seed})
  --optimizer NAME              ${OPTIMIZERS.join('|')} (default: ${CONFIG_DEFAULTS.train.optimizer} = on ReLU, adam0's trajectory with
                                early lr decays on plateaus, then the non-smooth certificate;
                                adam0 = the authors' protocol: Adam lr 1e-4, /10 every 250k steps, floor 1e-7)
  --engine float64|tfjs         tfjs: bulk training in float32 (backend tensorflow > wasm > cpu),
                                then a float64 polish before any verdict (default ${CONFIG_DEFAULTS.train.engine})
  --tfjs-backend NAME           force tensorflow|wasm|cpu
  --lr X                        learning rate of adam and of the bulk phase (default ${DEFAULT_BULK.lr})
  --max-evals N                 budget in gradient evaluations (default ${DEFAULT_BUDGET.default}; adam0 ${DEFAULT_BUDGET.adam0})
  --spectra none|counts|full    exact Hessian spectra at the end: counts N_-(Hp), N_-(H), rank(H0) of a
                                jammed run, or every eigenvalue of any run (default counts)
  --save-run FILE               write the run file (its record, data and parameters)
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
  spectra: { type: 'string' },
  'save-run': { type: 'string' },
  'no-save-data': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const;

/**
 * Where each flag goes in the config. Only the flags given are passed on: every default, and every
 * check, is the config schema's (src/run/config.ts), so the CLI and a config file cannot drift.
 */
const CONFIG_FLAGS: readonly { readonly path: readonly [string, string?]; readonly flag: string; readonly as: 'number' | 'string' | 'false' }[] = [
  { path: ['data', 'kind'], flag: 'dataset', as: 'string' },
  { path: ['data', 'path'], flag: 'data', as: 'string' },
  { path: ['data', 'testPath'], flag: 'test-data', as: 'string' },
  { path: ['data', 'P'], flag: 'P', as: 'number' },
  { path: ['data', 'd'], flag: 'd', as: 'number' },
  { path: ['data', 'nTest'], flag: 'n-test', as: 'number' },
  { path: ['data', 'seed'], flag: 'data-seed', as: 'number' },
  { path: ['model', 'h'], flag: 'h', as: 'number' },
  { path: ['model', 'L'], flag: 'L', as: 'number' },
  { path: ['model', 'activation'], flag: 'activation', as: 'string' },
  { path: ['model', 'beta'], flag: 'beta', as: 'number' },
  { path: ['model', 'bias'], flag: 'no-bias', as: 'false' },
  { path: ['loss', 'kind'], flag: 'loss', as: 'string' },
  { path: ['loss', 'kappa'], flag: 'kappa', as: 'number' },
  { path: ['train', 'optimizer'], flag: 'optimizer', as: 'string' },
  { path: ['train', 'engine'], flag: 'engine', as: 'string' },
  { path: ['train', 'maxEvaluations'], flag: 'max-evals', as: 'number' },
  { path: ['train', 'lr'], flag: 'lr', as: 'number' },
  { path: ['train', 'tfjsBackend'], flag: 'tfjs-backend', as: 'string' },
  { path: ['seed'], flag: 'seed', as: 'number' },
];

const FLAG_AT = new Map(CONFIG_FLAGS.map((f) => [f.path.join('.'), f.flag]));

export function configFromFlags(flags: Record<string, string | boolean | undefined>): RunConfig {
  const raw: Record<string, unknown> = { data: {}, model: {} };
  for (const { path, flag, as } of CONFIG_FLAGS) {
    const v = flags[flag];
    if (v === undefined || v === false) continue;
    const value = as === 'false' ? false : as === 'number' ? numeric(String(v)) : v;
    const [section, field] = path;
    if (field === undefined) raw[section] = value;
    else ((raw[section] ??= {}) as Record<string, unknown>)[field] = value;
  }
  // --data alone implies --dataset file
  if (flags.data !== undefined && flags.dataset === undefined) (raw.data as Record<string, unknown>).kind = 'file';
  const flagAt = (path: readonly PropertyKey[]) => FLAG_AT.get(path.map(String).join('.'));
  return validateConfig(raw, {
    field: (path) => (flagAt(path) ? `--${flagAt(path)}` : `flags (${path.map(String).join('.')})`),
    value: (path) => flags[flagAt(path) ?? ''],
  });
}

/** Decimal numbers only: "16", "-3", "0.5", "1e5". Number() would also read "0x10" as 16 and "" as 0. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A number when the text is one in full; otherwise the text, for the schema to refuse by name. */
function numeric(text: string): number | string {
  const v = DECIMAL.test(text.trim()) ? Number(text) : NaN;
  return Number.isFinite(v) ? v : text;
}

export async function trainCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, FLAGS);
  if (flags.help) {
    process.stdout.write(TRAIN_HELP);
    return 0;
  }
  const item = itemFromFlags(flags);
  const json = flags.json === true;
  // the run file's place is checked (and its folder made) before training, which may take hours
  const save = stringFlag(flags, 'save-run');
  if (save !== undefined) prepareOutputFile('--save-run', save);
  else if (flags['no-save-data']) throw new InputError('--no-save-data', true, 'only with --save-run (it leaves the data out of the run file)');
  const run = await executeRun(item, { onProgress: progressPrinter('train') });
  endProgress();
  if (save) {
    writeJsonAtomic(save, runFileJson({ ...run, data: flags['no-save-data'] ? undefined : run.split.train }));
  }
  if (json) {
    // the record as the store and the run file keep it (held-out outputs included)
    process.stdout.write(JSON.stringify({ record: run.record, ...(save ? { runFile: save } : {}) }) + '\n');
  } else {
    process.stdout.write(describeRecord(run.record, save) + '\n');
  }
  return 0;
}

const SPECTRA: readonly AnalysisRequest['spectra'][] = ['none', 'counts', 'full'];

/** The run a train command asks for: its config, and the analyses of its end point (a held-out error wherever there is held-out data). */
export function itemFromFlags(flags: Record<string, string | boolean | undefined>): SweepItem {
  const config = configFromFlags(flags);
  const spectra = stringFlag(flags, 'spectra') ?? 'counts';
  if (!(SPECTRA as readonly string[]).includes(spectra)) throw new InputError('--spectra', spectra, SPECTRA.join(', '));
  const heldOut = config.data.kind === 'mnist' ? config.data.nTest !== 0 : config.data.kind === 'file' && config.data.testPath !== undefined;
  return { config, analyse: { spectra: spectra as AnalysisRequest['spectra'], deltas: false, testError: heldOut } };
}

/** A record in words: its results, then its spectra and held-out error where it has them. */
export function describeRecord(rec: RunRecord, runFile?: string): string {
  const sp = rec.spectra;
  return [
    describeResults(rec.results, runFile),
    ...(sp ? [`N_-(Hp), N_-(H)   ${sp.nNegHp}, ${sp.nNegH}   (rank(H0) = ${sp.rankH0}; lambda_min(H) = ${sp.minEigH.toExponential(3)}; threshold ${sp.tolerance.toExponential(2)})`] : []),
    ...(rec.test ? [`held-out error    ${rec.test.error.toFixed(4)} on ${rec.test.P} patterns${rec.test.earlyStopped ? ` (early-stopped: ${rec.test.earlyStopped.error.toFixed(4)} at step ${rec.test.earlyStopped.step})` : ''}`] : []),
  ].join('\n');
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

import * as z from 'zod';
import { makeArchitecture, type Architecture } from '../model/architecture.ts';
import { LOSS_KINDS, type LossKind } from '../loss/losses.ts';
import { MNIST_D, MNIST_N } from '../data/mnist.ts';
import type { DataSource } from '../data/source.ts';
import { TFJS_BACKENDS, type TfjsBackendName } from '../kernels/tfjsBackend.ts';
import { InputError } from '../util/errors.ts';
import { OPTIMIZERS, ENGINES } from '../train/minimise.ts';

/**
 * The one table of defaults of a run config. The CLI, config files, run files and the sweep's items
 * all get them from here, through validateConfig, and nowhere else. Defaults are the authors' set-up
 * (SCIENCE.md): ReLU, biases, quadratic hinge with kappa = 1. The data seed, when absent, is the
 * run's seed (one seed reproduces the whole run). The budget and the learning rate stay absent when
 * not given: the minimiser's per-optimizer defaults apply (src/train/minimise.ts).
 */
export const CONFIG_DEFAULTS = {
  data: { kind: 'random', d: 10 },
  model: { activation: 'relu', beta: 10, bias: true },
  loss: { kind: 'quadratic', kappa: 1 },
  train: { optimizer: 'default', engine: 'float64' },
  seed: 0,
} as const;

/** Seeds are createRng's: 32-bit unsigned. */
const SEED_MAX = 0xffffffff;

// ---------------------------------------------------------------- field types
// Each carries the "allowed" text of its InputError, whatever the failure (type, integer, range).

function int(min: number, max = Infinity) {
  const allowed = Number.isFinite(max) ? `an integer from ${min} to ${max}` : `an integer >= ${min}`;
  const s = z.number({ error: allowed }).int({ error: allowed }).min(min, { error: allowed });
  return Number.isFinite(max) ? s.max(max, { error: allowed }) : s;
}

/** A finite number above `min` (open) or from `min` (closed); z.number() refuses NaN and infinities. */
function finite(min: number, open: boolean) {
  const allowed = `a finite number ${open ? '>' : '>='} ${min}`;
  return open ? z.number({ error: allowed }).gt(min, { error: allowed }) : z.number({ error: allowed }).gte(min, { error: allowed });
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `one of ${values.join(', ')}` });
}

const filePath = z.string({ error: 'a file path' }).min(1, { error: 'a file path' });
const seed = int(0, SEED_MAX);

/**
 * An object that refuses fields it does not know (a misspelt field would otherwise be dropped and
 * its default used in silence). They are reported before anything else in the object, as a stray
 * field often explains the rest (a "path" under data of kind random).
 */
function strict<S extends z.ZodRawShape>(shape: S, what: string) {
  return z.preprocess((v, ctx) => refuseUnknown(v, Object.keys(shape), what, ctx.issues), object(shape));
}

function object<S extends z.ZodRawShape>(shape: S) {
  return z.strictObject(shape, { error: (iss) => (iss.code === 'invalid_type' ? 'an object' : undefined) });
}

function refuseUnknown(v: unknown, known: readonly string[], what: string, issues: z.core.$ZodRawIssue[]): unknown {
  if (isRecord(v)) {
    for (const k of Object.keys(v)) {
      if (!known.includes(k)) issues.push({ code: 'custom', path: [k], input: v[k], message: 'unknown field', params: { unknownField: { known, what } } });
    }
  }
  return v;
}

// ---------------------------------------------------------------- the schema

const SOURCES = {
  random: { kind: z.literal('random'), P: int(2, 10_000_000), d: int(1, 100_000).default(CONFIG_DEFAULTS.data.d), seed: seed.optional() },
  // MNIST: at least one pattern is left over, so that a held-out set can exist
  mnist: { kind: z.literal('mnist'), P: int(1, MNIST_N - 1), d: int(1, MNIST_D).default(CONFIG_DEFAULTS.data.d), seed: seed.optional(), nTest: int(0, MNIST_N - 1).optional() },
  file: { kind: z.literal('file'), path: filePath, testPath: filePath.optional() },
};
const DATA_KINDS = Object.keys(SOURCES) as (keyof typeof SOURCES)[];

const dataSchema = z.preprocess(
  (v, ctx) => {
    if (!isRecord(v)) return v;
    const withKind = v.kind === undefined ? { ...v, kind: CONFIG_DEFAULTS.data.kind } : v;
    // an unknown kind is the union's to refuse (hasOwn: "toString" is no kind either)
    if (typeof withKind.kind !== 'string' || !Object.hasOwn(SOURCES, withKind.kind)) return withKind;
    const shape = SOURCES[withKind.kind as keyof typeof SOURCES];
    return refuseUnknown(withKind, Object.keys(shape), `data of kind "${withKind.kind}"`, ctx.issues);
  },
  z.discriminatedUnion('kind', [object(SOURCES.random), object(SOURCES.mnist), object(SOURCES.file)], {
    error: (iss) => (iss.code === 'invalid_union' ? `one of ${DATA_KINDS.join(', ')}` : 'an object'),
  }),
);

/** The architecture's fields but d, which comes from the data. */
const MODEL_SHAPE = {
  h: int(0).optional(),
  L: int(0, 64),
  activation: oneOf(['relu', 'softplus']).default(CONFIG_DEFAULTS.model.activation),
  beta: finite(0, true).default(CONFIG_DEFAULTS.model.beta),
  bias: z.boolean({ error: 'true or false' }).default(CONFIG_DEFAULTS.model.bias),
};

/** Hidden layers need a unit each; the linear model (L = 0) has none, so a width there is refused, not ignored. */
function checkWidth(ctx: { value: { h?: number; L: number }; issues: z.core.$ZodRawIssue[] }): void {
  const { h, L } = ctx.value;
  if (h === undefined) {
    if (L > 0) ctx.issues.push({ code: 'custom', path: ['h'], input: h, message: `an integer >= 1, as L = ${L} > 0 needs hidden units (required)` });
    return;
  }
  if (L > 0 && h < 1) ctx.issues.push({ code: 'custom', path: ['h'], input: h, message: `an integer >= 1 (L = ${L} > 0 needs hidden units)` });
  if (L === 0 && h !== 0) ctx.issues.push({ code: 'custom', path: ['h'], input: h, message: '0 or nothing (L = 0, the linear model, has no hidden layer)' });
}

/** h is 0 for the linear model when not given. */
const withWidth = <M extends { h?: number }>(m: M) => ({ ...m, h: m.h ?? 0 });

const modelSchema = strict(MODEL_SHAPE, 'model').check(checkWidth).transform(withWidth);

const lossSchema = strict(
  {
    kind: oneOf(LOSS_KINDS as readonly LossKind[] as [LossKind, ...LossKind[]]).default(CONFIG_DEFAULTS.loss.kind),
    kappa: finite(0, false).default(CONFIG_DEFAULTS.loss.kappa),
  },
  'loss',
);

/** A version-1 run file's arch and loss (runFile.ts): the same fields, limits and defaults as config.model and config.loss, plus d. */
export const legacyArchSchema = strict({ d: int(1), ...MODEL_SHAPE }, 'arch').check(checkWidth).transform(withWidth);
export const legacyLossSchema = lossSchema;

const trainSchema = strict(
  {
    optimizer: oneOf(OPTIMIZERS).default(CONFIG_DEFAULTS.train.optimizer),
    engine: oneOf(ENGINES).default(CONFIG_DEFAULTS.train.engine),
    maxEvaluations: int(1).optional(),
    lr: finite(0, true).optional(),
    tfjsBackend: oneOf(TFJS_BACKENDS as readonly TfjsBackendName[] as [TfjsBackendName, ...TfjsBackendName[]]).optional(),
  },
  'train',
);

const configSchema = strict(
  {
    data: dataSchema,
    model: modelSchema,
    // prefault, not default: an absent section is parsed as {}, so its fields get their defaults
    loss: lossSchema.prefault({}),
    train: trainSchema.prefault({}),
    seed: seed.default(CONFIG_DEFAULTS.seed),
  },
  'the config',
)
  .check((ctx) => {
    const { data, loss, train } = ctx.value;
    if (data.kind === 'mnist' && data.nTest !== undefined && data.nTest > MNIST_N - data.P) {
      ctx.issues.push({ code: 'custom', path: ['data', 'nTest'], input: data.nTest, message: `an integer from 0 to ${MNIST_N - data.P} (${MNIST_N} - P)` });
    }
    if (train.engine === 'tfjs' && train.optimizer === 'adam0') {
      ctx.issues.push({ code: 'custom', path: ['train', 'engine'], input: train.engine, message: 'float64 with optimizer adam0 (the authors ran float64)' });
    }
    if (train.engine === 'tfjs' && loss.kind !== 'quadratic') {
      ctx.issues.push({ code: 'custom', path: ['train', 'engine'], input: train.engine, message: `float64 with loss ${loss.kind} (the tfjs engine implements the quadratic hinge only)` });
    }
  })
  .transform(({ data, model, loss, train, seed }) => ({ data: withSeed(data, seed), model, loss, train, seed }));

/** The data seed's default is the run's seed; fields are rebuilt in the order run files have always had. */
function withSeed(data: z.output<typeof dataSchema>, seed: number): DataSource {
  if (data.kind === 'file') return data;
  const base = { P: data.P, d: data.d, seed: data.seed ?? seed };
  if (data.kind === 'random') return { kind: 'random', ...base };
  return { kind: 'mnist', ...base, ...(data.nTest !== undefined ? { nTest: data.nTest } : {}) };
}

/**
 * The full description of one run: with the same config, the same parameters come out, bit for bit.
 *   data   random {P, d, seed} | mnist {P, d, seed, nTest?} | file {path, testPath?}
 *   model  {h, L, activation, beta, bias}
 *   loss   {kind, kappa}
 *   train  {optimizer, engine, maxEvaluations?, lr?, tfjsBackend?}: minimiser and engine
 *          (src/train/minimise.ts); budget in gradient evaluations, per-optimizer default when absent
 *   seed   seeds the initialisation (and the data, unless data.seed says otherwise)
 */
export type RunConfig = DeepReadonly<z.output<typeof configSchema>>;

type DeepReadonly<T> = T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

export function architectureOf(cfg: RunConfig, d: number): Architecture {
  return makeArchitecture({ d, ...cfg.model });
}

// ---------------------------------------------------------------- the gate

export type Path = readonly PropertyKey[];

/**
 * How a field is named in an error: a JSON path under a prefix (config and run files, e.g.
 * "config.data.P"), or the CLI's flag with the text it was given (e.g. "--P", "-3").
 */
export interface Naming {
  field(path: Path): string;
  value(path: Path): unknown;
}

/** "config" + ["data", "x", 3] -> "config.data.x[3]" */
export function jsonPath(prefix: string, path: Path): string {
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s === '' ? String(k) : `${s}.${String(k)}`), prefix);
}

function valueAt(raw: unknown, path: Path): unknown {
  let v = raw;
  for (const k of path) v = isRecord(v) || Array.isArray(v) ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

export function jsonNaming(prefix: string, raw: unknown): Naming {
  return { field: (path) => jsonPath(prefix, path), value: (path) => valueAt(raw, path) };
}

/**
 * The one validation gate: parses `raw` with `schema` or throws the InputError of its first
 * problem (in field order), naming the field, the value received and what is allowed.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, raw: unknown, naming: Naming): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const unknownField = issue.code === 'custom' ? (issue.params as { unknownField?: { known: string[]; what: string } } | undefined)?.unknownField : undefined;
  let allowed = issue.message;
  if (unknownField) {
    const parent = issue.path.slice(0, -1);
    allowed = `nothing here; ${unknownField.what} takes only ${unknownField.known.map((k) => naming.field([...parent, k])).join(', ')}`;
  } else if (valueAt(raw, issue.path) === undefined && issue.code === 'invalid_type') {
    allowed = `${allowed} (required)`;
  }
  throw new InputError(naming.field(issue.path), naming.value(issue.path), allowed);
}

/**
 * Checks a config read from a file, the command line or built by code, and applies the defaults:
 * the one place where either happens. `where` names its fields: a JSON path prefix, or a Naming.
 */
export function validateConfig(raw: unknown, where: string | Naming = 'config'): RunConfig {
  return parseOrThrow(configSchema, raw, typeof where === 'string' ? jsonNaming(where, raw) : where);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

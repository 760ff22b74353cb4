import { makeArchitecture, type Architecture } from '../model/architecture.ts';
import { makeLoss, LOSS_KINDS, type LossKind } from '../loss/losses.ts';
import type { DataSource } from '../data/source.ts';
import { InputError, requireFinite, requireInt, requireOneOf } from '../util/errors.ts';
import { OPTIMIZERS, ENGINES, type OptimizerName, type EngineName } from '../train/minimise.ts';

/**
 * The full description of one run: with the same config, the same parameters come out, bit for bit.
 * Defaults are the authors' set-up (SCIENCE.md): ReLU, biases, quadratic hinge with kappa = 1.
 */
export interface RunConfig {
  readonly data: DataSource;
  readonly model: {
    readonly h: number;
    readonly L: number;
    readonly activation: 'relu' | 'softplus';
    readonly beta: number;
    readonly bias: boolean;
  };
  readonly loss: { readonly kind: LossKind; readonly kappa: number };
  /** minimiser and engine (src/train/minimise.ts); budget in gradient evaluations, per-optimizer default when absent */
  readonly train: {
    readonly optimizer: OptimizerName;
    readonly engine: EngineName;
    readonly maxEvaluations?: number;
    readonly lr?: number;
    readonly tfjsBackend?: 'tensorflow' | 'wasm' | 'cpu';
  };
  /** seeds the initialisation; the data has its own seed inside `data` */
  readonly seed: number;
}

export const DEFAULT_MODEL = { activation: 'relu', beta: 10, bias: true } as const;

export function architectureOf(cfg: RunConfig, d: number): Architecture {
  return makeArchitecture({ d, ...cfg.model });
}

/** Checks every field of a config read from a file or the command line; names the offending one. */
export function validateConfig(raw: unknown, where = 'config'): RunConfig {
  const c = obj(raw, where);
  const data = validateSource(c.data, `${where}.data`);
  const m = obj(c.model, `${where}.model`);
  const L = requireInt(`${where}.model.L`, m.L, 0, 64);
  const model = {
    h: requireInt(`${where}.model.h`, m.h, L === 0 ? 0 : 1),
    L,
    activation: requireOneOf(`${where}.model.activation`, m.activation ?? DEFAULT_MODEL.activation, ['relu', 'softplus'] as const),
    beta: requireFinite(`${where}.model.beta`, m.beta ?? DEFAULT_MODEL.beta, 0, Infinity, true),
    bias: bool(`${where}.model.bias`, m.bias ?? DEFAULT_MODEL.bias),
  };
  const l = obj(c.loss ?? {}, `${where}.loss`);
  const loss = {
    kind: requireOneOf(`${where}.loss.kind`, l.kind ?? 'quadratic', LOSS_KINDS),
    kappa: requireFinite(`${where}.loss.kappa`, l.kappa ?? 1, 0),
  };
  makeLoss(loss.kind, loss.kappa);
  const t = obj(c.train ?? {}, `${where}.train`);
  const train = {
    optimizer: requireOneOf(`${where}.train.optimizer`, t.optimizer ?? 'default', OPTIMIZERS),
    engine: requireOneOf(`${where}.train.engine`, t.engine ?? 'float64', ENGINES),
    ...(t.maxEvaluations !== undefined ? { maxEvaluations: requireInt(`${where}.train.maxEvaluations`, t.maxEvaluations, 1) } : {}),
    ...(t.lr !== undefined ? { lr: requireFinite(`${where}.train.lr`, t.lr, 0, Infinity, true) } : {}),
    ...(t.tfjsBackend !== undefined
      ? { tfjsBackend: requireOneOf(`${where}.train.tfjsBackend`, t.tfjsBackend, ['tensorflow', 'wasm', 'cpu'] as const) }
      : {}),
  };
  if (train.engine === 'tfjs' && train.optimizer === 'adam0') {
    throw new InputError(`${where}.train.engine`, train.engine, 'float64 with optimizer adam0 (the authors ran float64)');
  }
  const seed = requireInt(`${where}.seed`, c.seed ?? 0, 0, 0xffffffff);
  return { data, model, loss, train, seed };
}

function validateSource(raw: unknown, where: string): DataSource {
  const s = obj(raw, where);
  const kind = requireOneOf(`${where}.kind`, s.kind, ['random', 'mnist', 'file'] as const);
  if (kind === 'file') {
    if (typeof s.path !== 'string' || s.path === '') throw new InputError(`${where}.path`, s.path, 'a file path');
    if (s.testPath !== undefined && typeof s.testPath !== 'string') throw new InputError(`${where}.testPath`, s.testPath, 'a file path');
    return { kind, path: s.path, ...(s.testPath ? { testPath: s.testPath as string } : {}) };
  }
  const P = requireInt(`${where}.P`, s.P, 1, kind === 'mnist' ? 69_999 : 10_000_000);
  const d = requireInt(`${where}.d`, s.d, 1, kind === 'mnist' ? 784 : 100_000);
  const seed = requireInt(`${where}.seed`, s.seed ?? 0, 0, 0xffffffff);
  if (kind === 'random') return { kind, P, d, seed };
  const nTest = s.nTest === undefined ? undefined : requireInt(`${where}.nTest`, s.nTest, 0, 70_000 - P);
  return { kind, P, d, seed, ...(nTest !== undefined ? { nTest } : {}) };
}

function obj(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InputError(where, v, 'an object');
  return v as Record<string, unknown>;
}

function bool(where: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new InputError(where, v, 'true or false');
  return v;
}

import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomicWrite.ts';
import { makeArchitecture, layout, type Architecture } from '../model/architecture.ts';
import { makeDataset, type Dataset } from '../data/dataset.ts';
import { loadSource } from '../data/source.ts';
import * as z from 'zod';
import { makeLoss, type Loss } from '../loss/losses.ts';
import { evaluate } from '../loss/objective.ts';
import { jsonNaming, legacyArchSchema, legacyLossSchema, parseOrThrow, validateConfig, type RunConfig } from './config.ts';
import { InputError } from '../util/errors.ts';
import type { RunRecord, RunResults } from './record.ts';
import { itemKey, keyUnder } from './key.ts';
import { numericsDigest } from './numerics.ts';

/**
 * A run file: JSON, format "jamming-run". Written by `jamming train --save-run`, read by
 * `jamming hessian --run`. Version 3, written now, holds each fact once:
 *   record  the run record exactly as the store and results.json keep it (src/run/record.ts):
 *           key, item {config, analyse}, results, spectra?, deltas?, test?, wallSeconds
 *   params  number[Ntot], the flat layout: for l = 1..L+1, W_l row-major (out x in), then b_l
 *   data    {x: number[P][d], y: (+1|-1)[P]}; may be omitted when the config can regenerate it
 * A run without a record (a file written by hand, or by an outside implementation) is version 2:
 *   config  the full RunConfig (src/run/config.ts), beside params and data; an optional `results`
 *           (written by earlier versions) is kept as it is
 * The architecture is config.model with d from config.data (or from data.x), the loss config.loss.
 * Version 1 (the earliest files) has
 *   arch    {d, h, L, activation?: "relu"|"softplus", beta?: number, bias?: boolean}
 *   loss    {kind?: "quadratic"|"linear"|"crossEntropy", kappa?: number}
 * beside params, data and an optional config; it is still read, and refused where arch or loss
 * disagree with its config.
 */
export const RUN_FORMAT = 'jamming-run';
export const RUN_VERSION = 3;
/** a run file without a record: {config, params, data?} */
export const CONFIG_VERSION = 2;


/** A run file as written: version 3 with a record, 2 with a config only, 1 for a run that has no config (a hand-written one, read back). */
export type RunFileJson =
  | {
      readonly format: typeof RUN_FORMAT;
      readonly version: typeof RUN_VERSION;
      /** the numerics digest the record was made by (run/numerics.ts), so that its key can be checked after the code changes */
      readonly numerics: string;
      readonly record: RunRecord;
      readonly data?: DataJson;
      readonly params: number[];
    }
  | {
      readonly format: typeof RUN_FORMAT;
      readonly version: typeof CONFIG_VERSION;
      readonly config: RunConfig;
      readonly data?: DataJson;
      readonly params: number[];
      readonly results?: RunResults;
    }
  | {
      readonly format: typeof RUN_FORMAT;
      readonly version: 1;
      readonly arch: Architecture;
      readonly loss: { readonly kind: Loss['kind']; readonly kappa: number };
      readonly data?: DataJson;
      readonly params: number[];
      readonly results?: RunResults;
    };

interface DataJson {
  readonly x: number[][];
  readonly y: number[];
}

export interface LoadedRun {
  /** absent only in a version-1 file without one */
  readonly config?: RunConfig;
  readonly arch: Architecture;
  readonly loss: Loss;
  readonly data: Dataset;
  readonly theta: Float64Array;
  /** version 3: the run record, as made by run/execute.ts */
  readonly record?: RunRecord;
  /** the record's results, or those an earlier file kept beside its config */
  readonly results?: RunResults;
  /**
   * whose numerics made the record: these ('same'), others named by the file whose key checks out
   * ('other': the code changed since), or unknown (a file written before run files named them)
   */
  readonly recordNumerics?: 'same' | 'other' | 'unknown';
}

export function runFileJson(run: {
  config?: RunConfig;
  arch: Architecture;
  loss: Loss;
  data?: Dataset;
  theta: Float64Array;
  record?: RunRecord;
  results?: RunResults;
}): RunFileJson {
  const rest = { ...(run.data ? { data: datasetJson(run.data) } : {}), params: Array.from(run.theta) };
  // the record holds the config; arch and loss follow from a config; only a run without one spells them out
  if (run.record) return { format: RUN_FORMAT, version: RUN_VERSION, numerics: numericsDigest(), record: run.record, ...rest };
  const results = run.results ? { results: run.results } : {};
  if (run.config) return { format: RUN_FORMAT, version: CONFIG_VERSION, config: run.config, ...rest, ...results };
  return { format: RUN_FORMAT, version: 1, arch: run.arch, loss: { kind: run.loss.kind, kappa: run.loss.kappa }, ...rest, ...results };
}

function datasetJson(data: Dataset): DataJson {
  const x: number[][] = [];
  for (let mu = 0; mu < data.P; mu++) x.push(Array.from(data.x.subarray(mu * data.d, (mu + 1) * data.d)));
  return { x, y: Array.from(data.y) };
}

/** Writes to a temporary file then renames it: a reader never sees a half-written run file. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value) + '\n');
}

export function readRunFile(path: string): LoadedRun {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError('--run', path, `a readable run file (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${path}`, `invalid JSON (${(e as Error).message})`, 'a JSON run file');
  }
  return parseRunFile(raw, path);
}

const finiteNumber = z.number({ error: 'a finite number' });

/** The run file around its config; the config itself goes through validateConfig. */
const envelopeSchema = z.looseObject(
  {
    format: z.literal(RUN_FORMAT, { error: `"${RUN_FORMAT}"` }),
    version: z.union([z.literal(1), z.literal(CONFIG_VERSION), z.literal(RUN_VERSION)], {
      error: `${RUN_VERSION} (with a record), ${CONFIG_VERSION} (a config without a record) or 1 (the earliest format, with arch and loss)`,
    }),
    params: z.array(finiteNumber, { error: 'an array of numbers (the parameters)' }),
    data: z
      .object(
        {
          x: z.array(z.array(finiteNumber, { error: 'an array of numbers (one pattern)' }), { error: 'an array of patterns (number[][])' }),
          y: z.array(z.union([z.literal(1), z.literal(-1)], { error: '+1 or -1' }), { error: 'an array of labels (+1/-1)' }),
        },
        { error: 'an object { "x": number[][], "y": number[] }' },
      )
      .optional(),
  },
  { error: 'a JSON object' },
);

export function parseRunFile(raw: unknown, where = 'run'): LoadedRun {
  const naming = jsonNaming(where, raw);
  const file = parseOrThrow(envelopeSchema, raw, naming);
  const r = raw as Record<string, unknown>;
  const checked = file.version === RUN_VERSION ? parseRecord(r, where) : undefined;
  const record = checked?.record;
  if (file.version === RUN_VERSION && r.config !== undefined) throw new InputError(`${where}.config`, 'present', `absent in version ${RUN_VERSION}: the config is record.item.config`);
  const config = record ? record.item.config : r.config === undefined ? undefined : validateConfig(r.config, `${where}.config`);
  if (file.version !== 1) {
    if (!config) throw new InputError(`${where}.config`, undefined, `the run config (version ${CONFIG_VERSION} run files hold it; version 1 may hold arch and loss instead)`);
    for (const k of ['arch', 'loss'] as const) {
      if (r[k] !== undefined) throw new InputError(`${where}.${k}`, r[k], `absent in version ${file.version}: it follows from config.${k === 'arch' ? 'model' : 'loss'}`);
    }
  }
  const legacy = file.version === 1 ? parseLegacy(r, where, config) : undefined;

  // d: the config's data source says it; a data file's only once read (or its stored rows do)
  const source = config?.data;
  let d: number;
  let dFrom: string;
  let regenerated: Dataset | undefined;
  if (source && source.kind !== 'file') [d, dFrom] = [source.d, 'config.data.d'];
  else if (legacy?.arch) [d, dFrom] = [legacy.arch.d, 'arch.d'];
  else if (file.data) [d, dFrom] = [file.data.x[0]?.length ?? 0, 'data.x[0]'];
  else {
    regenerated = loadSource(source!).train;
    [d, dFrom] = [regenerated.d, 'config.data.path'];
  }
  const arch = config ? makeArchitecture({ d, ...config.model }) : legacy!.arch!;
  const loss = config ? makeLoss(config.loss.kind, config.loss.kappa) : makeLoss(legacy!.loss!.kind, legacy!.loss!.kappa);
  if (legacy && config) agree(legacy, arch, loss, where);

  const Ntot = layout(arch).Ntot;
  if (file.params.length !== Ntot) {
    throw new InputError(`${where}.params`, `${file.params.length} numbers`, `${Ntot} numbers (Ntot for this arch)`);
  }
  const theta = Float64Array.from(file.params);
  let data: Dataset;
  if (file.data) {
    const { x, y } = file.data;
    x.forEach((row, mu) => {
      if (row.length !== d) throw new InputError(`${where}.data.x[${mu}]`, `${row.length} numbers`, `${d} numbers (d, as ${dFrom})`);
    });
    if (source && source.kind !== 'file' && x.length !== source.P) {
      throw new InputError(`${where}.data.x`, `${x.length} patterns`, `${source.P} patterns, as config.data.P`);
    }
    data = makeDataset(`${where}.data`, Float64Array.from(x.flat()), Float64Array.from(y), Math.max(d, 1));
  } else if (source) {
    data = regenerated ?? loadSource(source).train;
    if (data.d !== d) throw new InputError(`${where}.config.data`, `data of d = ${data.d}`, `d = ${d}, as ${dFrom}`);
  } else {
    throw new InputError(`${where}.data`, undefined, 'the training data, or a config whose data can be regenerated');
  }
  // finite numbers can still overflow in a forward pass (a parameter of 1e308): refused here, by field,
  // instead of as an infinite Hessian entry deep in an analysis
  const ev = evaluate({ arch, loss, data }, theta);
  if (!Number.isFinite(ev.value) || !ev.gradient.every(Number.isFinite)) {
    throw new InputError(`${where}.params`, `parameters at which the loss is ${ev.value}`, 'parameters at which the loss and its gradient are finite (these overflow in the forward pass)');
  }
  const results = record?.results ?? (r.results as RunResults | undefined);
  return { ...(config ? { config } : {}), arch, loss, data, theta, ...(record ? { record, recordNumerics: checked!.numerics } : {}), ...(results ? { results } : {}) };
}

/**
 * Version 3's record: its config goes through the one gate, and its key must be that of its item
 * under the numerics that made it: these, or the other ones the file names (a run file outlives the
 * code that wrote it; a store does not read such records back, but an audit of the file must).
 */
function parseRecord(r: Record<string, unknown>, where: string): { record: RunRecord; numerics: 'same' | 'other' | 'unknown' } {
  const rec = r.record as Record<string, unknown> | undefined;
  if (rec === null || typeof rec !== 'object' || Array.isArray(rec)) throw new InputError(`${where}.record`, rec, 'the run record, an object {key, item, results, ...}');
  const item = rec.item as Record<string, unknown> | undefined;
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new InputError(`${where}.record.item`, item, 'an object {config, analyse}');
  const config = validateConfig(item.config, `${where}.record.item.config`);
  const record = { ...rec, item: { ...item, config } } as unknown as RunRecord;
  const named = r.numerics;
  if (named !== undefined && (typeof named !== 'string' || !/^[0-9a-f]{64}$/.test(named))) throw new InputError(`${where}.numerics`, named, 'the numerics digest the record was made by, 64 hex digits');
  const current = numericsDigest();
  let numerics: 'same' | 'other' | 'unknown';
  if (record.key === itemKey(record.item)) numerics = 'same';
  else if (named === undefined) numerics = 'unknown';
  else if (named !== current && record.key === keyUnder(record.item, named)) numerics = 'other';
  else {
    const key = keyUnder(record.item, named);
    throw new InputError(`${where}.record.key`, record.key, `${key}, the key of record.item under the numerics the file names (${named.slice(0, 12)}…): a record edited by hand no longer names its run`);
  }
  if (!record.results || typeof record.results !== 'object') throw new InputError(`${where}.record.results`, record.results, 'the run results, an object');
  return { record, numerics };
}

interface Legacy {
  readonly arch?: Architecture;
  readonly loss?: { readonly kind: Loss['kind']; readonly kappa: number };
}

/** Version 1: arch and loss, checked and completed by the config's own rules; without a config they are the model. */
function parseLegacy(r: Record<string, unknown>, where: string, config: RunConfig | undefined): Legacy {
  const arch = r.arch !== undefined || !config ? makeArchitecture(parseOrThrow(legacyArchSchema, r.arch, jsonNaming(`${where}.arch`, r.arch))) : undefined;
  const loss = r.loss !== undefined || !config ? parseOrThrow(legacyLossSchema, r.loss ?? {}, jsonNaming(`${where}.loss`, r.loss ?? {})) : undefined;
  return { ...(arch ? { arch } : {}), ...(loss ? { loss } : {}) };
}

/** A version-1 file may say its model twice; the two must agree, or which one was meant is unknown. */
function agree(legacy: Legacy, arch: Architecture, loss: Loss, where: string): void {
  const pairs: [string, unknown, unknown, string][] = [
    ...(legacy.arch ? (['d', 'h', 'L', 'activation', 'beta', 'bias'] as const) : []).map((k): [string, unknown, unknown, string] => [
      `arch.${k}`,
      legacy.arch![k],
      arch[k],
      k === 'd' ? "the config's data" : `config.model.${k}`,
    ]),
    ...(legacy.loss ? (['kind', 'kappa'] as const) : []).map((k): [string, unknown, unknown, string] => [`loss.${k}`, legacy.loss![k], loss[k], `config.loss.${k}`]),
  ];
  for (const [field, got, want, from] of pairs) {
    if (got !== want) throw new InputError(`${where}.${field}`, got, `${show(want)}, as ${from} says (arch and loss repeat the config in version-1 files and must agree with it)`);
  }
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

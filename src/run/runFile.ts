import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomicWrite.ts';
import { makeArchitecture, layout, type Architecture } from '../model/architecture.ts';
import { makeDataset, type Dataset } from '../data/dataset.ts';
import { loadSource } from '../data/source.ts';
import { makeLoss, LOSS_KINDS, type Loss } from '../loss/losses.ts';
import { validateConfig, type RunConfig } from './config.ts';
import { InputError, requireFinite, requireInt, requireOneOf } from '../util/errors.ts';
import type { Diagnostics } from '../analyse/diagnostics.ts';
import type { Certificate } from '../analyse/certificate.ts';
import type { NonsmoothCertificate } from '../train/minimumCertificate.ts';
import type { Phase, Verdict } from '../train/minimise.ts';

/**
 * A run file: JSON, format "jamming-run", version 1. Written by `jamming train --save-run`, read by
 * `jamming hessian --run`, and writable by hand (or by an outside implementation):
 *   arch    {d, h, L, activation?: "relu"|"softplus", beta?: number, bias?: boolean}
 *   loss    {kind?: "quadratic"|"linear"|"crossEntropy", kappa?: number}
 *   params  number[Ntot], the flat layout: for l = 1..L+1, W_l row-major (out x in), then b_l
 *   data    {x: number[P][d], y: (+1|-1)[P]}; may be omitted when config.data can regenerate it
 *   config  the full RunConfig (optional for hand-written files)
 *   results verdict, loss, N, Ntot, P, nDelta, contacts, deadPatterns, kinks, gradientNorm,
 *           certificate, steps, gradientEvaluations, wallSeconds, phases (optional, informative)
 */
export const RUN_FORMAT = 'jamming-run';
export const RUN_VERSION = 1;

export interface RunResults extends Diagnostics {
  readonly verdict: Verdict;
  readonly loss: number;
  readonly N: number;
  readonly Ntot: number;
  readonly P: number;
  readonly gradientNorm: number;
  /** smooth or kinked (measured on the Hessian), or the non-smooth certificate of a ReLU run (its last one where the budget ended) */
  readonly certificate?: Certificate | NonsmoothCertificate;
  readonly steps: number;
  readonly gradientEvaluations: number;
  readonly wallSeconds: number;
  readonly phases: readonly Phase[];
  readonly tfjsBackend?: string;
}

export interface RunFileJson {
  readonly format: typeof RUN_FORMAT;
  readonly version: typeof RUN_VERSION;
  readonly config?: RunConfig;
  readonly arch: Architecture;
  readonly loss: { readonly kind: Loss['kind']; readonly kappa: number };
  readonly data?: { readonly x: number[][]; readonly y: number[] };
  readonly params: number[];
  readonly results?: RunResults;
}

export interface LoadedRun {
  readonly config?: RunConfig;
  readonly arch: Architecture;
  readonly loss: Loss;
  readonly data: Dataset;
  readonly theta: Float64Array;
  readonly results?: RunResults;
}

export function runFileJson(run: {
  config?: RunConfig;
  arch: Architecture;
  loss: Loss;
  data?: Dataset;
  theta: Float64Array;
  results?: RunResults;
}): RunFileJson {
  return {
    format: RUN_FORMAT,
    version: RUN_VERSION,
    ...(run.config ? { config: run.config } : {}),
    arch: run.arch,
    loss: { kind: run.loss.kind, kappa: run.loss.kappa },
    ...(run.data ? { data: datasetJson(run.data) } : {}),
    params: Array.from(run.theta),
    ...(run.results ? { results: run.results } : {}),
  };
}

function datasetJson(data: Dataset): { x: number[][]; y: number[] } {
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

export function parseRunFile(raw: unknown, where = 'run'): LoadedRun {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError(where, raw, 'a JSON object');
  const r = raw as Record<string, unknown>;
  if (r.format !== RUN_FORMAT) throw new InputError(`${where}.format`, r.format, `"${RUN_FORMAT}"`);
  if (r.version !== RUN_VERSION) throw new InputError(`${where}.version`, r.version, `${RUN_VERSION}`);
  const config = r.config === undefined ? undefined : validateConfig(r.config, `${where}.config`);
  const a = (r.arch ?? {}) as Record<string, unknown>;
  if (typeof r.arch !== 'object' || r.arch === null) throw new InputError(`${where}.arch`, r.arch, 'an object {d, h, L, activation, beta, bias}');
  const arch = makeArchitecture({
    d: requireInt(`${where}.arch.d`, a.d, 1),
    h: requireInt(`${where}.arch.h`, a.h, 0),
    L: requireInt(`${where}.arch.L`, a.L, 0, 64),
    activation: requireOneOf(`${where}.arch.activation`, a.activation ?? 'relu', ['relu', 'softplus'] as const),
    beta: requireFinite(`${where}.arch.beta`, a.beta ?? 10, 0, Infinity, true),
    bias: a.bias === undefined ? true : (a.bias as boolean),
  });
  if (typeof arch.bias !== 'boolean') throw new InputError(`${where}.arch.bias`, a.bias, 'true or false');
  const l = (r.loss ?? {}) as Record<string, unknown>;
  const loss = makeLoss(requireOneOf(`${where}.loss.kind`, l.kind ?? 'quadratic', LOSS_KINDS), requireFinite(`${where}.loss.kappa`, l.kappa ?? 1, 0));
  const Ntot = layout(arch).Ntot;
  if (!Array.isArray(r.params) || r.params.length !== Ntot) {
    throw new InputError(`${where}.params`, Array.isArray(r.params) ? `${r.params.length} numbers` : r.params, `${Ntot} numbers (Ntot for this arch)`);
  }
  const theta = new Float64Array(Ntot);
  r.params.forEach((v, i) => (theta[i] = requireFinite(`${where}.params[${i}]`, v)));
  let data: Dataset;
  if (r.data !== undefined) {
    const dd = r.data as Record<string, unknown>;
    if (!Array.isArray(dd.x) || !Array.isArray(dd.y)) throw new InputError(`${where}.data`, r.data, '{ "x": number[][], "y": number[] }');
    const x = new Float64Array(dd.x.length * arch.d);
    dd.x.forEach((row, mu) => {
      if (!Array.isArray(row) || row.length !== arch.d) throw new InputError(`${where}.data.x[${mu}]`, row, `${arch.d} numbers (arch.d)`);
      row.forEach((v, i) => (x[mu * arch.d + i] = requireFinite(`${where}.data.x[${mu}][${i}]`, v)));
    });
    data = makeDataset(`${where}.data`, x, Float64Array.from(dd.y as number[]), arch.d);
  } else if (config) {
    data = loadSource(config.data).train;
    if (data.d !== arch.d) throw new InputError(`${where}.config.data.d`, data.d, `arch.d = ${arch.d}`);
  } else {
    throw new InputError(`${where}.data`, undefined, 'the training data, or a config whose data can be regenerated');
  }
  const results = r.results as RunResults | undefined;
  return { config, arch, loss, data, theta, ...(results ? { results } : {}) };
}

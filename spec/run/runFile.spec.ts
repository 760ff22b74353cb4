import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { assertProperty } from '../support/fc.ts';
import { parseRunFile, readRunFile, runFileJson, RUN_VERSION, CONFIG_VERSION } from '../../src/run/runFile.ts';
import { itemKey, keyUnder } from '../../src/run/key.ts';
import { numericsDigest } from '../../src/run/numerics.ts';
import type { RunRecord } from '../../src/run/record.ts';
import { validateConfig, type RunConfig } from '../../src/run/config.ts';
import { makeArchitecture, layout } from '../../src/model/architecture.ts';
import { makeLoss } from '../../src/loss/losses.ts';
import { loadSource } from '../../src/data/source.ts';
import { inputError } from '../support/inputError.ts';

type Raw = Record<string, unknown>;

/** A run as train writes it, on small random data. */
function run(config: RunConfig) {
  if (config.data.kind === 'file') throw new Error('random or mnist only');
  const arch = makeArchitecture({ d: config.data.d, ...config.model });
  const loss = makeLoss(config.loss.kind, config.loss.kappa);
  const data = loadSource(config.data).train;
  const theta = Float64Array.from({ length: layout(arch).Ntot }, (_, i) => Math.sin(i + config.seed));
  return { config, arch, loss, data, theta };
}

const CONFIG = validateConfig({ data: { kind: 'random', P: 6, d: 3, seed: 2 }, model: { h: 4, L: 2 }, seed: 5 });
const RUN = run(CONFIG);
/** written, then read back as JSON, as a file would be */
const json = (v: unknown): Raw => JSON.parse(JSON.stringify(v));
const V2 = json(runFileJson(RUN));
/** the same run in the earlier format: arch and loss beside the config */
const V1: Raw = { ...V2, version: 1, arch: { ...RUN.arch }, loss: { kind: 'quadratic', kappa: 1 } };

const configArb = fc
  .record({
    P: fc.integer({ min: 2, max: 8 }),
    d: fc.integer({ min: 1, max: 4 }),
    h: fc.integer({ min: 1, max: 4 }),
    L: fc.integer({ min: 0, max: 3 }),
    activation: fc.constantFrom('relu', 'softplus'),
    beta: fc.constantFrom(1, 2.5, 10),
    bias: fc.boolean(),
    kind: fc.constantFrom('quadratic', 'linear', 'crossEntropy'),
    kappa: fc.constantFrom(0, 0.5, 1),
    seed: fc.integer({ min: 0, max: 1000 }),
  })
  .map(({ P, d, h, L, activation, beta, bias, kind, kappa, seed }) =>
    validateConfig({ data: { kind: 'random', P, d }, model: { h: L === 0 ? 0 : h, L, activation, beta, bias }, loss: { kind, kappa }, seed }),
  );

describe('run files (version 2): config, params and data, each said once', () => {
  it('holds no arch or loss: they follow from the config', () => {
    expect(V2.version).toBe(CONFIG_VERSION);
    expect(Object.keys(V2)).toEqual(['format', 'version', 'config', 'data', 'params']);
  });

  it('reads back what was written, with or without the data (regenerated from config.data)', () => {
    assertProperty(
      fc.property(configArb, fc.boolean(), (config, withData) => {
        const r = run(config);
        const back = parseRunFile(json(runFileJson({ ...r, data: withData ? r.data : undefined })));
        expect(back.config).toEqual(config);
        expect(back.arch).toEqual(r.arch);
        expect([back.loss.kind, back.loss.kappa]).toEqual([r.loss.kind, r.loss.kappa]);
        expect(back.theta).toEqual(r.theta);
        expect(back.data.x).toEqual(r.data.x);
        expect(back.data.y).toEqual(r.data.y);
      }),
    );
  });

  it('refuses arch or loss beside the config', () => {
    const e = inputError(() => parseRunFile({ ...V2, arch: V1.arch }));
    expect(e.field).toBe('run.arch');
    expect(e.allowed).toContain('absent in version 2');
    expect(inputError(() => parseRunFile({ ...V2, loss: V1.loss })).field).toBe('run.loss');
  });

  it('needs its config, and names the config\'s fields under run.config', () => {
    const { config: _, ...bare } = V2;
    expect(inputError(() => parseRunFile(bare)).field).toBe('run.config');
    const e = inputError(() => parseRunFile({ ...V2, config: { ...CONFIG, data: { ...CONFIG.data, P: 1 } } }));
    expect(e.message).toBe('run.config.data.P: got 1; allowed: an integer from 2 to 10000000');
  });

  it('refuses stored data that does not match the config', () => {
    const data = V2.data as { x: number[][]; y: number[] };
    let e = inputError(() => parseRunFile({ ...V2, data: { x: data.x.map((r, i) => (i === 1 ? r.slice(1) : r)), y: data.y } }));
    expect(e.message).toBe('run.data.x[1]: got "2 numbers"; allowed: 3 numbers (d, as config.data.d)');
    e = inputError(() => parseRunFile({ ...V2, data: { x: data.x.slice(2), y: data.y.slice(2) } }));
    expect(e.message).toBe('run.data.x: got "4 patterns"; allowed: 6 patterns, as config.data.P');
    e = inputError(() => parseRunFile({ ...V2, data: { x: data.x, y: data.y.map((v, i) => (i === 3 ? 0 : v)) } }));
    expect(e.field).toBe('run.data.y[3]');
  });

  it('names the parameters that are missing or not numbers', () => {
    const params = V2.params as number[];
    expect(inputError(() => parseRunFile({ ...V2, params: params.slice(1) })).message).toBe(
      `run.params: got "${params.length - 1} numbers"; allowed: ${params.length} numbers (Ntot for this arch)`,
    );
    const e = inputError(() => parseRunFile({ ...V2, params: params.map((v, i) => (i === 2 ? null : v)) }));
    expect([e.field, e.value, e.allowed]).toEqual(['run.params[2]', null, 'a finite number']);
  });

  it('refuses another format or version', () => {
    expect(inputError(() => parseRunFile({ ...V2, format: 'other' })).field).toBe('run.format');
    expect(inputError(() => parseRunFile({ ...V2, version: 4 })).field).toBe('run.version');
    expect(inputError(() => parseRunFile([1])).field).toBe('run');
  });
});

describe('run files of version 1 (arch and loss beside config) are still read', () => {
  it('reads the committed certificate fixture, whose arch and loss agree with its config', () => {
    const r = readRunFile(new URL('../../fixtures/certificate/slow-descent-N136-P340-seed103.json', import.meta.url).pathname);
    expect(r.arch).toEqual({ d: 8, h: 8, L: 2, activation: 'relu', beta: 10, bias: true });
    expect(r.config?.model).toEqual({ h: 8, L: 2, activation: 'relu', beta: 10, bias: true });
    expect(r.data.P).toBe(340);
  });

  it('reads a file written with arch and loss', () => {
    const r = parseRunFile(V1);
    expect(r.arch).toEqual(RUN.arch);
    expect(r.theta).toEqual(RUN.theta);
  });

  it.each([
    ['arch', 'd', 4, '3, as the config\'s data says'],
    ['arch', 'h', 5, '4, as config.model.h says'],
    ['arch', 'L', 1, '2, as config.model.L says'],
    ['arch', 'activation', 'softplus', '"relu", as config.model.activation says'],
    ['arch', 'beta', 2, '10, as config.model.beta says'],
    ['arch', 'bias', false, 'true, as config.model.bias says'],
    ['loss', 'kind', 'linear', '"quadratic", as config.loss.kind says'],
    ['loss', 'kappa', 0.5, '1, as config.loss.kappa says'],
  ] as const)('refuses %s.%s that disagrees with the config', (section, field, value, allowed) => {
    const file = { ...V1, [section]: { ...(V1[section] as Raw), [field]: value } };
    const e = inputError(() => parseRunFile(file));
    expect(e.field).toBe(`run.${section}.${field}`);
    expect(e.value).toBe(value);
    expect(e.allowed).toContain(allowed);
    expect(e.allowed).toContain('must agree');
  });

  it('may carry either, or neither, beside its config', () => {
    const { arch: _a, ...lossOnly } = V1;
    expect(parseRunFile(lossOnly).arch).toEqual(RUN.arch);
    expect(inputError(() => parseRunFile({ ...lossOnly, loss: { kind: 'linear' } })).field).toBe('run.loss.kind');
    const { loss: _l, ...neither } = lossOnly;
    expect(parseRunFile(neither).arch).toEqual(RUN.arch);
  });

  it('takes the config\'s defaults for what arch and loss leave out', () => {
    // the defaults of a hand-written arch are config.model's: relu, beta 10, biases; quadratic hinge, kappa 1
    const file = { ...V1, arch: { d: 3, h: 4, L: 2 } };
    delete (file as Raw).loss;
    expect(parseRunFile(file).arch).toEqual(RUN.arch);
    const e = inputError(() => parseRunFile({ ...V1, arch: { d: 3, h: 4, L: 2, activation: 'softplus' } }));
    expect(e.field).toBe('run.arch.activation');
  });

  it('reads a hand-written file with no config: arch, loss, params and data', () => {
    const { config: _, ...hand } = V1;
    const r = parseRunFile(hand);
    expect(r.config).toBeUndefined();
    expect(r.arch).toEqual(RUN.arch);
    expect(r.data.x).toEqual(RUN.data.x);
    // written back, it stays in the format that can say it
    expect(json(runFileJson(r))).toEqual(hand);
  });

  it('checks a version-1 arch with the config\'s own rules and names it under run.arch', () => {
    const { config: _, ...hand } = V1;
    expect(inputError(() => parseRunFile({ ...hand, arch: { d: 3, h: 0, L: 2 } })).message).toBe('run.arch.h: got 0; allowed: an integer >= 1 (L = 2 > 0 needs hidden units)');
    expect(inputError(() => parseRunFile({ ...hand, arch: undefined })).message).toBe('run.arch: got undefined; allowed: an object (required)');
    expect(inputError(() => parseRunFile({ ...hand, loss: { kind: 'hinge' } })).field).toBe('run.loss.kind');
  });
});

describe('run files of version 3 hold the run record unchanged (the config is the record\'s)', () => {
  const item = { config: CONFIG, analyse: { spectra: 'counts' as const, deltas: false, testError: false } };
  const record = { key: itemKey(item), item, results: { verdict: 'fitted', loss: 0, N: 28, Ntot: 37, P: 6 }, wallSeconds: 0.5 } as unknown as RunRecord;
  const V3 = json(runFileJson({ ...RUN, record }));

  it('writes {format, version 3, record, data, params} and reads back the same record', () => {
    expect(V3.version).toBe(RUN_VERSION);
    expect(Object.keys(V3)).toEqual(['format', 'version', 'numerics', 'record', 'data', 'params']);
    expect(V3.numerics).toBe(numericsDigest());
    const back = parseRunFile(V3);
    expect(back.record).toEqual(record);
    expect(back.recordNumerics).toBe('same');
    expect(back.config).toEqual(CONFIG);
    expect(back.results).toEqual(record.results);
    expect(back.theta).toEqual(RUN.theta);
  });

  it('reads a record made by other numerics, whose key checks out under the digest the file names, and refuses it edited', () => {
    // a run file outlives the code that wrote it: after any change to the numerics its record's key
    // is not the current one, and an audit must still read it
    const other = 'f'.repeat(64);
    const old = { ...V3, numerics: other, record: { ...(V3.record as Raw), key: keyUnder(item, other) } };
    const back = parseRunFile(old);
    expect(back.recordNumerics).toBe('other');
    expect(back.record!.results).toEqual(record.results);
    const edited = { ...old, record: { ...(old.record as Raw), item: { ...item, config: { ...CONFIG, seed: 6 } } } };
    const e = inputError(() => parseRunFile(edited));
    expect(e.field).toBe('run.record.key');
    expect(e.message).toMatch(/under the numerics the file names \(ffffffffffff…\): a record edited by hand no longer names its run/);
    // a file from before run files named their numerics: read, its key unchecked, and said so
    const { numerics: _n, ...unnamed } = old;
    expect(parseRunFile(unnamed).recordNumerics).toBe('unknown');
    expect(inputError(() => parseRunFile({ ...old, numerics: 'abc' })).field).toBe('run.numerics');
  });

  it('refuses a record whose key is not its item\'s, a config beside the record, and a record that is not one', () => {
    const edited = { ...V3, record: { ...(V3.record as Raw), item: { ...item, config: { ...CONFIG, seed: 6 } } } };
    expect(inputError(() => parseRunFile(edited)).field).toBe('run.record.key');
    expect(inputError(() => parseRunFile({ ...V3, config: CONFIG })).field).toBe('run.config');
    expect(inputError(() => parseRunFile({ ...V3, record: [1] })).field).toBe('run.record');
    const badConfig = { ...V3, record: { ...(V3.record as Raw), item: { ...item, config: { ...CONFIG, model: { h: 0, L: 2 } } } } };
    expect(inputError(() => parseRunFile(badConfig)).field).toBe('run.record.item.config.model.h');
  });
});

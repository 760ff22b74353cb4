import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { assertProperty } from '../support/fc.ts';
import { CONFIG_DEFAULTS, validateConfig, type RunConfig } from '../../src/run/config.ts';
import { configFromFlags } from '../../src/cli/train.ts';
import { canonicalJson } from '../../src/run/key.ts';
import { mnistItem, randomItem } from '../../src/experiment/grid.ts';
import { inputError } from '../support/inputError.ts';

type Raw = Record<string, unknown>;

// ---------------------------------------------------------------- valid configs, fields given or left out

const seedArb = fc.integer({ min: 0, max: 0xffffffff });
const positive = fc.double({ min: 1e-6, max: 1e6, noNaN: true });

const dataArb: fc.Arbitrary<Raw> = fc.oneof(
  fc
    .record({ kind: fc.constant('random'), P: fc.integer({ min: 2, max: 10_000_000 }), d: fc.integer({ min: 1, max: 100_000 }), seed: seedArb }, { requiredKeys: ['P'] })
    .map((r) => r as Raw),
  fc
    .integer({ min: 1, max: 69_999 })
    .chain((P) =>
      fc.record(
        { kind: fc.constant('mnist'), P: fc.constant(P), d: fc.integer({ min: 1, max: 784 }), seed: seedArb, nTest: fc.integer({ min: 0, max: 70_000 - P }) },
        { requiredKeys: ['kind', 'P'] },
      ),
    ),
  fc.record({ kind: fc.constant('file'), path: fc.string({ minLength: 1 }), testPath: fc.string({ minLength: 1 }) }, { requiredKeys: ['kind', 'path'] }),
);

const modelArb: fc.Arbitrary<Raw> = fc.integer({ min: 0, max: 64 }).chain((L) =>
  fc.record(
    {
      // the linear model has no hidden layer: its width is 0 (any other is refused)
      h: L === 0 ? fc.constant(0) : fc.integer({ min: 1, max: 4096 }),
      L: fc.constant(L),
      activation: fc.constantFrom('relu', 'softplus'),
      beta: positive,
      bias: fc.boolean(),
    },
    { requiredKeys: ['h', 'L'] },
  ),
);

const lossArb = fc.record({ kind: fc.constantFrom('quadratic', 'linear', 'crossEntropy'), kappa: fc.double({ min: 0, max: 10, noNaN: true }).map((k) => k + 0) }, { requiredKeys: [] });

const trainArb = fc.record(
  {
    optimizer: fc.constantFrom('default', 'adam0', 'adam', 'fire', 'lbfgs'),
    engine: fc.constantFrom('float64', 'tfjs'),
    maxEvaluations: fc.integer({ min: 1, max: 10_000_000 }),
    lr: positive,
    tfjsBackend: fc.constantFrom('tensorflow', 'wasm', 'cpu'),
  },
  { requiredKeys: [] },
);

const configArb: fc.Arbitrary<Raw> = fc
  .record({ data: dataArb, model: modelArb, loss: lossArb, train: trainArb, seed: seedArb }, { requiredKeys: ['data', 'model'] })
  // the two combinations the engines refuse (below)
  .filter((c) => {
    const t = (c.train ?? {}) as Raw;
    const l = (c.loss ?? {}) as Raw;
    return t.engine !== 'tfjs' || (t.optimizer !== 'adam0' && (l.kind ?? 'quadratic') === 'quadratic');
  });

function at(v: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((o, k) => (o as Raw | undefined)?.[k], v);
}

function leaves(v: Raw, prefix: string[] = []): string[][] {
  return Object.entries(v).flatMap(([k, x]) => (x !== null && typeof x === 'object' ? leaves(x as Raw, [...prefix, k]) : [[...prefix, k]]));
}

describe('validateConfig: every valid config passes, keeps what it was given and gets the table\'s defaults', () => {
  it('keeps every field given, fills the others from CONFIG_DEFAULTS, and round-trips', () => {
    assertProperty(
      fc.property(configArb, (raw) => {
        const c = validateConfig(raw);
        for (const path of leaves(raw)) expect(at(c, path), path.join('.')).toBe(at(raw, path));
        const given = (section: string, field: string) => at(raw, [section, field]);
        expect(c.seed).toBe(raw.seed ?? CONFIG_DEFAULTS.seed);
        expect(c.data.kind).toBe(given('data', 'kind') ?? CONFIG_DEFAULTS.data.kind);
        if (c.data.kind !== 'file') {
          expect(c.data.d).toBe(given('data', 'd') ?? CONFIG_DEFAULTS.data.d);
          // the data seed defaults to the run's seed, as on the command line
          expect(c.data.seed).toBe(given('data', 'seed') ?? c.seed);
        }
        for (const [section, defaults] of [['model', CONFIG_DEFAULTS.model], ['loss', CONFIG_DEFAULTS.loss], ['train', CONFIG_DEFAULTS.train]] as const) {
          for (const [k, v] of Object.entries(defaults)) expect(at(c, [section, k])).toBe(given(section, k) ?? v);
        }
        // absent optional fields stay absent (they are part of the store key)
        for (const k of ['maxEvaluations', 'lr', 'tfjsBackend'] as const) expect(k in c.train).toBe(given('train', k) !== undefined);
        // the gate is idempotent, and a config survives JSON (run files, the store)
        expect(validateConfig(c)).toEqual(c);
        expect(validateConfig(JSON.parse(JSON.stringify(c)))).toEqual(c);
      }),
    );
  });

  it('gives the fields in one fixed order, whatever the input order (run files and --json print it)', () => {
    const c = validateConfig({ seed: 3, train: { engine: 'float64' }, model: { L: 2, h: 8 }, data: { seed: 4, d: 8, P: 20, kind: 'random' } });
    expect(JSON.stringify(c)).toBe(
      '{"data":{"kind":"random","P":20,"d":8,"seed":4},"model":{"h":8,"L":2,"activation":"relu","beta":10,"bias":true},"loss":{"kind":"quadratic","kappa":1},"train":{"optimizer":"default","engine":"float64"},"seed":3}',
    );
  });
});

// ---------------------------------------------------------------- invalid fields

const BASE: Raw = {
  data: { kind: 'random', P: 20, d: 3, seed: 1 },
  model: { h: 4, L: 2, activation: 'relu', beta: 10, bias: true },
  loss: { kind: 'quadratic', kappa: 1 },
  train: { optimizer: 'default', engine: 'float64', maxEvaluations: 100, lr: 1e-3 },
  seed: 1,
};

const nonNumbers = fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.constant(NaN), fc.constant(Infinity), fc.constant(-Infinity), fc.constant([1]));
const below = (min: number) => fc.integer({ min: 1, max: 2 ** 31 - 1 }).map((n) => min - n);
const above = (max: number) => fc.integer({ min: 1, max: 2 ** 31 - 1 }).map((n) => max + n);
const notAnInteger = (min: number, max: number) =>
  fc.oneof(nonNumbers, fc.double({ noInteger: true, noNaN: true, noDefaultInfinity: true }), below(min), ...(Number.isFinite(max) ? [above(max)] : []));
const notAbove = (min: number) => fc.oneof(nonNumbers, fc.double({ max: min, noNaN: true, noDefaultInfinity: true }));
// -0 is not below 0
const notFrom = (min: number) => fc.oneof(nonNumbers, fc.double({ max: min, maxExcluded: true, noNaN: true, noDefaultInfinity: true }).filter((v) => !Object.is(v, -0)));
const notOneOf = (values: readonly string[]) => fc.oneof(nonNumbers, fc.integer(), fc.string().filter((s) => !values.includes(s)));

/** [path, config it sits in, bad values, what the error must say is allowed] */
const INVALID: [string[], Raw, fc.Arbitrary<unknown>, string][] = [
  [['data', 'P'], BASE, notAnInteger(2, 10_000_000), 'an integer from 2 to 10000000'],
  [['data', 'd'], BASE, notAnInteger(1, 100_000), 'an integer from 1 to 100000'],
  [['data', 'seed'], BASE, notAnInteger(0, 0xffffffff), 'an integer from 0 to 4294967295'],
  [['data', 'kind'], BASE, notOneOf(['random', 'mnist', 'file']).filter((v) => v !== undefined), 'one of random, mnist, file'],
  [['data', 'P'], { ...BASE, data: { kind: 'mnist', P: 20 } }, notAnInteger(1, 69_999), 'an integer from 1 to 69999'],
  [['data', 'd'], { ...BASE, data: { kind: 'mnist', P: 20 } }, notAnInteger(1, 784), 'an integer from 1 to 784'],
  [['data', 'nTest'], { ...BASE, data: { kind: 'mnist', P: 69_000 } }, fc.integer({ min: 1001, max: 69_999 }), 'an integer from 0 to 1000 (70000 - P)'],
  [['data', 'path'], { ...BASE, data: { kind: 'file', path: 'a.csv' } }, fc.oneof(fc.constant(''), fc.integer(), fc.constant(null)), 'a file path'],
  [['model', 'L'], BASE, notAnInteger(0, 64), 'an integer from 0 to 64'],
  [['model', 'h'], BASE, notAnInteger(1, Infinity), 'an integer >= '],
  [['model', 'activation'], BASE, notOneOf(['relu', 'softplus']), 'one of relu, softplus'],
  [['model', 'beta'], BASE, notAbove(0), 'a finite number > 0'],
  [['model', 'bias'], BASE, fc.oneof(fc.string(), fc.integer(), fc.constant(null)), 'true or false'],
  [['loss', 'kind'], BASE, notOneOf(['quadratic', 'linear', 'crossEntropy']), 'one of quadratic, linear, crossEntropy'],
  [['loss', 'kappa'], BASE, notFrom(0), 'a finite number >= 0'],
  [['train', 'optimizer'], BASE, notOneOf(['default', 'adam0', 'adam', 'fire', 'lbfgs']), 'one of default, adam0, adam, fire, lbfgs'],
  [['train', 'engine'], BASE, notOneOf(['float64', 'tfjs']), 'one of float64, tfjs'],
  [['train', 'maxEvaluations'], BASE, notAnInteger(1, Infinity), 'an integer >= 1'],
  [['train', 'lr'], BASE, notAbove(0), 'a finite number > 0'],
  [['train', 'tfjsBackend'], BASE, notOneOf(['tensorflow', 'wasm', 'cpu']), 'one of tensorflow, wasm, cpu'],
  [['seed'], BASE, notAnInteger(0, 0xffffffff), 'an integer from 0 to 4294967295'],
  [['model'], BASE, nonNumbers.filter((v) => !Array.isArray(v)), 'an object'],
  [['data'], BASE, fc.oneof(fc.string(), fc.integer(), fc.constant(null)), 'an object'],
];

function withValue(config: Raw, path: readonly string[], value: unknown): Raw {
  const copy = structuredClone(config);
  let o = copy;
  for (const k of path.slice(0, -1)) o = o[k] as Raw;
  o[path[path.length - 1]] = value;
  return copy;
}

describe('validateConfig: each invalid field is an InputError naming its path, the value and what is allowed', () => {
  it.each(INVALID.map(([path, config, bad, allowed]) => [path.join('.'), config, bad, allowed] as const))('%s', (path, config, bad, allowed) => {
    assertProperty(
      fc.property(bad, (value) => {
        const e = inputError(() => validateConfig(withValue(config, path.split('.'), value), 'run.config'));
        expect(e.field).toBe(`run.config.${path}`);
        expect(Object.is(e.value, value) || e.value === value).toBe(true);
        expect(e.allowed).toContain(allowed);
        expect(e.message).toContain(`run.config.${path}: got `);
      }),
    );
  });

  it('a required field left out says so', () => {
    for (const path of [['data', 'P'], ['model', 'h'], ['model', 'L'], ['data'], ['model']]) {
      const config = structuredClone(BASE);
      delete (at(config, path.slice(0, -1)) as Raw)[path[path.length - 1]];
      const e = inputError(() => validateConfig(config));
      expect(e.field).toBe(`config.${path.join('.')}`);
      expect(e.value).toBeUndefined();
      expect(e.allowed).toMatch(/\(required\)$/);
    }
  });

  it('a field it does not know is refused (a misspelt one would otherwise be replaced by its default)', () => {
    const sections = [[], ['data'], ['model'], ['loss'], ['train']];
    assertProperty(
      fc.property(fc.constantFrom(...sections), fc.string({ minLength: 1 }).filter((k) => !['kind', 'P', 'd', 'seed', 'data', 'model', 'loss', 'train', 'h', 'L', 'activation', 'beta', 'bias', 'kappa', 'optimizer', 'engine', 'maxEvaluations', 'lr', 'tfjsBackend', '__proto__'].includes(k)), (section, key) => {
        const e = inputError(() => validateConfig(withValue(BASE, [...section, key], 7)));
        expect(e.field).toBe(['config', ...section].join('.') + `.${key}`);
        expect(e.value).toBe(7);
        expect(e.allowed).toMatch(/^nothing here; .* takes only /);
      }),
    );
  });

  it('random data with P = 1 is refused here, with its path, not later by the data module without it', () => {
    const e = inputError(() => validateConfig(withValue(BASE, ['data', 'P'], 1), 'run.config'));
    expect(e.message).toBe('run.config.data.P: got 1; allowed: an integer from 2 to 10000000');
  });

  it('refuses the combinations the engines refuse, naming the engine', () => {
    for (const [train, loss, allowed] of [
      [{ engine: 'tfjs', optimizer: 'adam0' }, {}, 'float64 with optimizer adam0'],
      [{ engine: 'tfjs' }, { kind: 'linear' }, 'float64 with loss linear'],
    ] as const) {
      const e = inputError(() => validateConfig({ ...BASE, train, loss }));
      expect(e.field).toBe('config.train.engine');
      expect(e.allowed).toContain(allowed);
    }
  });

  it('a linear model (L = 0) may have h = 0; a hidden layer needs h >= 1', () => {
    expect(validateConfig(withValue(withValue(BASE, ['model', 'L'], 0), ['model', 'h'], 0)).model.h).toBe(0);
    expect(inputError(() => validateConfig(withValue(BASE, ['model', 'h'], 0))).allowed).toBe('an integer >= 1 (L = 2 > 0 needs hidden units)');
  });
});

// ---------------------------------------------------------------- the command line goes through the same gate

/** The flags that say the same as a raw config (bias true and the kind random are defaults). */
function flagsOf(raw: Raw): Record<string, string | boolean> {
  const flags: Record<string, string | boolean> = {};
  const put = (flag: string, v: unknown) => {
    if (v !== undefined) flags[flag] = String(v);
  };
  const data = raw.data as Raw;
  if (data.kind === 'file') put('data', data.path);
  else put('dataset', data.kind);
  put('test-data', data.testPath);
  put('P', data.P);
  put('d', data.d);
  put('n-test', data.nTest);
  put('data-seed', data.seed);
  const model = raw.model as Raw;
  put('h', model.h);
  put('L', model.L);
  put('activation', model.activation);
  put('beta', model.beta);
  if (model.bias === false) flags['no-bias'] = true;
  const loss = (raw.loss ?? {}) as Raw;
  put('loss', loss.kind);
  put('kappa', loss.kappa);
  const train = (raw.train ?? {}) as Raw;
  put('optimizer', train.optimizer);
  put('engine', train.engine);
  put('max-evals', train.maxEvaluations);
  put('lr', train.lr);
  put('tfjs-backend', train.tfjsBackend);
  put('seed', raw.seed);
  return flags;
}

describe('the CLI passes its flags to the same gate: same defaults, errors named by flag', () => {
  it('flags and a config file saying the same give the same config (the data seed defaults to --seed in both)', () => {
    assertProperty(
      fc.property(configArb, (raw) => {
        expect(configFromFlags(flagsOf(raw))).toEqual(validateConfig(raw));
      }),
    );
  });

  it.each([
    [{ P: '20', h: 'wide', L: '1' }, '--h', 'wide', 'an integer >= 0'],
    [{ P: '-3', h: '4', L: '1' }, '--P', '-3', 'an integer from 2 to 10000000'],
    [{ P: '1', h: '4', L: '1' }, '--P', '1', 'an integer from 2 to 10000000'],
    [{ P: '20', h: '4', L: '1', 'data-seed': '1.5' }, '--data-seed', '1.5', 'an integer from 0 to 4294967295'],
    [{ P: '20', h: '4', L: '1', seed: '' }, '--seed', '', 'an integer from 0 to 4294967295'],
    [{ P: '20', h: '4', L: '1', kappa: '-1' }, '--kappa', '-1', 'a finite number >= 0'],
    [{ P: '20', h: '4', L: '1', 'max-evals': '0' }, '--max-evals', '0', 'an integer >= 1'],
    [{ P: '20', h: '4', L: '1', engine: 'tfjs', optimizer: 'adam0' }, '--engine', 'tfjs', 'float64 with optimizer adam0'],
    [{ dataset: 'file', h: '4', L: '1' }, '--data', undefined, 'a file path (required)'],
    [{ data: 'a.csv', P: '20', h: '4', L: '1' }, '--P', '20', 'nothing here; data of kind "file" takes only --dataset, --data, --test-data'],
    [{ dataset: 'mnist', P: '100', h: '4', L: '1', 'n-test': '69950' }, '--n-test', '69950', 'an integer from 0 to 69900 (70000 - P)'],
  ] as const)('%j -> %s', (flags, field, value, allowed) => {
    const e = inputError(() => configFromFlags(flags));
    expect(e.field).toBe(field);
    expect(e.value).toBe(value);
    expect(e.allowed).toContain(allowed);
  });
});

// ---------------------------------------------------------------- the store keys hash these configs

describe('the sweep\'s configs are unchanged by the gate (their canonical JSON is part of every store key)', () => {
  it.each([
    [
      randomItem({ P: 136, h: 8, L: 2, seed: 100, maxEvaluations: 300_000 }, { spectra: 'counts', deltas: true, testError: false }).config,
      '{"data":{"P":136,"d":8,"kind":"random","seed":100},"loss":{"kappa":1,"kind":"quadratic"},"model":{"L":2,"activation":"relu","beta":10,"bias":true,"h":8},"seed":100,"train":{"engine":"float64","maxEvaluations":300000,"optimizer":"default"}}',
    ],
    [
      randomItem({ P: 150, d: 4, h: 6, L: 1, seed: 101, activation: 'softplus', beta: 2, loss: 'crossEntropy' }, { spectra: 'none', deltas: false, testError: false }).config,
      '{"data":{"P":150,"d":4,"kind":"random","seed":101},"loss":{"kappa":1,"kind":"crossEntropy"},"model":{"L":1,"activation":"softplus","beta":2,"bias":true,"h":6},"seed":101,"train":{"engine":"float64","optimizer":"default"}}',
    ],
    [
      mnistItem({ P: 300, h: 4, L: 2, seed: 102, dataSeed: 100, nTest: 5000, maxEvaluations: 500_000 }, { spectra: 'none', deltas: false, testError: true }).config,
      '{"data":{"P":300,"d":10,"kind":"mnist","nTest":5000,"seed":100},"loss":{"kappa":1,"kind":"quadratic"},"model":{"L":2,"activation":"relu","beta":10,"bias":true,"h":4},"seed":102,"train":{"engine":"float64","maxEvaluations":500000,"optimizer":"default"}}',
    ],
    [
      mnistItem({ P: 1000, h: 24, L: 2, seed: 100, nTest: 0 }, { spectra: 'none', deltas: false, testError: false }).config,
      '{"data":{"P":1000,"d":10,"kind":"mnist","nTest":0,"seed":100},"loss":{"kappa":1,"kind":"quadratic"},"model":{"L":2,"activation":"relu","beta":10,"bias":true,"h":24},"seed":100,"train":{"engine":"float64","optimizer":"default"}}',
    ],
  ] as [RunConfig, string][])('%#', (config, canonical) => {
    expect(canonicalJson(config)).toBe(canonical);
  });
});

/**
 * Generated malformed input to every parser and loader (flags, CSV, JSON data, run files, IDX):
 * each ends with exit code 2 and one line naming the field, never a stack trace, never a NaN in the
 * message, never a file written. The CLI is called in this process (main), so a case costs
 * milliseconds; every case fails before any training starts.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { parseIdx, IDX_IMAGES } from '../../src/data/idx.ts';
import { InputError } from '../../src/util/errors.ts';
import { assertProperty } from '../support/fc.ts';

let dir: string;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jamming-malformed-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in this process; returns its exit code and what it wrote to stderr and stdout. */
async function cli(args: string[]): Promise<{ code: number; err: string; out: string }> {
  let err = '';
  let out = '';
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  try {
    return { code: await main(args), err, out };
  } finally {
    e.mockRestore();
    o.mockRestore();
  }
}

/** What every refusal must look like: exit 2, one line "jamming <cmd>: <field>: got ...; allowed: ...", nothing else. */
async function refused(args: readonly string[]): Promise<void> {
  const before = readdirSync(dir).sort();
  const r = await cli([...args]);
  expect(r.code, `${args.join(' ')}\n${r.err}`).toBe(2);
  const lines = r.err.trimEnd().split('\n');
  expect(lines, r.err).toHaveLength(1);
  expect(lines[0]).toMatch(/^jamming [a-z]+: .+/);
  // no stack frame, and no NaN of ours (the input it quotes back may say "NaN")
  expect(lines[0].replace(/got "(?:[^"\\]|\\.)*"/, 'got <input>')).not.toMatch(/\bat .+:\d+:\d+|NaN/);
  expect(r.out).toBe('');
  expect(readdirSync(dir).sort()).toEqual(before);
}

const file = (name: string, text: string | Uint8Array) => {
  const p = join(dir, `${n++}-${name}`);
  writeFileSync(p, text);
  return p;
};

const junk = fc.oneof(fc.constantFrom('', ' ', 'abc', '0x10', '1e400', '-1', '1.5', 'NaN', 'Infinity', '--', '1,2', '٣'), fc.string({ maxLength: 6 }));

describe('malformed input is refused by name, exit 2, nothing written', () => {
  it('train flags with a malformed value', async () => {
    const numeric = ['P', 'd', 'h', 'L', 'beta', 'kappa', 'seed', 'max-evals', 'lr', 'n-test', 'data-seed'];
    await assertProperty(
      fc.asyncProperty(fc.constantFrom(...numeric), junk, async (flag, value) => {
        // a positive decimal may be valid for the flag, so it is not malformed input: skipped
        fc.pre(!/^\s*\+?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(value));
        const args = ['train', '--P', '20', '--d', '3', '--h', '4', '--L', '1', '--max-evals', '1', `--${flag}=${value}`];
        await refused(args);
      }),
    );
  });

  it('unknown flags, enum values and flag combinations that mean nothing', async () => {
    await assertProperty(
      fc.asyncProperty(
        fc.oneof(
          fc.stringMatching(/^[a-z]{3,8}$/).filter((s) => !['help', 'json'].includes(s)).map((s) => ['train', '--P', '20', '--h', '4', '--L', '1', `--x${s}`, '1']),
          junk.filter((s) => !['relu', 'softplus'].includes(s)).map((s) => ['train', '--P', '20', '--h', '4', '--L', '1', `--activation=${s}`]),
          junk.filter((s) => !['ci', 'full', 'paper'].includes(s)).map((s) => ['verify', `--scale=${s}`]),
          junk.filter((s) => !/^\d+(,\d+)*$/.test(s)).map((s) => ['verify', '--scale', 'ci', `--claim=${s}`]),
          fc.constantFrom(['train', '--P', '20', '--h', '4', '--L', '0'], ['train', '--P', '20', '--h', '4', '--L', '1', '--no-save-data'], ['verify', '--scale', 'ci', '--claim', '2,2']),
        ),
        async (args) => refused(args),
      ),
    );
  });

  it('CSV data with a bad cell, a short row or a bad label', async () => {
    await assertProperty(
      fc.asyncProperty(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 2 }), junk, fc.constantFrom('cell', 'row', 'label', 'one class', 'huge'), async (row, col, bad, how) => {
        const rows = Array.from({ length: 6 }, (_, i) => [0.1 * i, -0.2 * i, i % 2 ? 1 : -1]);
        const lines = rows.map((r) => r.map(String));
        if (how === 'cell') lines[row][col % 2] = bad.replace(/[,\n\r]/g, '') === '' ? 'x' : bad.replace(/[,\n\r]/g, '') + 'x';
        if (how === 'row') lines[row] = lines[row].slice(0, 1);
        if (how === 'label') lines[row][2] = '2';
        if (how === 'one class') for (const l of lines) l[2] = '1';
        if (how === 'huge') lines[row][0] = '1e308';
        await refused(['train', '--data', file('d.csv', lines.map((l) => l.join(',')).join('\n')), '--h', '2', '--L', '1', '--max-evals', '1']);
      }),
    );
  });

  it('JSON data that is not {x: number[][], y: labels}', async () => {
    await assertProperty(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 20 }), fc.jsonValue().map((v) => JSON.stringify(v))), async (text) => {
        await refused(['train', '--data', file('d.json', text), '--h', '2', '--L', '1', '--max-evals', '1']);
      }),
    );
  });

  it('run files with a field removed, retyped or resized', async () => {
    const base = {
      format: 'jamming-run',
      version: 2,
      config: { data: { kind: 'random', P: 6, d: 3, seed: 1 }, model: { h: 2, L: 1 }, seed: 1 },
      params: Array.from({ length: 3 * 2 + 2 + 2 + 1 }, (_, i) => 0.1 * (i + 1)),
    };
    const valid = await cli(['hessian', '--run', file('ok.json', JSON.stringify(base)), '--json']);
    expect(valid.code, valid.err).toBe(0);
    await assertProperty(
      fc.asyncProperty(
        fc.constantFrom('format', 'version', 'config', 'params', 'config.model', 'config.data', 'config.model.h', 'config.data.P', 'params.0'),
        fc.constantFrom('delete', 'string', 'null', 'array', 'negative', 'shorter'),
        async (path, how) => {
          const doc = structuredClone(base) as Record<string, unknown>;
          const keys = path.split('.');
          const parent = keys.slice(0, -1).reduce((o, k) => (o as Record<string, unknown>)[k], doc as unknown) as Record<string, unknown>;
          const k = keys.at(-1)!;
          if (how === 'delete') delete parent[k];
          if (how === 'string') parent[k] = 'x';
          if (how === 'null') parent[k] = null;
          if (how === 'array') parent[k] = [1];
          if (how === 'negative') parent[k] = -3;
          if (how === 'shorter') doc.params = (doc.params as number[]).slice(1);
          const text = JSON.stringify(doc);
          fc.pre(text !== JSON.stringify(base) && !(path === 'params.0' && how === 'negative'));
          await refused(['hessian', '--run', file('r.json', text)]);
        },
      ),
    );
  });

  it('IDX bytes: a valid file or an InputError naming the file, never another error', () => {
    const kind = IDX_IMAGES;
    assertProperty(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.boolean(), (bytes, withMagic) => {
        const b = withMagic && bytes.length >= 4 ? Uint8Array.from([0, 0, 8, 3, ...bytes.slice(4)]) : bytes;
        try {
          parseIdx(b, 'images.idx', kind);
        } catch (e) {
          expect(e).toBeInstanceOf(InputError);
          expect((e as InputError).field).toBe('images.idx');
        }
      }),
      200,
    );
  });
});

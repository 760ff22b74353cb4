import { readFileSync } from 'node:fs';
import { InputError } from '../util/errors.ts';

/**
 * IDX, the format of the MNIST files (http://yann.lecun.com/exdb/mnist/): a big-endian header
 * [0, 0, type, ndims] then ndims uint32 sizes, then the data. Only unsigned bytes (type 0x08) are
 * needed here. We parse it ourselves so that a truncated download is caught, not silently read.
 */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/** What each MNIST file must be: images are 3-d (n x rows x cols), labels 1-d. */
export const IDX_IMAGES = { magic: 0x00000803, ndims: 3 } as const;
export const IDX_LABELS = { magic: 0x00000801, ndims: 1 } as const;
export type IdxKind = typeof IDX_IMAGES | typeof IDX_LABELS;

/** Reads and checks an IDX file; every problem is an InputError naming the path. */
export function readIdx(path: string, kind: IdxKind): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new InputError(path, (e as Error).message, 'a readable IDX file');
  }
  return parseIdx(bytes, path, kind);
}

/** Checks magic number, header and exact length (header + product of dims), then returns a view. */
export function parseIdx(bytes: Uint8Array, path: string, kind: IdxKind): IdxArray {
  const header = 4 + 4 * kind.ndims;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The magic number first: a file of the wrong kind is reported as such, not as a short header.
  const magic = bytes.length >= 4 ? view.getUint32(0, false) : undefined;
  if (magic !== undefined && magic !== kind.magic) {
    throw new InputError(path, `magic number ${hex(magic)}`, `magic number ${hex(kind.magic)} (uint8, ${kind.ndims}-d)`);
  }
  if (bytes.length < header) {
    throw new InputError(path, `${bytes.length} bytes`, `an IDX file of at least ${header} bytes (its header)`);
  }
  const dims: number[] = [];
  for (let k = 0; k < kind.ndims; k++) dims.push(view.getUint32(4 + 4 * k, false));
  const expected = header + dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== expected) {
    throw new InputError(
      path,
      `${bytes.length} bytes`,
      `exactly ${expected} bytes (header ${header} + ${dims.join(' x ')} data)`,
    );
  }
  return { dims, data: bytes.subarray(header) };
}

function hex(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}

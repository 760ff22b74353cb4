import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { assertProperty } from '../support/fc.ts';
import { loadUserData } from '../../src/data/userData.ts';
import { InputError } from '../../src/util/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'jamming-user-'));
let count = 0;
function file(ext: string, text: string): string {
  const p = join(dir, `f${count++}${ext}`);
  writeFileSync(p, text);
  return p;
}

/** Expects an InputError whose message contains every fragment. */
function rejects(fn: () => unknown, ...fragments: string[]): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InputError);
  for (const f of fragments) expect((err as Error).message).toContain(f);
}

describe('loadUserData: CSV', () => {
  it('reads features then label, skips a non-numeric header and blank lines, maps 0/1 to -1/+1, no normalisation', () => {
    const p = file('.csv', 'a,b,label\n\n1.5,-2,1\r\n 3e-1 , 4 ,0\n\n');
    const { train, test } = loadUserData(p);
    expect(test).toBeUndefined();
    expect([train.P, train.d]).toEqual([2, 2]);
    expect(Array.from(train.x)).toEqual([1.5, -2, 0.3, 4]);
    expect(Array.from(train.y)).toEqual([1, -1]);
    const pm = loadUserData(file('.csv', '1,-1\n2,+1\n3,1\n')).train;
    expect(Array.from(pm.y)).toEqual([-1, 1, 1]);
  });

  it('round-trips any finite matrix with |x| <= 1e6 and labels of both classes exactly (used as given)', () => {
    const rows = fc.integer({ min: 1, max: 6 }).chain((d) =>
      fc.array(
        fc.record({
          x: fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: d, maxLength: d }),
          y: fc.constantFrom(1, -1),
        }),
        { minLength: 2, maxLength: 20 },
      ),
    ).filter((data) => data.some((r) => r.y === 1) && data.some((r) => r.y === -1));
    assertProperty(
      fc.property(rows, (data) => {
        const p = file('.csv', data.map((r) => [...r.x.map(String), String(r.y)].join(',')).join('\n'));
        const { train } = loadUserData(p);
        expect(Array.from(train.x)).toEqual(data.flatMap((r) => r.x.map((v) => v + 0)));
        expect(Array.from(train.y)).toEqual(data.map((r) => r.y));
      }),
    );
  });

  it('rejects malformed CSV with InputError naming file, row, column, value and what is allowed', () => {
    const ragged = file('.csv', '1,2,1\n3,1\n');
    rejects(() => loadUserData(ragged), ragged, 'row 2', '"2 columns"', '3 columns, as row 1');
    const text = file('.csv', '1,2,1\n3,abc,-1\n');
    rejects(() => loadUserData(text), text, 'row 2 column 2', '"abc"', 'a finite decimal number');
    const nan = file('.csv', '1,2,1\nNaN,2,-1\n');
    rejects(() => loadUserData(nan), 'row 2 column 1', '"NaN"');
    const empty = file('.csv', '1,,1\n');
    rejects(() => loadUserData(empty), 'row 1 column 2', 'got ""');
    const inf = file('.csv', '1,Infinity,1\n');
    rejects(() => loadUserData(inf), 'row 1 column 2', '"Infinity"');
    const label = file('.csv', '1,2,1\n3,4,2\n');
    rejects(() => loadUserData(label), 'row 2 column 3 (label)', 'got 2', '+1/-1 or 0/1');
    const mixed = file('.csv', '1,2,-1\n3,4,0\n');
    rejects(() => loadUserData(mixed), 'row 2 column 3 (label)', 'got 0', '+1 or -1');
    const one = file('.csv', '1\n2\n');
    rejects(() => loadUserData(one), 'row 1', 'at least 2 columns');
    const none = file('.csv', '\n\n');
    rejects(() => loadUserData(none), none, 'no data rows');
    const headerOnly = file('.csv', 'x,y\n');
    rejects(() => loadUserData(headerOnly), headerOnly, 'no data rows');
  });
});

describe('loadUserData: JSON', () => {
  it('reads { x, y }', () => {
    const p = file('.json', JSON.stringify({ x: [[1, 2], [3, 4], [5, 6]], y: [0, 1, 1] }));
    const { train } = loadUserData(p);
    expect(Array.from(train.x)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(train.y)).toEqual([-1, 1, 1]);
  });

  it('rejects malformed JSON with InputError naming file, index, value and what is allowed', () => {
    const bad = file('.json', '{"x": [[1,2]], "y": [1]');
    rejects(() => loadUserData(bad), bad, 'valid JSON');
    rejects(() => loadUserData(file('.json', '[1,2]')), 'a JSON object');
    rejects(() => loadUserData(file('.json', '{"y":[1]}')), ': x', 'non-empty array of rows');
    rejects(() => loadUserData(file('.json', '{"x":[[1]],"y":1}')), ': y', 'an array of labels');
    rejects(() => loadUserData(file('.json', '{"x":[[1],[2]],"y":[1]}')), ': y', '"1 labels"', 'one label per row of x (2)');
    rejects(() => loadUserData(file('.json', '{"x":[[1,2],[3]],"y":[1,-1]}')), 'x[1]', '"1 features"', '2 features, as x[0]');
    rejects(() => loadUserData(file('.json', '{"x":[[1,"2"]],"y":[1]}')), 'x[0][1]', 'got "2"', 'a finite number');
    rejects(() => loadUserData(file('.json', '{"x":[[1,null]],"y":[1]}')), 'x[0][1]', 'got null');
    rejects(() => loadUserData(file('.json', '{"x":[[1],[2]],"y":[1,0.5]}')), 'y[1]', 'got 0.5');
    rejects(() => loadUserData(file('.json', '{"x":[[1],[2]],"y":[1,"-1"]}')), 'y[1]', 'got "-1"');
    rejects(() => loadUserData(file('.json', '{"x":[[]],"y":[1]}')), 'x[0]', 'a non-empty array of numbers');
  });
});

describe('loadUserData: files and test sets', () => {
  it('loads a test file with the same d, and rejects one with a different d', () => {
    const tr = file('.csv', '1,2,1\n3,4,-1\n');
    const te = file('.json', '{"x":[[5,6]],"y":[-1]}');
    const { train, test } = loadUserData(tr, te);
    expect([train.P, test?.P, test?.d]).toEqual([2, 1, 2]);
    const te3 = file('.csv', '1,2,3,1\n');
    rejects(() => loadUserData(tr, te3), te3, ': d', 'got 3', `d = 2 features, as in ${tr}`);
  });

  it('rejects an unknown extension and a missing file', () => {
    rejects(() => loadUserData(join(dir, 'data.txt')), 'file', 'data.txt', '.csv or .json');
    const missing = join(dir, 'missing.csv');
    rejects(() => loadUserData(missing), 'file', missing, 'an existing readable file');
  });
});

/** The bench's printed tables (src/bench/table.ts): aligned columns, numbers to 4 significant digits, integers exact. */
import { describe, it, expect } from 'vitest';
import { formatTable } from '../../src/bench/table.ts';

describe('formatTable', () => {
  it('aligns every column to its widest cell, under a rule as wide', () => {
    const out = formatTable([
      { shape: 'P = 1000, h = 30', ratio: 0.8412345, steps: 200 },
      { shape: 'paper', ratio: 12, steps: 5 },
    ]).split('\n');
    expect(out).toEqual([
      'shape             ratio   steps',
      '----------------  ------  -----',
      'P = 1000, h = 30  0.8412  200  ',
      'paper             12      5    ',
    ]);
  });
  it('says so when there is nothing to print', () => {
    expect(formatTable([])).toBe('(no rows)');
  });
});

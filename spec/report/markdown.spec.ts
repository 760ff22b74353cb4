import { describe, it, expect } from 'vitest';
import { table, section, codeBlock, figure, details, escapeCell } from '../../src/report/markdown.ts';
import { fmt, MISSING } from '../../src/util/format.ts';

describe('fmt: significant digits, fixed notation for 1e-4 <= |x| < 1e6, exponent outside', () => {
  it('rounds to the requested significant digits', () => {
    expect(fmt(0.000123456, 3)).toBe('0.000123');
    expect(fmt(3.14159, 3)).toBe('3.14');
    expect(fmt(3.14159, 5)).toBe('3.1416');
    expect(fmt(0.5, 3)).toBe('0.500'); // trailing zeros are significant
    expect(fmt(12345.6, 3)).toBe('12300');
    expect(fmt(-0.0209999, 2)).toBe('-0.021');
    expect(fmt(0.00099996, 3)).toBe('0.00100'); // rounding crosses a decade
  });
  it('switches to exponent notation (no "+") outside [1e-4, 1e6)', () => {
    expect(fmt(0.0000123456, 3)).toBe('1.23e-5');
    expect(fmt(1.5e-12, 2)).toBe('1.5e-12');
    expect(fmt(4.56789e8, 3)).toBe('4.57e8');
    expect(fmt(2e7, 3)).toBe('2.00e7');
  });
  it('prints integers below 1e6 exactly (counts are not rounded)', () => {
    expect(fmt(7854, 3)).toBe('7854');
    expect(fmt(-12, 1)).toBe('-12');
    expect(fmt(0)).toBe('0');
    expect(fmt(-0)).toBe('0');
  });
  it('shows NaN, undefined and null as an em dash, infinities as ∞', () => {
    expect(fmt(NaN)).toBe('—');
    expect(fmt(undefined)).toBe(MISSING);
    expect(fmt(null)).toBe(MISSING);
    expect(fmt(Infinity)).toBe('∞');
    expect(fmt(-Infinity)).toBe('-∞');
  });
});

describe('table', () => {
  it('escapes pipes and newlines, formats numbers, right-aligns numeric columns', () => {
    const md = table(['claim', 'value | unit', 'N'], [
      ['a|b', 0.000123456, 7854],
      ['two\nlines', NaN, undefined],
    ]);
    expect(md).toBe(
      [
        '| claim | value \\| unit | N |',
        '| --- | ---: | ---: |',
        '| a\\|b | 0.000123 | 7854 |',
        '| two<br>lines | — | — |',
        '',
      ].join('\n'),
    );
    // every row has exactly the header's number of unescaped cell separators
    for (const line of md.trim().split('\n')) expect(line.replace(/\\\|/g, '').split('|').length).toBe(5);
  });
  it('pads short rows and honours the digits argument', () => {
    expect(table(['x', 'y'], [[Math.PI]], 5)).toBe('| x | y |\n| ---: | ---: |\n| 3.1416 | — |\n');
  });
  it('escapeCell doubles backslashes so a trailing backslash cannot eat the pipe', () => {
    expect(escapeCell('a\\')).toBe('a\\\\');
  });
});

describe('section, codeBlock, figure, details', () => {
  it('section writes a heading of the given level', () => {
    expect(section('Claim 1', 2, 'body\n\n')).toBe('## Claim 1\n\nbody\n');
    expect(section('T', 9, '')).toBe('###### T\n');
  });
  it('codeBlock uses a fence longer than any backtick run inside', () => {
    expect(codeBlock('x = 1', 'ts')).toBe('```ts\nx = 1\n```\n');
    expect(codeBlock('a ```` b')).toBe('`````\na ```` b\n`````\n');
  });
  it('figure makes an image link, escaping brackets and wrapping paths with spaces', () => {
    expect(figure('fig.svg', 'N* against P')).toBe('![N* against P](fig.svg)\n');
    expect(figure('my fig.svg', 'a [b]')).toBe('![a \\[b\\]](<my fig.svg>)\n');
  });
  it('details wraps a collapsible block with an HTML-escaped summary', () => {
    expect(details('raw <numbers> & more', '| a |\n')).toBe(
      '<details>\n<summary>raw &lt;numbers&gt; &amp; more</summary>\n\n| a |\n\n</details>\n',
    );
  });
});

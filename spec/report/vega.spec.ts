import { describe, it, expect } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderSvg, writeFigure } from '../../src/report/vega.ts';

const clipped = (title: string) => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title,
  width: 120,
  height: 80,
  data: { values: [{ a: 1, b: 2 }, { a: 2, b: 5 }, { a: 3, b: 9 }] },
  // clip: true makes Vega emit clipPath ids from a module-level counter
  mark: { type: 'line', clip: true },
  encoding: {
    x: { field: 'a', type: 'quantitative', title: 'a axis', scale: { domain: [1.5, 2.5] } },
    y: { field: 'b', type: 'quantitative', title: 'b axis' },
  },
});

describe('renderSvg', () => {
  it('renders a Vega-Lite spec to an SVG string without a browser', async () => {
    const warnings: string[] = [];
    const svg = await renderSvg(clipped('Hello & <goodbye>'), { onWarn: (m) => warnings.push(m) });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('Hello &amp; &lt;goodbye&gt;');
    expect(svg).toContain('a axis');
    expect(svg).toContain('clipPath');
    expect(warnings).toEqual([]);
  });

  it('is byte-identical for the same spec, even after other figures and when run concurrently', async () => {
    const a = await renderSvg(clipped('same'));
    await renderSvg(clipped('other one'));
    await renderSvg(clipped('and another'));
    const b = await renderSvg(clipped('same'));
    expect(b).toBe(a);
    const [c, , d] = await Promise.all([renderSvg(clipped('same')), renderSvg(clipped('x')), renderSvg(clipped('same'))]);
    expect(c).toBe(a);
    expect(d).toBe(a);
  });

  it('reports compiler warnings through onWarn', async () => {
    const warnings: string[] = [];
    const spec = { ...clipped('warn'), encoding: { ...clipped('warn').encoding, size: { field: 'nope', type: 'nominal' } } };
    await renderSvg(spec, { onWarn: (m) => warnings.push(m) });
    expect(warnings.length).toBeGreaterThan(0);
  });
});

describe('writeFigure', () => {
  it('writes NAME.svg atomically, returns the file name and leaves no temp file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jamming-fig-'));
    try {
      const out = join(dir, 'nested', 'figs');
      const file = await writeFigure(out, 'fig-1', clipped('written'));
      expect(file).toBe('fig-1.svg');
      expect(await readdir(out)).toEqual(['fig-1.svg']);
      const text = await readFile(join(out, file), 'utf8');
      expect(text).toBe(await renderSvg(clipped('written')));
      // overwrite in place, and optionally save the spec beside it
      await writeFigure(out, 'fig-1', clipped('again'), { saveSpec: true });
      expect((await readdir(out)).sort()).toEqual(['fig-1.svg', 'fig-1.vl.json']);
      expect(JSON.parse(await readFile(join(out, 'fig-1.vl.json'), 'utf8'))).toEqual(clipped('again'));
      expect(await readFile(join(out, file), 'utf8')).toContain('again');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses names that are paths', async () => {
    await expect(writeFigure(tmpdir(), '../escape', clipped('x'))).rejects.toThrow(/name/);
    await expect(writeFigure(tmpdir(), 'a/b', clipped('x'))).rejects.toThrow(/name/);
  });
});

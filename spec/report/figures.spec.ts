import { describe, it, expect } from 'vitest';
import {
  nDeltaVsPOverN,
  jammingLine,
  spectrumHistograms,
  negativeVsNDelta,
  gapDistribution,
  testErrorVsN,
  statisticVsN,
  logLogScatter,
  exponentVsDistance,
  plotSpec,
  PALETTE,
  SHAPES,
  type SpectrumRow,
  type VlSpec,
} from '../../src/report/figures.ts';
import type { GapRow, JammingRow } from '../../src/claims/plot.ts';
import { renderSvg } from '../../src/report/vega.ts';
import { claim4 } from '../../src/claims/c04-jump.ts';
import { fixedNSweep, scaleOf, seedsFrom } from '../claims/fixtures.ts';
import type { FixedNFamily } from '../../src/experiment/scales.ts';

/** Vega writes text content XML-escaped. */
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Every title string in a spec: chart title and subtitle, axis, legend and facet titles. */
function titles(spec: unknown, out: string[] = []): string[] {
  if (Array.isArray(spec)) for (const v of spec) titles(v, out);
  else if (spec && typeof spec === 'object') {
    for (const [k, v] of Object.entries(spec)) {
      if (k === 'title' || k === 'subtitle' || k === 'text') {
        if (typeof v === 'string') out.push(v);
        else if (Array.isArray(v)) out.push(...v.filter((s): s is string => typeof s === 'string'));
      }
      if (k !== 'data') titles(v, out);
    }
  }
  return out;
}

async function check(spec: VlSpec, mustContain: string[]) {
  // plain JSON: survives a round trip unchanged (no functions, no undefined, no NaN)
  expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  const warnings: string[] = [];
  const svg = await renderSvg(spec, { onWarn: (m) => warnings.push(m) });
  expect(warnings).toEqual([]);
  expect(svg.startsWith('<svg')).toBe(true);
  const all = [...new Set([...titles(spec), ...mustContain])];
  for (const t of all) expect(svg.includes(xml(t)), `SVG lacks ${JSON.stringify(t)}`).toBe(true);
  expect(await renderSvg(spec)).toBe(svg);
  return svg;
}

const depths = ['L = 2', 'L = 5', 'L = 10'];

type Layer = { mark?: string | { type: string; shape?: string; color?: string }; data?: { values?: Record<string, unknown>[] }; encoding?: Record<string, { field?: string; value?: string; scale?: { domain?: string[]; range?: string[] } }>; layer?: Layer[]; vconcat?: Layer[] };

/**
 * The series of every point layer of a figure (the values of its colour and shape fields) with the
 * colour and marker each is drawn with, read from the spec's scales as vega-lite applies them.
 */
function pointStyles(spec: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (l: Layer, data?: Layer['data']) => {
    const d = l.data ?? data;
    const type = typeof l.mark === 'string' ? l.mark : l.mark?.type;
    if (type === 'point' && l.encoding) {
      const style = (ch: 'color' | 'shape', datum: Record<string, unknown>, fallback: string) => {
        const e = l.encoding![ch];
        if (!e) return (typeof l.mark === 'object' && l.mark[ch]) || fallback;
        if (e.value !== undefined) return e.value;
        const i = e.scale!.domain!.indexOf(String(datum[e.field!]));
        expect(i, `${ch} domain lacks ${String(datum[e.field!])}`).toBeGreaterThanOrEqual(0);
        expect(e.scale!.range, `${ch} needs an explicit range`).toBeDefined();
        return e.scale!.range![i];
      };
      for (const datum of d?.values ?? []) {
        const series = ['color', 'shape'].map((ch) => String(datum[l.encoding![ch]?.field ?? ''] ?? '')).join(' | ');
        const drawn = `${style('color', datum, 'default')} ${style('shape', datum, 'circle')}`;
        expect(out.get(series) ?? drawn, `series ${series} drawn two ways`).toBe(drawn);
        out.set(series, drawn);
      }
    }
    for (const c of [...(l.layer ?? []), ...(l.vconcat ?? [])]) walk(c, d);
  };
  walk(spec as Layer);
  return out;
}

/** No two series of a figure share both colour and marker. */
function expectDistinct(spec: unknown, atLeast: number) {
  const styles = pointStyles(spec);
  expect(styles.size).toBeGreaterThanOrEqual(atLeast);
  const drawn = [...styles.values()];
  expect(new Set(drawn).size, [...styles.entries()].map(([k, v]) => `${k}: ${v}`).join('\n')).toBe(drawn.length);
}

describe('figure specs render to SVG with their titles, axis titles and legends', () => {
  it('nDeltaVsPOverN: points per depth and the C0 rule', async () => {
    const rows = depths.flatMap((series, j) =>
      [0.5, 1, 2, 3, 4].map((PoverN) => ({ PoverN, nDeltaOverN: Math.max(0, (PoverN - 1.5 - j) * 0.3), series })),
    );
    const spec = nDeltaVsPOverN([...rows, { PoverN: NaN, nDeltaOverN: 1, series: 'L = 2' }]);
    const svg = await check(spec, [
      'P/N (training patterns per parameter)',
      'N_Δ/N (patterns with Δ > 0, per parameter)',
      'C0 = 0.5',
      ...depths,
    ]);
    // legend keeps first-appearance order: L = 2, L = 5, L = 10
    expect(svg.indexOf('>L = 5<')).toBeLessThan(svg.indexOf('>L = 10<'));
    expect(svg.indexOf('>L = 2<')).toBeLessThan(svg.indexOf('>L = 5<'));
  });

  it('jammingLine: log-log points, error bars and power-law fits with exponents in the legend', async () => {
    const rows = [2, 5].flatMap((L) =>
      [100, 1000, 10000].map((P) => ({ P, Nstar: 0.9 * P, NstarLow: 0.8 * P, NstarHigh: 1.1 * P, series: `L = ${L}` })),
    );
    rows.push({ P: 300, Nstar: 250, series: 'L = 8' } as (typeof rows)[number]);
    // a fixed-N family: N* = N at P*, its bracket in P drawn as a horizontal bar
    rows.push({ P: 800, Nstar: 300, PLow: 750, PHigh: 825, series: 'random, L = 2' } as JammingRow as (typeof rows)[number]);
    const spec = jammingLine(rows, [
      { series: 'L = 2', exponent: 1.02, prefactor: 0.85 },
      { series: 'L = 5', exponent: 0.98, prefactor: 1.1 },
    ]);
    await check(spec, ['L = 2: fit N* = 0.85 P^1.02', 'L = 5: fit N* = 1.1 P^0.98', 'L = 8', 'random, L = 2']);
    const pBars = (spec as unknown as { layer: Layer[] }).layer.find((l) => (l.data?.values ?? []).some((v) => 'PLow' in v));
    expect(pBars?.data?.values).toMatchObject([{ PLow: 750, PHigh: 825, Nstar: 300, legend: 'random, L = 2' }]);
    expectDistinct(spec, 4);
  });

  it('spectrumHistograms: 3 x 3 facets, symlog by default and linear on request', async () => {
    const rows: SpectrumRow[] = [];
    for (const matrix of ['H', 'H0', 'Hp'] as const)
      for (const side of ['below jamming', 'at jamming', 'above jamming'] as const)
        for (let i = 0; i < 40; i++)
          rows.push({ matrix, side, eigenvalue: i < 10 ? 0 : (matrix === 'Hp' && i % 3 === 0 ? -1 : 1) * 10 ** (-6 + i / 8) });
    const sym = spectrumHistograms(rows);
    expect((sym.title as { text: string }).text).toMatch(/symmetric-log/);
    const svg = await check(sym, ['H (full Hessian)', 'H0 (Gauss-Newton part)', 'below jamming', 'above jamming', 'eigenvalue λ', '1e-2', '-1e-6']);
    expect(svg).toContain('>0<'); // the zero tick
    const lin = spectrumHistograms(rows, { transform: 'linear', bins: 20 });
    expect((lin.title as { text: string }).text).toMatch(/linear bins/);
    await check(lin, ['eigenvalue λ', 'count']);
  });

  it('spectrumHistograms: counts add up and one bin is centred on zero', () => {
    const rows: SpectrumRow[] = [0, 0, 0, 1e-3, -2e-2, 5].map((eigenvalue) => ({ matrix: 'H', side: 'at jamming', eigenvalue }));
    const bins = (transform: 'symlog' | 'linear') =>
      (spectrumHistograms(rows, { transform }) as unknown as { data: { values: { lo: number; hi: number; count: number }[] } }).data.values;
    for (const [transform, inZeroBin] of [['symlog', 3], ['linear', 5]] as const) {
      const bars = bins(transform);
      expect(bars.reduce((s, b) => s + b.count, 0)).toBe(rows.length);
      const zero = bars.filter((b) => b.lo < 0 && b.hi > 0);
      expect(zero).toHaveLength(1);
      // symlog: the zero bin is |λ| < ~3e-9 here; linear: bin width 5.02/60, so 1e-3 and -2e-2 join it
      expect(zero[0].count).toBe(inZeroBin);
      expect(zero[0].lo).toBeCloseTo(-zero[0].hi, 12);
    }
  });

  it('negativeVsNDelta: points and the N_- = N_Δ line', async () => {
    const rows = [0, 10, 50, 120].map((nDelta, i) => ({ nDelta, nNeg: nDelta + (i % 2 ? 3 : -2), series: i % 2 ? 'random data' : 'MNIST parity' }));
    await check(negativeVsNDelta(rows), [
      'N_Δ (number of patterns with Δ > 0)',
      'N_- (number of negative eigenvalues of Hp)',
      'N_- = N_Δ',
      'random data',
    ]);
  });

  it('gapDistribution: both sides on log-log axes with fitted exponents', async () => {
    const rows: GapRow[] = [];
    for (const side of ['Delta > 0', 'Delta < 0'] as const)
      for (let k = -4; k <= 0; k += 0.5) rows.push({ side, x: 10 ** k, density: 10 ** (-0.4 * k) });
    rows.push({ side: 'Delta < 0', x: 0, density: 1 }); // dropped: log axis
    const spec = gapDistribution(rows, [
      { side: 'Delta > 0', exponent: -0.41 },
      { side: 'Delta < 0', exponent: -0.4, prefactor: 1 },
    ]);
    await check(spec, ['Δ > 0: fit density ∝ |Δ|^-0.41', 'Δ < 0: fit density ∝ |Δ|^-0.4', 'probability density of |Δ| (log scale)']);
    // with the papers' exponents: dashed lines in the side's colour, named in the legend
    const withPapers = gapDistribution(rows, [{ side: 'Delta > 0', exponent: 0.15 }, { side: 'Delta < 0', exponent: -0.04 }], { papers: [{ side: 'Delta > 0', exponent: 0.3 }, { side: 'Delta < 0', exponent: -0.2 }] });
    await check(withPapers, ['Δ > 0: fit density ∝ |Δ|^0.15, papers |Δ|^0.3', 'Δ < 0: fit density ∝ |Δ|^-0.04, papers |Δ|^-0.2']);
    const dashed = (withPapers as unknown as { layer: (Layer & { mark: { strokeDash?: number[] } })[] }).layer.filter((l) => l.mark.strokeDash);
    expect(dashed).toHaveLength(1);
    expect(dashed[0].data!.values!.length).toBe(48);
  });

  it('testErrorVsN: log x, ±sem bars and the N = N* rule', async () => {
    const rows = ['L = 2', 'L = 5'].flatMap((series) =>
      [0.3, 0.7, 1, 1.5, 3, 10].map((NoverNstar, i) => ({ NoverNstar, testError: 0.2 + 0.05 * Math.cos(i), sem: 0.01, series })),
    );
    delete (rows[0] as { sem?: number }).sem;
    await check(testErrorVsN(rows), [
      'N/N* (parameters relative to the jamming threshold, log scale)',
      'mean test error (fraction misclassified)',
      'N = N* (jamming)',
    ]);
  });

  it('statisticVsN: one panel per statistic against N, 95% bars, the papers\' value or power law, regime shapes', async () => {
    const pts = (f: (N: number) => number) => [136, 300, 528, 1176].map((N, i) => ({ N, value: f(N), low: 0.9 * f(N), high: 1.1 * f(N), series: i === 0 ? 'L = 3' : 'L = 2', inRegime: i > 0, n: 8 }));
    const spec = statisticVsN(
      [
        { statistic: 'C0 = mean N_-(Hp)/N', paper: 0.5, interval: '95% bootstrap over seeds', points: pts(() => 0.48) },
        { statistic: 'sigma(N)', powerLaw: { exponent: -0.25, label: 'N^(-1/4)' }, interval: '95% bootstrap over seeds', points: pts((N) => N ** -0.25) },
        { statistic: 'window', interval: 'none', points: [...pts(() => 0.4), { N: 50, value: NaN, low: NaN, high: NaN, series: 'L = 2', inRegime: true, n: 0 }] },
      ],
      { title: 'Claim 4: its statistic against N' },
    );
    await check(spec, ['N (parameters, log scale)', 'papers: 0.5', 'N^(-1/4)', 'decides', 'outside the regime', 'L = 2', 'L = 3']);
  });

  it('logLogScatter: points, fitted power laws per series and the papers\' exponent', async () => {
    const rows = [1e-4, 1e-3, 1e-2, 1e-1].flatMap((x) => [{ x, y: 2 * x ** 0.5, series: 'N = 300' }, { x, y: 3 * x ** 0.55, series: 'N = 528' }]);
    const spec = logLogScatter(rows, [{ series: 'N = 300', exponent: 0.5, prefactor: 2 }, { series: 'N = 528', exponent: 0.55, prefactor: 3 }], { title: 'Scale of Hp', x: 'live loss (log scale)', y: 'max |λ(Hp)| (log scale)', predicted: { exponent: 0.5, label: 'slope 1/2' } });
    await check(spec, ['N = 300: fit exponent 0.5', 'N = 528: fit exponent 0.55', 'slope 1/2']);
  });

  it('exponentVsDistance: exponents against P/P* - 1 with 95% bars and the papers\' values as rules', async () => {
    const rows = [0.02, 0.07, 0.2, 0.4].flatMap((distance, i) => [
      { distance, value: 0.3 - 0.05 * i, low: 0.25 - 0.05 * i, high: 0.35 - 0.05 * i, series: 'theta (Δ > 0)', n: 8 },
      { distance, value: 0.2 - 0.04 * i, low: 0.15 - 0.04 * i, high: 0.25 - 0.04 * i, series: 'gamma (Δ < 0)', n: 8 },
    ]);
    rows.push({ distance: 0, value: 1, low: 1, high: 1, series: 'theta (Δ > 0)', n: 1 }); // dropped: log axis
    const spec = exponentVsDistance(rows, [{ series: 'theta (Δ > 0)', value: 0.3, label: 'papers: θ ≈ 0.3' }, { series: 'gamma (Δ < 0)', value: 0.2, label: 'papers: γ ≈ 0.2' }], { title: 'Gap exponents', x: 'P/P* − 1 (distance to jamming, log scale)', y: 'exponent' });
    await check(spec, ['papers: θ ≈ 0.3', 'papers: γ ≈ 0.2', 'theta (Δ > 0)', 'gamma (Δ < 0)']);
    expectDistinct(spec, 2);
  });

  it('empty data still gives a valid chart', async () => {
    for (const spec of [nDeltaVsPOverN([]), jammingLine([], []), spectrumHistograms([]), negativeVsNDelta([]), gapDistribution([], []), testErrorVsN([]), statisticVsN([{ statistic: 's', interval: 'i', points: [] }]), logLogScatter([], [], { title: 't', x: 'x', y: 'y' }), exponentVsDistance([], [], { title: 't', x: 'x', y: 'y' })]) {
      const svg = await renderSvg(spec, { onWarn: () => undefined });
      expect(svg.startsWith('<svg')).toBe(true);
    }
  });
});

describe('every series of a figure has its own colour and marker', () => {
  it('the palette repeats no colour, and a pair of colour and marker repeats only after 40 series', () => {
    expect(new Set(PALETTE).size).toBe(PALETTE.length);
    expect(PALETTE.length).toBeGreaterThanOrEqual(20);
    const pairs = Array.from({ length: 40 }, (_, i) => `${PALETTE[i % PALETTE.length]} ${SHAPES[i % SHAPES.length]}`);
    expect(new Set(pairs).size).toBe(40);
  });

  it('13 series (the committed claim 4 figure had 13 on 10 colours) and 25 series: no two share colour and marker', async () => {
    const many = (k: number) => Array.from({ length: k }, (_, i) => `N = ${100 + 10 * i}`);
    expectDistinct(nDeltaVsPOverN(many(13).flatMap((series, i) => [1, 2, 3].map((PoverN) => ({ PoverN, nDeltaOverN: 0.1 * i * PoverN, series })))), 13);
    const rows = many(25).flatMap((series, i) => [1e-3, 1e-2].map((x) => ({ x, y: (1 + i) * x ** 0.5, series })));
    const spec = logLogScatter(rows, [], { title: 't', x: 'x', y: 'y' });
    expectDistinct(spec, 25);
    await check(spec, ['N = 340']);
    expectDistinct(negativeVsNDelta(many(12).map((series, i) => ({ nDelta: i, nNeg: i, series }))), 12);
    expectDistinct(testErrorVsN(many(12).flatMap((series) => [0.5, 1, 2].map((NoverNstar) => ({ NoverNstar, testError: 0.2, series })))), 12);
    expectDistinct(jammingLine(many(12).map((series, i) => ({ P: 100 * (i + 1), Nstar: 40 * (i + 1), series })), []), 12);
    expectDistinct(gapDistribution([{ side: 'Delta > 0', x: 1e-3, density: 1 }, { side: 'Delta < 0', x: 1e-3, density: 2 }], []), 2);
    expectDistinct(statisticVsN([{ statistic: 's', interval: 'i', points: many(12).map((series, i) => ({ N: 100 + i, value: 1, low: 0.9, high: 1.1, series, inRegime: i % 2 === 0, n: 3 })) }]), 12);
  });

  it('status markers: one colour per family and one marker per kind of end, no pair repeated', () => {
    const rows = ['L = 2, N = 136', 'L = 2, N = 300', 'L = 3, N = 310'].flatMap((series) =>
      ['minimum or fitted', 'dead patterns', 'budget'].map((status, j) => ({ PoverN: 2 + j, nDeltaOverN: 1, series, status })),
    );
    expectDistinct(nDeltaVsPOverN(rows), 9);
  });
});

describe('claim 4\'s figure marks each family\'s jamming point', () => {
  const fams: FixedNFamily[] = [8, 12, 16].map((width) => ({ L: 2, width, ratios: [1.5, 2, 2.5, 3, 3.5], seeds: seedsFrom(100, 3) }));
  // seed s fits up to P/N = 2 + 0.5 s... every family crosses between 2 and 3.5; a budget run and a dead-pattern run for the markers
  const tagged = fams.flatMap((f) =>
    fixedNSweep(f, ({ ratio, N, s }) => {
      if (ratio === 3.5 && s === 2) return { verdict: 'budget', liveNDelta: Math.round(0.6 * N) };
      if (ratio === 3 && s === 2) return { liveNDelta: 2, deadPatterns: 50, deadLoss: 0.1 };
      return ratio < 2 + 0.5 * s ? {} : { liveNDelta: Math.round(0.6 * N) };
    }),
  );
  const out = claim4.decide(tagged, scaleOf({ fixedN: fams }), []);
  const plot = out.figures[0].plot;
  const spec = plotSpec(plot) as unknown as { layer: Layer[] };

  it('a P* rule per family, in its colour, and its bracket [Plow, Phigh]', async () => {
    const rules = spec.layer.filter((l) => (l.data?.values ?? []).some((v) => 'PstarOverN' in v));
    expect(rules).toHaveLength(1);
    const marks = rules[0].data!.values! as { PstarOverN: number; series: string }[];
    expect(marks.map((m) => m.series)).toEqual(['L = 2, N = 136', 'L = 2, N = 300', 'L = 2, N = 528']);
    for (const m of marks) expect(m.PstarOverN).toBeGreaterThan(2), expect(m.PstarOverN).toBeLessThan(3.5);
    expect(rules[0].encoding!.color.field).toBe('series');
    const brackets = spec.layer.find((l) => (l.data?.values ?? []).some((v) => 'lo' in v && 'hi' in v));
    expect(brackets?.data?.values).toHaveLength(3);
    for (const b of brackets!.data!.values! as { lo: number; hi: number }[]) expect(b.lo).toBeLessThan(b.hi);
    await check(spec as unknown as VlSpec, ['L = 2, N = 300', 'budget', 'dead patterns']);
  });

  it('its series (family and kind of end) have distinct colour and marker pairs', () => {
    expectDistinct(spec, 5);
  });
});

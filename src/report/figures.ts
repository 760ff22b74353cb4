/**
 * Vega-Lite specs for the verification report's figures.
 *
 * Every function is pure: plain data arrays in, a plain-JSON Vega-Lite spec out (inline data, no
 * functions, no undefined values), so a spec can be saved beside its SVG and re-rendered later.
 * Non-finite values are dropped, and so are non-positive ones on logarithmic axes.
 * Series keep the order in which they first appear in the input (so "L = 2" precedes "L = 10"), and
 * every series of a figure has its own pair of colour and marker (`seriesStyle`): no two share both.
 */
import type { TopLevelSpec } from 'vega-lite';
import { fmt } from '../util/format.ts';
import type { Trend } from '../claims/trend.ts';
import type { JammingSide } from '../experiment/spectraRuns.ts';
import type { NDeltaRow, JammingRow, PowerLawFit, NegativeRow, GapSide, GapRow, GapFit, TestErrorRow, ScatterRow, Plot, TransitionMark, ExponentRow, ReferenceValue } from '../claims/plot.ts';

export type VlSpec = TopLevelSpec;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const WIDTH = 440;
const HEIGHT = 300;

/** Shared look: no truncated legend labels or titles, left-aligned titles, white background. */
const CONFIG = {
  background: 'white',
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  title: { anchor: 'start', fontSize: 14, subtitleFontSize: 11, subtitleColor: '#444' },
  axis: { titleFontSize: 12, labelFontSize: 11, labelLimit: 0, titleLimit: 0 },
  legend: { labelLimit: 0, titleLimit: 0, labelFontSize: 11, titleFontSize: 12 },
  header: { labelFontSize: 12, titleFontSize: 12, labelLimit: 0 },
} as const;

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const positive = (x: unknown): x is number => finite(x) && x > 0;

/** Compact label number: 3 significant digits, no trailing zeros ("0.5", "0.96", "1e-8"). */
function short(x: number): string {
  if (!finite(x)) return fmt(x);
  const r = Number(x.toPrecision(3));
  const a = Math.abs(r);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? r.toExponential().replace('e+', 'e') : String(r);
}

/** Distinct values in first-appearance order. */
function order<T extends string>(values: T[]): T[] {
  return [...new Set(values)];
}

/** `n` points geometrically spaced over [lo, hi] (lo, hi > 0). */
function geomspace(lo: number, hi: number, n: number): number[] {
  if (!(hi > lo)) return [lo];
  const a = Math.log(lo);
  const b = Math.log(hi);
  return Array.from({ length: n }, (_, i) => Math.exp(a + ((b - a) * i) / (n - 1)));
}

function extent(xs: number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return [lo, hi];
}

// ---------------------------------------------------------------------------------------------
// 0. The shared skeleton: series styles, reference rules, one chart
// ---------------------------------------------------------------------------------------------

/**
 * Twenty colours, none repeated: Vega's category10, then ten darker or lighter hues distinct from
 * them (the committed report had 13 series on category10, two of them sharing a colour).
 */
export const PALETTE = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
  '#393b79', '#a55194', '#637939', '#e6550d', '#000000', '#6baed6', '#843c39', '#74c476', '#008080', '#9e9ac8',
] as const;
/** Eight marker shapes; a series' shape changes with its colour, so a pair repeats only after lcm(20, 8) = 40 series. */
export const SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'triangle-down', 'cross', 'triangle-right', 'triangle-left'] as const;

export const colourOf = (i: number) => PALETTE[i % PALETTE.length];
export const shapeOf = (i: number) => SHAPES[i % SHAPES.length];

/** A colour per series (an explicit range: the i-th series of `domain` takes colour i). Lines and rules use it alone. */
function colour(field: string, title: string, domain: string[]) {
  return { field, type: 'nominal' as const, title, scale: { domain, range: domain.map((_, i) => colourOf(i)) }, legend: { orient: 'right' as const } };
}

/** A marker per series, on the same field and title as its colour, so the two legends merge into one. */
function shape(field: string, title: string, domain: string[]) {
  return { field, type: 'nominal' as const, title, scale: { domain, range: domain.map((_, i) => shapeOf(i)) }, legend: { orient: 'right' as const } };
}

/**
 * Colour and marker of point marks: the i-th series takes colour i mod 20 and shape i mod 8. With
 * `groups` (the group of each series of `domain`), the series of one group share the group's colour
 * and take one shape each, in order (a family's minima near P* and its others, say).
 */
function seriesStyle(field: string, title: string, domain: string[], groups?: string[]) {
  if (!groups) return { color: colour(field, title, domain), shape: shape(field, title, domain) };
  const groupOrder = order(groups);
  const rank = groups.map((g, i) => groups.slice(0, i).filter((h) => h === g).length);
  const legend = { orient: 'right' as const };
  return {
    color: { field, type: 'nominal' as const, title, scale: { domain, range: groups.map((g) => colourOf(groupOrder.indexOf(g))) }, legend },
    shape: { field, type: 'nominal' as const, title, scale: { domain, range: rank.map((r) => shapeOf(r)) }, legend },
  };
}

const REF_RULE = { type: 'rule', strokeDash: [6, 4], color: '#333', strokeWidth: 1.5 } as const;
const REF_TEXT = { type: 'text', color: '#333', fontSize: 11 } as const;

/**
 * A reference line with its label: a horizontal rule at y = value (label at the left edge) or a
 * vertical one at x = value (label at the bottom), dashed, in grey.
 */
function referenceRule(channel: 'x' | 'y', value: number, label: string, scale?: object) {
  const at = { field: 'at', type: 'quantitative' as const, ...(scale ? { scale } : {}) };
  const text =
    channel === 'y'
      ? { mark: { ...REF_TEXT, align: 'left', baseline: 'bottom', dx: 4, dy: -3 }, encoding: { y: at, x: { value: 0 }, text: { field: 'label' } } }
      : { mark: { ...REF_TEXT, align: 'left', baseline: 'bottom', dx: 4, dy: -4 }, encoding: { x: at, y: { value: HEIGHT }, text: { field: 'label' } } };
  return { data: { values: [{ at: value, label }] }, layer: [{ mark: REF_RULE, encoding: { [channel]: at } }, text] };
}

const emptyLayer = (l: object) => {
  const values = (l as { data?: { values?: unknown[] } }).data?.values;
  return Array.isArray(values) && values.length === 0;
};

/**
 * The one skeleton of a single-panel figure: title, size, shared look, layers. Layers without data
 * are left out (on a log axis Vega warns of their infinite extent); the last is kept if all are empty.
 */
function chart(text: string, subtitle: string | string[], layer: object[]): VlSpec {
  const kept = layer.filter((l) => !emptyLayer(l));
  return { $schema: SCHEMA, title: { text, subtitle }, width: WIDTH, height: HEIGHT, config: CONFIG, layer: kept.length ? kept : layer.slice(-1) } as VlSpec;
}

// ---------------------------------------------------------------------------------------------
// 1. N_Delta / N against P / N
// ---------------------------------------------------------------------------------------------

/**
 * The talk's central plot: fraction of unsatisfied patterns per parameter N_Δ/N against the number
 * of patterns per parameter P/N, with a dashed horizontal rule at C0. One colour per family; where
 * rows carry a status (dead patterns, budget), one marker per status, else one marker per family.
 * `transitions`: each family's P* over N as a dotted vertical rule in its colour, and its bracket
 * [Plow, Phigh] over N as a bar above the points.
 */
export function nDeltaVsPOverN(rows: NDeltaRow[], opts: { c0?: number; title?: string; transitions?: readonly TransitionMark[] } = {}): VlSpec {
  const c0 = opts.c0 ?? 0.5;
  const data = rows
    .filter((r) => finite(r.PoverN) && finite(r.nDeltaOverN))
    .map((r) => ({ PoverN: r.PoverN, nDeltaOverN: r.nDeltaOverN, series: r.series, status: r.status ?? '' }));
  const marks = (opts.transitions ?? []).filter((t) => finite(t.PstarOverN));
  const series = order([...data.map((r) => r.series), ...marks.map((t) => t.series)]);
  const statuses = order(data.map((r) => r.status));
  const byStatus = data.some((r) => r.status !== '');
  const x = { field: 'PoverN', type: 'quantitative' as const, title: 'P/N (training patterns per parameter)' };
  const y = { field: 'nDeltaOverN', type: 'quantitative' as const, title: 'N_Δ/N (patterns with Δ > 0, per parameter)' };
  const color = colour('series', 'family', series);
  const layers: object[] = [referenceRule('y', c0, `C0 = ${short(c0)}`)];
  if (marks.length) {
    const top = Math.max(c0, ...data.map((r) => r.nDeltaOverN));
    const bracket = marks
      .filter((t) => finite(t.PlowOverN) && finite(t.PhighOverN))
      .map((t) => ({ lo: t.PlowOverN as number, hi: t.PhighOverN as number, at: top * (1.04 + 0.04 * series.indexOf(t.series)), series: t.series }));
    layers.push({
      data: { values: marks.map((t) => ({ PstarOverN: t.PstarOverN, series: t.series })) },
      mark: { type: 'rule', strokeDash: [3, 3], strokeWidth: 1.5 },
      encoding: { x: { field: 'PstarOverN', type: 'quantitative', title: x.title }, color },
    });
    if (bracket.length) {
      layers.push({
        data: { values: bracket },
        mark: { type: 'rule', strokeWidth: 3 },
        encoding: { x: { field: 'lo', type: 'quantitative', title: x.title }, x2: { field: 'hi' }, y: { field: 'at', type: 'quantitative', title: y.title }, color },
      });
    }
  }
  layers.push({
    data: { values: data },
    mark: { type: 'point', filled: true, size: 45, opacity: 0.85 },
    encoding: { x, y, ...(byStatus ? { color, shape: { field: 'status', type: 'nominal', title: 'run', scale: { domain: statuses, range: statuses.map((_, i) => shapeOf(i)) } } } : seriesStyle('series', 'family', series)) },
  });
  const subtitle = [`one point per trained network; dashed line: C0 = ${short(c0)}`];
  if (marks.length) subtitle.push('dotted vertical lines: each family\'s P*/N; bars at the top: its bracket [last all-fitted P, first all-jammed P]/N');
  return chart(opts.title ?? 'Unsatisfied patterns N_Δ/N against P/N after training', subtitle, layers);
}

// ---------------------------------------------------------------------------------------------
// 2. Jamming line N*(P)
// ---------------------------------------------------------------------------------------------

/**
 * The jamming line: N* against P on log-log axes, vertical bars from NstarLow..NstarHigh (width
 * sweeps), horizontal bars from PLow..PHigh (fixed-N families: the bracket of P*), and the fitted
 * power laws N* = a P^b drawn over each series' range of P, exponents in the legend.
 */
export function jammingLine(rows: JammingRow[], fits: PowerLawFit[], opts: { title?: string } = {}): VlSpec {
  const pts = rows.filter((r) => positive(r.P) && positive(r.Nstar));
  const fitOf = new Map(fits.filter((f) => finite(f.exponent) && positive(f.prefactor)).map((f) => [f.series, f]));
  const series = order([...pts.map((r) => r.series), ...fits.map((f) => f.series)]);
  const label = new Map(
    series.map((s) => {
      const f = fitOf.get(s);
      return [s, f ? `${s}: fit N* = ${short(f.prefactor)} P^${short(f.exponent)}` : s];
    }),
  );
  const legend = (s: string) => label.get(s) ?? s;
  const points = pts.map((r) => ({ P: r.P, Nstar: r.Nstar, legend: legend(r.series) }));
  const bars = pts
    .filter((r) => positive(r.NstarLow) && positive(r.NstarHigh) && r.NstarHigh !== r.NstarLow)
    .map((r) => ({ P: r.P, low: r.NstarLow as number, high: r.NstarHigh as number, legend: legend(r.series) }));
  const pBars = pts
    .filter((r) => positive(r.PLow) && positive(r.PHigh))
    .map((r) => ({ PLow: r.PLow as number, PHigh: r.PHigh as number, Nstar: r.Nstar, legend: legend(r.series) }));
  const allP = pts.map((r) => r.P);
  const lines: { P: number; Nstar: number; legend: string }[] = [];
  for (const s of series) {
    const f = fitOf.get(s);
    if (!f) continue;
    const own = pts.filter((r) => r.series === s).map((r) => r.P);
    const [lo, hi] = extent(own.length >= 2 ? own : allP);
    if (!positive(lo) || !positive(hi)) continue;
    for (const P of geomspace(lo, hi, 24)) lines.push({ P, Nstar: f.prefactor * P ** f.exponent, legend: legend(s) });
  }
  const xTitle = 'P (number of training patterns, log scale)';
  const x = { field: 'P', type: 'quantitative' as const, title: xTitle, scale: { type: 'log' as const } };
  const yTitle = 'N* (parameters at jamming, log scale)';
  const y = { field: 'Nstar', type: 'quantitative' as const, title: yTitle, scale: { type: 'log' as const } };
  const domain = series.map(legend);
  const color = colour('legend', 'series and power-law fit', domain);
  return chart(
    opts.title ?? 'Jamming line: N* against P (log-log)',
    [
      'points: estimated N*; vertical bars: bracket between the last jammed and the first unjammed width',
      'horizontal bars (fixed N): bracket of P* between the last all-fitted and the first all-jammed P',
      'dashed lines: fitted power laws N* = a P^b',
    ],
    [
      {
        data: { values: bars },
        mark: { type: 'rule', strokeWidth: 1.5 },
        encoding: { x, y: { field: 'low', type: 'quantitative', title: yTitle, scale: { type: 'log' } }, y2: { field: 'high' }, color },
      },
      {
        data: { values: pBars },
        mark: { type: 'rule', strokeWidth: 1.5 },
        encoding: { x: { field: 'PLow', type: 'quantitative', title: xTitle, scale: { type: 'log' } }, x2: { field: 'PHigh' }, y, color },
      },
      {
        data: { values: lines },
        mark: { type: 'line', strokeWidth: 1.5, strokeDash: [5, 3] },
        encoding: { x, y, color, detail: { field: 'legend', type: 'nominal' } },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 45 },
        encoding: { x, y, ...seriesStyle('legend', 'series and power-law fit', domain) },
      },
    ],
  );
}

// ---------------------------------------------------------------------------------------------
// 3. Hessian spectra
// ---------------------------------------------------------------------------------------------

export type HessianMatrix = 'H' | 'H0' | 'Hp';

export interface SpectrumRow {
  matrix: HessianMatrix;
  side: JammingSide;
  eigenvalue: number;
}

export interface SpectrumOptions {
  /** 'symlog' (default): bins uniform in sign(λ) log10(1 + |λ|/c); 'linear': bins uniform in λ. */
  transform?: 'symlog' | 'linear';
  /** c, the half-width of the linear region around zero for 'symlog' (default 1e-8). */
  linthresh?: number;
  /** Number of bins across the whole range (default 60). One bin is centred on λ = 0. */
  bins?: number;
  title?: string;
}

const MATRIX_LABEL: Record<HessianMatrix, string> = {
  H: 'H (full Hessian)',
  H0: 'H0 (Gauss-Newton part)',
  Hp: 'Hp (Δ-weighted curvature part)',
};
const SIDES: JammingSide[] = ['below jamming', 'at jamming', 'above jamming'];
const MATRICES: HessianMatrix[] = ['H', 'H0', 'Hp'];

/**
 * Tick values for the symlog axis: 0 and ±10^k, decades from 100 c (closer to 0 they would overlap
 * the 0 label) up to the largest |λ|, thinned to at most 4 per side.
 */
function symlogTicks(c: number, minL: number, maxL: number): number[] {
  const top = Math.max(Math.abs(minL), Math.abs(maxL));
  const k0 = Math.ceil(Math.log10(100 * c));
  const k1 = Math.floor(Math.log10(top));
  if (!(top > 0) || k1 < k0) return [0];
  const step = Math.max(1, Math.ceil((k1 - k0 + 1) / 4));
  const ticks = [0];
  for (let k = k1; k >= k0; k -= step) {
    const v = Number((10 ** k).toPrecision(1));
    if (v <= maxL) ticks.push(v);
    if (-v >= minL) ticks.push(-v);
  }
  return ticks.sort((a, b) => a - b);
}

/**
 * Histograms of the eigenvalues of H, H0 and Hp (columns) below, at and above jamming (rows).
 * The histogram is computed here (plain counts per bin), the bin centred on λ = 0 is always drawn so
 * zero modes are visible, and the transform used is stated in the title.
 */
export function spectrumHistograms(rows: SpectrumRow[], opts: SpectrumOptions = {}): VlSpec {
  const transform = opts.transform ?? 'symlog';
  const c = opts.linthresh ?? 1e-8;
  const nbins = Math.max(3, Math.floor(opts.bins ?? 60));
  const fwd = transform === 'symlog' ? (l: number) => Math.sign(l) * Math.log10(1 + Math.abs(l) / c) : (l: number) => l;
  const inv =
    transform === 'symlog' ? (t: number) => Math.sign(t) * c * (10 ** Math.abs(t) - 1) : (t: number) => t;
  const data = rows.filter((r) => finite(r.eigenvalue));
  const [minL, maxL] = data.length ? extent(data.map((r) => r.eigenvalue)) : [0, 0];
  const tlo = Math.min(0, fwd(minL));
  const thi = Math.max(0, fwd(maxL));
  const w = thi > tlo ? (thi - tlo) / nbins : 1;
  // Bin k covers [(k - 1/2) w, (k + 1/2) w) in transformed units, so bin 0 is centred on zero.
  const counts = new Map<string, number>();
  for (const r of data) {
    const k = Math.floor(fwd(r.eigenvalue) / w + 0.5);
    const key = `${r.matrix}\u0000${r.side}\u0000${k}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const bars = [...counts.entries()]
    .map(([key, count]) => {
      const [matrix, side, ks] = key.split('\u0000');
      const k = Number(ks);
      return {
        matrix: MATRIX_LABEL[matrix as HessianMatrix] ?? matrix,
        side,
        k,
        lo: inv((k - 0.5) * w),
        hi: inv((k + 0.5) * w),
        count,
      };
    })
    .sort((a, b) => (a.matrix < b.matrix ? -1 : a.matrix > b.matrix ? 1 : 0) || (a.side < b.side ? -1 : a.side > b.side ? 1 : 0) || a.k - b.k)
    .map(({ matrix, side, lo, hi, count }) => ({ matrix, side, lo, hi, count }));
  const domain = [inv(tlo - w / 2), inv(thi + w / 2)];
  const how =
    transform === 'symlog'
      ? `symmetric-log bins (linear for |λ| < ${short(c)})`
      : 'linear bins';
  const sub =
    transform === 'symlog'
      ? `x: λ on a symmetric log scale, t = sign(λ) log10(1 + |λ|/${short(c)}); ${nbins} bins uniform in t, one centred on λ = 0`
      : `x: λ on a linear scale; ${nbins} bins uniform in λ, one centred on λ = 0`;
  const xScale =
    transform === 'symlog'
      ? { type: 'symlog' as const, constant: c, domain, nice: false }
      : { type: 'linear' as const, domain, nice: false };
  const xAxis =
    transform === 'symlog'
      ? {
          values: symlogTicks(c, minL, maxL),
          // Ticks are exact decades: label them 1e-4, -1e-2, 1e0 ...
          labelExpr: "datum.value == 0 ? '0' : (datum.value < 0 ? '-' : '') + '1e' + round(log(abs(datum.value)) / LN10)",
          labelAngle: -40,
          grid: true,
        }
      : { labelAngle: -40, grid: true };
  return {
    $schema: SCHEMA,
    title: {
      text: opts.title ?? `Eigenvalue histograms of H = H0 + Hp, ${how}`,
      subtitle: sub,
    },
    config: CONFIG,
    data: { values: bars },
    facet: {
      column: {
        field: 'matrix',
        type: 'nominal',
        title: 'matrix',
        sort: MATRICES.map((m) => MATRIX_LABEL[m]),
      },
      row: { field: 'side', type: 'nominal', title: 'side of jamming', sort: SIDES },
    },
    spec: {
      width: 230,
      height: 130,
      mark: { type: 'rect', color: '#4c78a8', stroke: '#2b4f75', strokeWidth: 0.3 },
      encoding: {
        x: { field: 'lo', type: 'quantitative', title: 'eigenvalue λ', scale: xScale, axis: xAxis },
        x2: { field: 'hi' },
        y: { field: 'count', type: 'quantitative', title: 'count' },
        y2: { datum: 0 },
      },
    },
    resolve: { scale: { y: 'independent' } },
  } satisfies VlSpec;
}


// ---------------------------------------------------------------------------------------------
// 4. N_-(Hp) against N_Delta
// ---------------------------------------------------------------------------------------------

/** Number of negative eigenvalues of Hp against N_Δ, with the reference line N_- = N_Δ. */
export function negativeVsNDelta(rows: NegativeRow[], opts: { title?: string } = {}): VlSpec {
  const data = rows
    .filter((r) => finite(r.nDelta) && finite(r.nNeg))
    .map((r) => ({ nDelta: r.nDelta, nNeg: r.nNeg, series: r.series }));
  const series = order(data.map((r) => r.series));
  const top = Math.max(1, ...data.map((r) => Math.max(r.nDelta, r.nNeg)));
  const x = { field: 'nDelta', type: 'quantitative' as const, title: 'N_Δ (number of patterns with Δ > 0)' };
  const y = { field: 'nNeg', type: 'quantitative' as const, title: 'N_- (number of negative eigenvalues of Hp)' };
  return chart(opts.title ?? 'Negative eigenvalues of Hp against N_Δ', 'dashed line: N_- = N_Δ', [
    {
      data: {
        values: [
          { nDelta: 0, nNeg: 0, label: '' },
          { nDelta: top, nNeg: top, label: 'N_- = N_Δ' },
        ],
      },
      layer: [
        { mark: { type: 'line', color: '#555', strokeDash: [6, 4] }, encoding: { x, y } },
        { mark: { ...REF_TEXT, align: 'right', baseline: 'bottom', dx: -10, dy: -2 }, encoding: { x, y, text: { field: 'label' } } },
      ],
    },
    {
      data: { values: data },
      mark: { type: 'point', filled: true, size: 45, opacity: 0.85 },
      encoding: { x, y, ...seriesStyle('series', 'series', series) },
    },
  ]);
}

// ---------------------------------------------------------------------------------------------
// 5. Gap distribution
// ---------------------------------------------------------------------------------------------

const SIDE_LABEL: Record<GapSide, string> = { 'Delta > 0': 'Δ > 0', 'Delta < 0': 'Δ < 0' };

/** A power law density = a |Δ|^b over one side's points: a given, else by least squares on log density with b fixed. */
function gapLine(own: { x: number; density: number }[], f: GapFit, legend: string) {
  const b = f.exponent;
  const logA = positive(f.prefactor) ? Math.log(f.prefactor) : own.reduce((acc, r) => acc + Math.log(r.density) - b * Math.log(r.x), 0) / own.length;
  const [lo, hi] = extent(own.map((r) => r.x));
  return geomspace(lo, hi, 24).map((x) => ({ x, density: Math.exp(logA + b * Math.log(x)), legend }));
}

/**
 * Log-log distribution of |Δ| on each side of the margin, with the fitted power laws density ∝ |Δ|^b
 * (solid, the exponent in the legend) and the papers' exponents (`papers`, dashed, in the side's
 * colour). Without a given prefactor a line is placed by least squares on log density with its slope fixed.
 */
export function gapDistribution(rows: GapRow[], fits: GapFit[], opts: { title?: string; papers?: readonly GapFit[] } = {}): VlSpec {
  const pts = rows.filter((r) => positive(r.x) && positive(r.density));
  const sides = order([...pts.map((r) => r.side), ...fits.map((f) => f.side)]);
  const fitOf = new Map(fits.filter((f) => finite(f.exponent)).map((f) => [f.side, f]));
  const paperOf = new Map((opts.papers ?? []).filter((f) => finite(f.exponent)).map((f) => [f.side, f]));
  const legend = (s: GapSide) => {
    const f = fitOf.get(s);
    const p = paperOf.get(s);
    const name = SIDE_LABEL[s] ?? s;
    return `${name}${f ? `: fit density ∝ |Δ|^${short(f.exponent)}` : ''}${p ? `${f ? ',' : ':'} papers |Δ|^${short(p.exponent)}` : ''}`;
  };
  const points = pts.map((r) => ({ x: r.x, density: r.density, legend: legend(r.side) }));
  const lines: { x: number; density: number; legend: string }[] = [];
  const papers: { x: number; density: number; legend: string }[] = [];
  for (const s of sides) {
    const own = pts.filter((r) => r.side === s);
    if (own.length === 0) continue;
    const f = fitOf.get(s);
    if (f) lines.push(...gapLine(own, f, legend(s)));
    const p = paperOf.get(s);
    if (p) papers.push(...gapLine(own, p, legend(s)));
  }
  const x = { field: 'x', type: 'quantitative' as const, title: '|Δ| (distance to the margin, Δ = κ - y f(x), log scale)', scale: { type: 'log' as const } };
  const y = { field: 'density', type: 'quantitative' as const, title: 'probability density of |Δ| (log scale)', scale: { type: 'log' as const } };
  const domain = sides.map(legend);
  const color = colour('legend', 'side and power law', domain);
  return chart(
    opts.title ?? 'Distribution of gaps |Δ| on both sides of the margin (log-log)',
    `points: histogram density; solid lines: fitted power laws${papers.length ? '; dashed: the papers\' exponents' : ''}`,
    [
      { data: { values: lines }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, color, detail: { field: 'legend', type: 'nominal' } } },
      { data: { values: papers }, mark: { type: 'line', strokeDash: [6, 4], strokeWidth: 1.5 }, encoding: { x, y, color, detail: { field: 'legend', type: 'nominal' } } },
      { data: { values: points }, mark: { type: 'point', filled: true, size: 40 }, encoding: { x, y, ...seriesStyle('legend', 'side and power law', domain) } },
    ],
  );
}

// ---------------------------------------------------------------------------------------------
// 5b. A statistic against the distance to jamming, with the papers' values
// ---------------------------------------------------------------------------------------------

/**
 * Exponents (or any statistic) against the distance to jamming P/P* - 1 on a log x axis, 95% bars,
 * one colour and marker per series, and each series' papers' value as a dashed rule in its colour.
 * A distance of 0 (a run exactly at P*) cannot sit on a log axis and is dropped.
 */
export function exponentVsDistance(rows: ExponentRow[], papers: readonly ReferenceValue[], opts: { title: string; x: string; y: string }): VlSpec {
  const pts = rows.filter((r) => positive(r.distance) && finite(r.value));
  const series = order([...pts.map((r) => r.series), ...papers.map((p) => p.series)]);
  const bars = pts.filter((r) => finite(r.low) && finite(r.high)).map((r) => ({ distance: r.distance, low: r.low, high: r.high, series: r.series }));
  const refs = papers.filter((p) => finite(p.value)).map((p) => ({ value: p.value, label: p.label, series: p.series }));
  const x = { field: 'distance', type: 'quantitative' as const, title: opts.x, scale: { type: 'log' as const } };
  const y = { field: 'value', type: 'quantitative' as const, title: opts.y, scale: { zero: false } };
  const color = colour('series', 'exponent', series);
  return chart(opts.title, 'points: per bin of runs, bars: 95% interval; dashed: the papers\' values', [
    {
      data: { values: refs },
      layer: [
        { mark: { type: 'rule', strokeDash: [6, 4], strokeWidth: 1.5 }, encoding: { y, color } },
        { mark: { ...REF_TEXT, align: 'left', baseline: 'bottom', dx: 4, dy: -3 }, encoding: { y, x: { value: 0 }, text: { field: 'label' } } },
      ],
    },
    { data: { values: bars }, mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { field: 'low', type: 'quantitative', title: opts.y, scale: { zero: false } }, y2: { field: 'high' }, color } },
    { data: { values: pts.map((r) => ({ distance: r.distance, value: r.value, series: r.series, n: r.n })) }, mark: { type: 'point', filled: true, size: 55 }, encoding: { x, y, ...seriesStyle('series', 'exponent', series) } },
  ]);
}

// ---------------------------------------------------------------------------------------------
// 6. Test error against N / N*
// ---------------------------------------------------------------------------------------------

/** Mean test error against N/N* (log x), ±sem error bars, a vertical rule at N = N*. */
export function testErrorVsN(rows: TestErrorRow[], opts: { title?: string } = {}): VlSpec {
  const ok = rows.filter((r) => positive(r.NoverNstar) && finite(r.testError));
  const pts = ok.map((r) => ({ NoverNstar: r.NoverNstar, testError: r.testError, series: r.series })).sort((a, b) => a.NoverNstar - b.NoverNstar);
  const series = order(ok.map((r) => r.series));
  const bars = ok
    .filter((r) => finite(r.sem) && (r.sem as number) >= 0)
    .map((r) => ({ NoverNstar: r.NoverNstar, low: r.testError - (r.sem as number), high: r.testError + (r.sem as number), series: r.series }));
  const logX = { type: 'log' as const };
  const x = { field: 'NoverNstar', type: 'quantitative' as const, title: 'N/N* (parameters relative to the jamming threshold, log scale)', scale: logX };
  const yTitle = 'mean test error (fraction misclassified)';
  const y = { field: 'testError', type: 'quantitative' as const, title: yTitle, scale: { zero: false } };
  const color = colour('series', 'series', series);
  return chart(opts.title ?? 'Test error against N/N*', 'points: mean over seeds, bars: ±1 standard error; dashed line: N = N* (jamming)', [
    referenceRule('x', 1, 'N = N* (jamming)', logX),
    { data: { values: bars }, mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { field: 'low', type: 'quantitative', title: yTitle, scale: { zero: false } }, y2: { field: 'high' }, color } },
    { data: { values: pts }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, color, order: { field: 'NoverNstar', type: 'quantitative' } } },
    { data: { values: pts }, mark: { type: 'point', filled: true, size: 40 }, encoding: { x, y, ...seriesStyle('series', 'series', series) } },
  ]);
}

// ---------------------------------------------------------------------------------------------
// 7. A claim's statistic against N (each claim with its trend in N)
// ---------------------------------------------------------------------------------------------

const REGIME_DOMAIN = ['decides', 'outside the regime'];

/** One panel: the statistic per family against N (log x), 95% bars, the papers' value as a rule. */
function trendPanel(t: Trend, seriesDomain: string[]) {
  const logY = t.powerLaw !== undefined;
  const ok = (v: unknown): v is number => (logY ? positive(v) : finite(v));
  const pts = t.points.filter((p) => positive(p.N) && ok(p.value));
  const points = pts.map((p) => ({ N: p.N, value: p.value, series: p.series, regime: p.inRegime ? REGIME_DOMAIN[0] : REGIME_DOMAIN[1] }));
  const bars = pts.filter((p) => ok(p.low) && ok(p.high)).map((p) => ({ N: p.N, low: p.low, high: p.high, series: p.series }));
  const x = { field: 'N', type: 'quantitative' as const, title: 'N (parameters, log scale)', scale: { type: 'log' as const } };
  const yScale = logY ? { type: 'log' as const } : { zero: false };
  const y = { field: 'value', type: 'quantitative' as const, title: t.statistic, scale: yScale };
  // one colour per family; the marker says whether the claim decides there (a family's colour is its own, so no two share both)
  const color = colour('series', 'family', seriesDomain);
  const layers: object[] = [];
  if (finite(t.paper)) layers.push(referenceRule('y', t.paper, `papers: ${short(t.paper)}`, yScale));
  if (t.powerLaw && pts.length) {
    // through the geometric mean of the points that decide (else of all): only the slope is the papers'
    const anchor = pts.some((p) => p.inRegime) ? pts.filter((p) => p.inRegime) : pts;
    const b = t.powerLaw.exponent;
    const logA = anchor.reduce((s, p) => s + Math.log(p.value) - b * Math.log(p.N), 0) / anchor.length;
    const [lo, hi] = extent(pts.map((p) => p.N));
    const line = geomspace(lo, hi, 16).map((N) => ({ N, value: Math.exp(logA + b * Math.log(N)), label: t.powerLaw!.label }));
    layers.push({ data: { values: line }, mark: { ...REF_RULE, type: 'line' }, encoding: { x, y } });
    layers.push({
      data: { values: [line[line.length - 1]] },
      mark: { ...REF_TEXT, align: 'right', baseline: 'bottom', dy: -4 },
      encoding: { x, y, text: { field: 'label' } },
    });
  }
  layers.push({
    data: { values: bars },
    mark: { type: 'rule', strokeWidth: 1.5 },
    encoding: { x, y: { field: 'low', type: 'quantitative', title: t.statistic, scale: yScale }, y2: { field: 'high' }, color },
  });
  layers.push({
    data: { values: points },
    mark: { type: 'point', filled: true, size: 55, opacity: 0.9 },
    encoding: {
      x,
      y,
      color,
      shape: { field: 'regime', type: 'nominal', title: 'regime', scale: { domain: REGIME_DOMAIN, range: ['circle', 'triangle-up'] } },
    },
  });
  return { title: { text: t.statistic, subtitle: `bars: ${t.interval}`, fontSize: 12 }, width: WIDTH, height: 220, layer: layers };
}

/**
 * Each statistic of a claim against N, one panel per statistic (stacked), one colour per family,
 * circles where the claim decides and triangles outside its regime, the papers' value as a dashed
 * rule (or the papers' power law, on log-log axes), so a reader sees whether it moves toward it.
 */
export function statisticVsN(trends: readonly Trend[], opts: { title?: string } = {}): VlSpec {
  const seriesDomain = order(trends.flatMap((t) => t.points.map((p) => p.series)));
  return {
    $schema: SCHEMA,
    title: { text: opts.title ?? 'The claim\'s statistic against N', subtitle: 'one point per family; dashed: the papers\' value' },
    config: CONFIG,
    vconcat: trends.map((t) => trendPanel(t, seriesDomain)),
  } as VlSpec;
}

// ---------------------------------------------------------------------------------------------
// 8. Log-log scatter with fitted and predicted power laws
// ---------------------------------------------------------------------------------------------

/**
 * y against x on log-log axes, one colour and marker per series (rows with a group: one colour per
 * group, one marker per series in it), each series' fitted power law
 * (solid, its exponent in the legend) and the papers' exponent (dashed, through the middle of all points).
 */
export function logLogScatter(
  rows: ScatterRow[],
  fits: PowerLawFit[],
  opts: { title: string; subtitle?: string; x: string; y: string; predicted?: { exponent: number; label: string } },
): VlSpec {
  const pts = rows.filter((r) => positive(r.x) && positive(r.y));
  const fitOf = new Map(fits.filter((f) => finite(f.exponent) && positive(f.prefactor)).map((f) => [f.series, f]));
  const series = order(pts.map((r) => r.series));
  const legend = (s: string) => {
    const f = fitOf.get(s);
    return f ? `${s}: fit exponent ${short(f.exponent)}` : s;
  };
  const points = pts.map((r) => ({ x: r.x, y: r.y, legend: legend(r.series) }));
  const lines: { x: number; y: number; legend: string }[] = [];
  for (const s of series) {
    const f = fitOf.get(s);
    const own = pts.filter((r) => r.series === s).map((r) => r.x);
    if (!f || own.length < 2) continue;
    const [lo, hi] = extent(own);
    for (const x of geomspace(lo, hi, 16)) lines.push({ x, y: f.prefactor * x ** f.exponent, legend: legend(s) });
  }
  const predicted: { x: number; y: number; label: string }[] = [];
  if (opts.predicted && pts.length >= 2) {
    const b = opts.predicted.exponent;
    const logA = pts.reduce((s, r) => s + Math.log(r.y) - b * Math.log(r.x), 0) / pts.length;
    const [lo, hi] = extent(pts.map((r) => r.x));
    for (const x of geomspace(lo, hi, 16)) predicted.push({ x, y: Math.exp(logA + b * Math.log(x)), label: opts.predicted.label });
  }
  const x = { field: 'x', type: 'quantitative' as const, title: opts.x, scale: { type: 'log' as const } };
  const y = { field: 'y', type: 'quantitative' as const, title: opts.y, scale: { type: 'log' as const } };
  const domain = series.map(legend);
  const groupOf = new Map(pts.map((r) => [r.series, r.group]));
  const grouped = pts.some((r) => r.group !== undefined);
  const style = seriesStyle('legend', 'family and fitted exponent', domain, grouped ? series.map((s) => groupOf.get(s) ?? s) : undefined);
  const layers: object[] = [
    { data: { values: lines }, mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, color: style.color, detail: { field: 'legend', type: 'nominal' } } },
    { data: { values: points }, mark: { type: 'point', filled: true, size: 40, opacity: 0.85 }, encoding: { x, y, ...style } },
  ];
  if (predicted.length) {
    layers.unshift(
      { data: { values: predicted }, mark: { ...REF_RULE, type: 'line' }, encoding: { x, y } },
      {
        data: { values: [predicted[predicted.length - 1]] },
        mark: { ...REF_TEXT, align: 'right', baseline: 'bottom', dy: -4 },
        encoding: { x, y, text: { field: 'label' } },
      },
    );
  }
  return chart(opts.title, opts.subtitle ?? 'solid: fitted power laws; dashed: the papers\' exponent', layers);
}

/** The vega-lite spec of a claim's figure data (claims/plot.ts): the claims say what to draw, this draws it. */
export function plotSpec(plot: Plot): VlSpec {
  switch (plot.kind) {
    case 'nDeltaVsPOverN':
      return nDeltaVsPOverN(plot.rows, plot.opts);
    case 'jammingLine':
      return jammingLine(plot.rows, plot.fits, plot.opts);
    case 'negativeVsNDelta':
      return negativeVsNDelta(plot.rows, plot.opts);
    case 'gapDistribution':
      return gapDistribution(plot.rows, plot.fits, plot.opts);
    case 'exponentVsDistance':
      return exponentVsDistance(plot.rows, plot.papers, plot.opts);
    case 'testErrorVsN':
      return testErrorVsN(plot.rows, plot.opts);
    case 'logLogScatter':
      return logLogScatter(plot.rows, plot.fits, plot.opts);
  }
}

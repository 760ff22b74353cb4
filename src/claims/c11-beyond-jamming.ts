import type { Claim, ClaimVerdict } from './claim.ts';
import { tableBlock, noteBlock } from './claim.ts';
import type { RunRecord } from '../run/record.ts';
import { mnistFamilies, bySeed, type MnistTransition } from './select.ts';
import { fmt } from '../util/format.ts';
import { linearFit } from '../stats/regression.ts';
import { MNIST_REGIME, OUTSIDE } from './regime.ts';
import { apartOf } from './apart.ts';
import { bootstrap, bootstrapGroups, contains, width, type BootstrapInterval } from './intervals.ts';
import { all, combine } from './combine.ts';
import { errorCurve } from './errorCurve.ts';
import { heldOutLabels } from './heldOut.ts';
import type { Trend } from './trend.ts';

/** 1901.01608: eps(N) - eps_inf ~ N^(-1/2), output fluctuations ~ N^(-1/4). */
export const PLATEAU_EXPONENT = 0.5;
export const FLUCTUATION_EXPONENT = -0.25;
/** Fits use the widths with N >= BEYOND N*: closer to N* the output norm diverges like (N - N*)^(-1) and dominates both. */
export const BEYOND = 1.5;
/** An exponent decides only with a 95% interval this narrow: it then tells the papers' value from 0 and from twice it. */
export const MAX_WIDTH = 0.5;
export const MIN_SEEDS = 3;
/** The three-parameter fit of (a) needs four widths; (a) with the ensemble's eps_inf, (b) and (c) need three. */
export const MIN_WIDTHS_PLATEAU = 4;
export const MIN_WIDTHS = 3;
/** The exponents a tried by the plateau fit: 0.01 to 3 in steps of 0.01. */
const EXPONENTS = Array.from({ length: 300 }, (_, i) => 0.01 * (i + 1));

/**
 * eps(N) = eps_inf + A N^(-a) by least squares on eps itself: for each a on a grid the model is
 * linear in (eps_inf, A), solved exactly; the a with the smallest residual wins, among fits with
 * 0 <= eps_inf and A > 0. (Least squares on log(eps - eps_inf) would favour eps_inf = 0: the log
 * squeezes a curve that sits far above its excess.) `boundary`: the best a is an end of the grid.
 */
export function plateauFit(Ns: readonly number[], eps: readonly number[]): { a: number; epsInf: number; A: number; boundary: boolean } {
  const none = { a: NaN, epsInf: NaN, A: NaN, boundary: false };
  const n = Ns.length;
  if (n < 3 || eps.some((e) => !Number.isFinite(e))) return none;
  let best = { rss: Infinity, a: NaN, epsInf: NaN, A: NaN, i: -1 };
  EXPONENTS.forEach((a, i) => {
    const x = Ns.map((N) => N ** -a);
    const { slope: A, intercept: epsInf } = linearFit(x, eps as number[]);
    if (!(A > 0) || !(epsInf >= 0)) return;
    const rss = eps.reduce((r, e, k) => r + (e - epsInf - A * x[k]) ** 2, 0);
    if (rss < best.rss) best = { rss, a, epsInf, A, i };
  });
  return best.i < 0 ? none : { a: best.a, epsInf: best.epsInf, A: best.A, boundary: best.i === 0 || best.i === EXPONENTS.length - 1 };
}

/**
 * The networks of one width that share a held-out set (same data config, different initialisation
 * seeds), kept as their margins y f per pattern (a k x n matrix) with what the bootstrap needs
 * precomputed: each network's error and the Gram matrix of the outputs.
 */
export interface Ensemble {
  readonly N: number;
  readonly runs: RunRecord[];
  readonly k: number;
  readonly n: number;
  /** margins[j * n + i] = y_i f_j(x_i) */
  readonly margins: Float64Array;
  readonly errors: Float64Array;
  /** gram[j * k + l] = sum_i f_j(x_i) f_l(x_i) (= sum of margin products: y^2 = 1) */
  readonly gram: Float64Array;
  /** sum_i f_j(x_i) */
  readonly sums: Float64Array;
}

export function ensembleOf(N: number, runs: RunRecord[], labels: readonly number[]): Ensemble {
  const k = runs.length;
  const n = labels.length;
  const margins = new Float64Array(k * n);
  const errors = new Float64Array(k);
  const sums = new Float64Array(k);
  runs.forEach((r, j) => {
    const out = r.test!.outputs!;
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      const m = labels[i] * out[i];
      margins[j * n + i] = m;
      if (m <= 0) wrong++;
      sums[j] += out[i];
    }
    errors[j] = wrong / n;
  });
  const gram = new Float64Array(k * k);
  for (let j = 0; j < k; j++)
    for (let l = j; l < k; l++) {
      let g = 0;
      for (let i = 0; i < n; i++) g += margins[j * n + i] * margins[l * n + i];
      gram[j * k + l] = gram[l * k + j] = g;
    }
  return { N, runs, k, n, margins, errors, gram, sums };
}

/** Per width, the largest group of runs with one data config (so the same held-out patterns) whose labels check out. */
export function ensembles(records: readonly RunRecord[]): Ensemble[] {
  const byN = new Map<number, RunRecord[]>();
  for (const r of records) if (r.test?.outputs) byN.set(r.results.N, [...(byN.get(r.results.N) ?? []), r]);
  const out: Ensemble[] = [];
  for (const [N, rs] of [...byN.entries()].sort((a, b) => a[0] - b[0])) {
    const groups = new Map<string, RunRecord[]>();
    for (const r of rs) groups.set(JSON.stringify(r.item.config.data), [...(groups.get(JSON.stringify(r.item.config.data)) ?? []), r]);
    const group = [...groups.values()].sort((a, b) => b.length - a.length)[0];
    const labels = heldOutLabels(group[0]);
    const checked = labels ? group.filter((r) => r.test!.outputs!.length === labels.length && heldOutLabels(r) !== undefined) : [];
    if (labels && checked.length) out.push(ensembleOf(N, checked, labels));
  }
  return out;
}

/** How many times each network is drawn: the whole ensemble, or a bootstrap resample of its indices. */
const everyOnce = (e: Ensemble) => Array.from({ length: e.k }, () => 1);
const countsOf = (e: Ensemble, draw: readonly number[]) => {
  const c = new Array<number>(e.k).fill(0);
  for (const j of draw) c[j]++;
  return c;
};

/**
 * rms over held-out patterns of the standard deviation of f across the networks (sample variance,
 * networks weighted by their counts), from the Gram matrix: sum_i var_i = (sum_j c_j G_jj - (1/m)
 * sum_jl c_j c_l G_jl) / (m - 1) with m = sum_j c_j.
 */
export function fluctuation(e: Ensemble, counts: readonly number[] = everyOnce(e)): number {
  const m = counts.reduce((a, b) => a + b, 0);
  if (m < 2) return NaN;
  let diag = 0;
  let all = 0;
  for (let j = 0; j < e.k; j++) {
    if (!counts[j]) continue;
    diag += counts[j] * e.gram[j * e.k + j];
    for (let l = 0; l < e.k; l++) all += counts[j] * counts[l] * e.gram[j * e.k + l];
  }
  return Math.sqrt(Math.max(0, diag - all / m) / (m - 1) / e.n);
}

/** The error of the averaged output (networks weighted by their counts; f = 0 counts as an error, as for one network). */
export function ensembleError(e: Ensemble, counts: readonly number[] = everyOnce(e)): number {
  // network by network over contiguous rows: the bootstrap calls this a thousand times per width
  const sum = new Float64Array(e.n);
  for (let j = 0; j < e.k; j++) {
    const c = counts[j];
    if (!c) continue;
    const row = e.margins.subarray(j * e.n, (j + 1) * e.n);
    for (let i = 0; i < e.n; i++) sum[i] += c * row[i];
  }
  let wrong = 0;
  for (let i = 0; i < e.n; i++) if (sum[i] <= 0) wrong++;
  return wrong / e.n;
}

/** Mean single-network error minus the error of the averaged output: > 0 when averaging helps. */
export function ensembleGain(e: Ensemble, counts: readonly number[] = everyOnce(e)): number {
  const m = counts.reduce((a, b) => a + b, 0);
  if (m < 2) return NaN;
  let single = 0;
  for (let j = 0; j < e.k; j++) single += counts[j] * e.errors[j];
  return single / m - ensembleError(e, counts);
}

interface Plateau {
  /** 'ensemble': eps_inf is the error of the averaged output at the largest width; 'fit': eps_inf fitted with a and A */
  readonly method: 'ensemble' | 'fit';
  readonly a: number;
  readonly epsInf: number;
  readonly interval: BootstrapInterval;
  readonly widths: number;
  readonly verdict: ClaimVerdict;
}

interface Family {
  readonly m: MnistTransition;
  readonly Ns: number;
  readonly plateau: Plateau;
  readonly fluct: { points: { N: number; sigma: number; interval: BootstrapInterval; seeds: number }[]; slope: number; interval: BootstrapInterval; verdict: ClaimVerdict };
  readonly gain: { points: { N: number; gain: number; interval: BootstrapInterval; seeds: number }[]; verdict: ClaimVerdict };
  readonly note: string;
}

/** a from log(eps(N) - eps_inf) on log N with eps_inf given; NaN where a point is not above eps_inf. */
export function approachExponent(curve: readonly { N: number; mean: number }[], epsInf: number): number {
  if (curve.length < 2 || curve.some((p) => !(p.mean > epsInf))) return NaN;
  return -linearFit(curve.map((p) => Math.log(p.N)), curve.map((p) => Math.log(p.mean - epsInf))).slope;
}

const indices = (e: Ensemble) => Array.from({ length: e.k }, (_, j) => j);

/**
 * (a) over the widths with N >= BEYOND N*. eps_inf: the error of the seed-averaged output at the
 * largest width with an ensemble of MIN_SEEDS networks (1901.01608: the average of the outputs
 * approximates the infinite-width network, whose error is the plateau; its excess there is the
 * single networks' divided by their number), then a from a two-parameter log-log fit. Without such
 * an ensemble, eps_inf, A and a are fitted together (plateauFit), which needs more widths.
 */
function plateau(far: readonly RunRecord[], ens: readonly Ensemble[], seed: number): Plateau {
  const curve = errorCurve(far, (r) => r.test!.error);
  const seeds = bySeed(far);
  const enough = curve.every((p) => p.n >= MIN_SEEDS);
  const judge = (interval: BootstrapInterval, minWidths: number): ClaimVerdict =>
    enough && curve.length >= minWidths && Number.isFinite(interval.low) && width(interval) <= MAX_WIDTH ? (contains(interval, PLATEAU_EXPONENT) ? 'pass' : 'fail') : 'inconclusive';
  const curveOf = (s: RunRecord[][]) => {
    const c = errorCurve(s.flat(), (r) => r.test!.error);
    return c.length === curve.length ? c : [];
  };
  const largest = [...ens].reverse().find((e) => e.k >= MIN_SEEDS);
  if (largest) {
    const epsInf = ensembleError(largest);
    // the seeds of every width and the networks of the ensemble, resampled together
    const interval = bootstrapGroups<RunRecord[] | number>([seeds, indices(largest)], ([s, d]) => approachExponent(curveOf(s as RunRecord[][]), ensembleError(largest, countsOf(largest, d as number[]))), seed);
    return { method: 'ensemble', a: approachExponent(curve, epsInf), epsInf, interval, widths: curve.length, verdict: judge(interval, MIN_WIDTHS) };
  }
  const fit = plateauFit(curve.map((p) => p.N), curve.map((p) => p.mean));
  const interval = bootstrapGroups([seeds], ([s]) => {
    const c = curveOf(s);
    return plateauFit(c.map((p) => p.N), c.map((p) => p.mean)).a;
  }, seed);
  return { method: 'fit', a: fit.a, epsInf: fit.epsInf, interval, widths: curve.length, verdict: judge(interval, MIN_WIDTHS_PLATEAU) };
}

function analyse(m: MnistTransition, i: number): Family {
  const Ns = m.transition.Nstar;
  const records = m.records.map((t) => t.record).filter((r) => r.test);
  const seed = 11_000 + 100 * i;
  // (b) and (c): networks of one width on one held-out set, above N*
  const ens = Number.isFinite(Ns) ? ensembles(records).filter((e) => e.N > Ns && e.k >= 2) : [];
  const fluctPoints = ens.map((e, k) => ({ N: e.N, sigma: fluctuation(e), interval: bootstrap(indices(e), (d) => fluctuation(e, countsOf(e, d)), seed + 10 + k), seeds: e.k }));
  const fitFar = ens.filter((e) => e.N >= BEYOND * Ns && e.k >= MIN_SEEDS);
  const slopeOf = (sigmas: number[]) => linearFit(fitFar.map((e) => Math.log(e.N)), sigmas.map(Math.log)).slope;
  const slope = slopeOf(fitFar.map((e) => fluctuation(e)));
  const sInterval = bootstrapGroups(fitFar.map(indices), (draws) => slopeOf(draws.map((d, j) => fluctuation(fitFar[j], countsOf(fitFar[j], d)))), seed + 1);
  const fluctVerdict: ClaimVerdict = fitFar.length >= MIN_WIDTHS && Number.isFinite(sInterval.low) && width(sInterval) <= MAX_WIDTH ? (contains(sInterval, FLUCTUATION_EXPONENT) ? 'pass' : 'fail') : 'inconclusive';
  const gainPoints = ens.map((e, k) => ({ N: e.N, gain: ensembleGain(e), interval: bootstrap(indices(e), (d) => ensembleGain(e, countsOf(e, d)), seed + 50 + k), seeds: e.k }));
  const usable = gainPoints.filter((p) => p.seeds >= MIN_SEEDS);
  let gainVerdict: ClaimVerdict = 'inconclusive';
  if (usable.length >= MIN_WIDTHS) {
    const first = usable[0];
    const best = usable.reduce((a, b) => (b.gain > a.gain ? b : a));
    const ok = usable.every((p) => p.gain >= 0) && first.interval.low > 0 && usable.indexOf(best) <= 1;
    gainVerdict = ok ? 'pass' : 'fail';
  }
  const sharing = records.filter((r) => r.results.N > Ns);
  const note =
    ens.length === 0 && sharing.length > 0
      ? sharing.some((r) => r.test?.outputs)
        ? 'no width above N* has two networks on the same held-out set with labels that reproduce their test error (each seed draws its own data when data.seed = seed)'
        : 'the records hold no held-out outputs (test.outputs)'
      : '';
  return {
    m,
    Ns,
    plateau: plateau(records.filter((r) => r.results.N >= BEYOND * Ns), ens.filter((e) => e.N >= BEYOND * Ns), seed),
    fluct: { points: fluctPoints, slope, interval: sInterval, verdict: fluctVerdict },
    gain: { points: gainPoints, verdict: gainVerdict },
    note,
  };
}

export const claim11: Claim = {
  id: 11,
  title: 'Beyond jamming: the approach to the plateau, output fluctuations and ensembles',
  statement: 'For N > N* the test error approaches its plateau like N^(-1/2); the fluctuations of the output between initialisations scale like N^(-1/4); averaging the outputs of several networks lowers the test error, most just beyond N*.',
  source: 'arXiv:1901.01608 (Geiger et al., "Scaling description of generalization with number of parameters in deep learning")',
  paperValue: 'eps(N) - eps_inf ~ N^(-1/2); ||f_N - <f_N>|| ~ N^(-1/4); ensemble average best just beyond N*',
  regime: `${MNIST_REGIME}, widths with N > N* of each (fits over N >= ${BEYOND} N*)`,
  passRule: `On each MNIST width sweep in the regime, all runs counted whatever their verdict. (a) eps(N) = eps_inf + A N^(-a) over the mean test error of the widths with N >= ${BEYOND} N*. eps_inf is estimated by the error of the seed-averaged output at the largest of these widths with at least ${MIN_SEEDS} networks on one held-out set (the average of the outputs stands for the infinite-width network, 1901.01608; its own excess is the single networks' divided by their number), and a is the slope of log(eps - eps_inf) on log N; without such an ensemble, eps_inf, A and a are fitted together by least squares on eps. The 95% bootstrap interval of a (each width's seeds and the ensemble's networks resampled, 1000 resamples) must contain 1/2. Decides with at least ${MIN_WIDTHS} widths (${MIN_WIDTHS_PLATEAU} for the three-parameter fit) of at least ${MIN_SEEDS} seeds and an interval narrower than ${MAX_WIDTH}. (b) At each width above N*, among networks that share one held-out set (same data config, differing in their initialisation seed): sigma(N) = rms over held-out patterns of the standard deviation of f across them; the slope of log sigma on log N over widths with N >= ${BEYOND} N* must have a 95% bootstrap interval (seeds resampled per width) containing -1/4. Decides with at least ${MIN_WIDTHS} such widths of at least ${MIN_SEEDS} networks and an interval narrower than ${MAX_WIDTH}. (c) At each width above N* with at least ${MIN_SEEDS} such networks (at least ${MIN_WIDTHS} widths): the error of the seed-averaged output is not above the mean single-network error at any width, is below it at the first width above N* (95% bootstrap interval of the gain above 0), and the gain is largest at one of the two widths nearest above N*. A part passes where it passes on every sweep that decides it; the claim passes when all three pass, fails when one fails. Why ${MAX_WIDTH} is wide enough: the bootstrap interval carries the seed-to-seed noise, and an interval narrower than ${MAX_WIDTH} still separates the papers' exponent from no dependence on N (0) and from twice the exponent, which is what the claim asserts; wider intervals are reported, not judged.`,
  ruleChange: 'New claim (SCIENCE.md claim 11, arXiv:1901.01608), ruled before its first sweep.',
  uses: ['mnist'],
  decide(tagged, scale) {
    const fams = mnistFamilies(tagged, scale);
    const measured = fams.filter((m) => Number.isFinite(m.transition.Nstar)).map(analyse);
    const regime = measured.filter((f) => f.m.inRegime);
    const parts = {
      plateau: combine(regime.map((f) => f.plateau.verdict)),
      fluctuations: combine(regime.map((f) => f.fluct.verdict)),
      ensembles: combine(regime.map((f) => f.gain.verdict)),
    };
    const verdict = all([parts.plateau, parts.fluctuations, parts.ensembles]);
    const iv = (i: BootstrapInterval) => (Number.isFinite(i.low) ? `[${fmt(i.low)}, ${fmt(i.high)}]` : '(no interval)');
    const apart = apartOf(regime.flatMap((f) => f.m.records.map((t) => t.record)));
    const line = (f: Family) =>
      `${f.m.label}: (a) a = ${fmt(f.plateau.a)} ${iv(f.plateau.interval)} over ${f.plateau.widths} widths, eps_inf = ${fmt(f.plateau.epsInf)} (${f.plateau.method === 'ensemble' ? 'error of the averaged output at the largest width' : 'fitted'}) (${f.plateau.verdict}); (b) slope of sigma ${fmt(f.fluct.slope)} ${iv(f.fluct.interval)} (${f.fluct.verdict}); (c) ensemble gain ${f.gain.points.map((p) => `${fmt(p.gain)} at N = ${p.N}`).join(', ') || '—'} (${f.gain.verdict})${f.note ? `; ${f.note}` : ''}`;
    const seriesOf = (f: Family) => `MNIST P = ${f.m.P}, L = ${f.m.L}`;
    const trends: Trend[] = [
      {
        statistic: 'sigma(N): rms over held-out patterns of the std of f across seeds',
        powerLaw: { exponent: FLUCTUATION_EXPONENT, label: 'N^(-1/4)' },
        interval: '95% bootstrap over seeds',
        points: measured.flatMap((f) => f.fluct.points.map((p) => ({ N: p.N, value: p.sigma, low: p.interval.low, high: p.interval.high, series: seriesOf(f), inRegime: f.m.inRegime && p.N >= BEYOND * f.Ns, n: p.seeds }))),
      },
      {
        statistic: 'eps(N) - eps_inf (mean test error above the plateau)',
        powerLaw: { exponent: -PLATEAU_EXPONENT, label: 'N^(-1/2)' },
        interval: '±1.96 standard errors of the mean error',
        points: measured.flatMap((f) => {
          const c = errorCurve(f.m.records.map((t) => t.record).filter((r) => r.test && r.results.N > f.Ns), (r) => r.test!.error);
          return c.map((p) => ({ N: p.N, value: p.mean - f.plateau.epsInf, low: p.mean - f.plateau.epsInf - 1.96 * p.sem, high: p.mean - f.plateau.epsInf + 1.96 * p.sem, series: seriesOf(f), inRegime: f.m.inRegime && p.N >= BEYOND * f.Ns, n: p.n }));
        }),
      },
      {
        statistic: 'ensemble gain: mean single error − error of the seed-averaged output',
        interval: '95% bootstrap over seeds',
        points: measured.flatMap((f) => f.gain.points.map((p) => ({ N: p.N, value: p.gain, low: p.interval.low, high: p.interval.high, series: seriesOf(f), inRegime: f.m.inRegime, n: p.seeds }))),
      },
    ];
    return {
      verdict,
      measured: `${measured.filter((f) => f.m.inRegime).map(line).join('; ') || 'no MNIST sweep in the regime with a transition in its grid'}; parts: (a) ${parts.plateau}, (b) ${parts.fluctuations}, (c) ${parts.ensembles}; none set apart: the ${apart.dead.length} dead-pattern runs and ${apart.budget.length} budget runs counted (a network's test error and outputs do not depend on its verdict)`,
      details: [
        tableBlock(
          ['sweep', 'regime', 'N*', 'widths N >= 1.5 N*', 'a', '95% interval', 'eps_inf', 'slope of sigma', '95% interval', '(a)', '(b)', '(c)'],
          measured.map((f) => [f.m.label, f.m.inRegime ? 'decides' : OUTSIDE, f.Ns, f.plateau.widths, f.plateau.a, iv(f.plateau.interval), f.plateau.epsInf, f.fluct.slope, iv(f.fluct.interval), f.plateau.verdict, f.fluct.verdict, f.gain.verdict]),
        ),
        tableBlock(
          ['sweep', 'N', 'N/N*', 'networks on one held-out set', 'sigma', '95% interval', 'ensemble gain', '95% interval'],
          measured.flatMap((f) => f.fluct.points.map((p, k) => [f.m.label, p.N, p.N / f.Ns, p.seeds, p.sigma, iv(p.interval), f.gain.points[k].gain, iv(f.gain.points[k].interval)])),
        ),
        ...measured.filter((f) => f.note).map((f) => noteBlock(`${f.m.label}: ${f.note}.`)),
        noteBlock('Not tested here: the divergence of the output norm near N* like (N - N*)^(-1) (1901.01608), which needs widths closer to N* than the grids hold.'),
      ],
      figures: [],
      trends,
      values: {
        parts,
        sweeps: measured.map((f) => ({ P: f.m.P, L: f.m.L, inRegime: f.m.inRegime, Nstar: f.Ns, plateau: f.plateau, fluctuations: f.fluct, ensembles: f.gain, note: f.note })),
        dead: apart.dead.length,
        budget: apart.budget.length,
      },
    };
  },
};

import type { Claim } from './claim.ts';
import { fixedNFamilies } from './select.ts';
import { table, fmt } from '../report/markdown.ts';
import { jammedNearest } from './c08-spectrum.ts';
import { powerLawFit } from '../stats/regression.ts';
import { quantile } from '../stats/describe.ts';
import { createRng } from '../util/prng.ts';
import { gapDistribution } from '../report/figures.ts';

/**
 * Exponent of a density p(x) ~ x^e at small x > 0 from the empirical CDF F(x) ~ x^(e+1), fitted
 * on log-log axes over the smallest `fraction` of the sample (contacts at |Delta| < 1e-9 excluded:
 * they are rounding, not gaps).
 */
export function smallGapExponent(xs: readonly number[], fraction = 0.2): number {
  const s = xs.filter((x) => x > 1e-9).sort((a, b) => a - b);
  const k = Math.floor(s.length * fraction);
  if (k < 5) return NaN;
  const xsK = s.slice(0, k);
  const F = xsK.map((_, i) => (i + 1) / s.length);
  return powerLawFit(xsK, F).slope - 1;
}

const BOOT = 200;

export const claim9: Claim = {
  id: 9,
  title: 'Gaps at jamming: power laws of the Delta distribution',
  statement: 'At jamming the distribution of Delta is a power law on both sides: P(Delta) ~ Delta^theta for Delta > 0 and P(Delta) ~ (-Delta)^(-gamma) for Delta < 0, with theta about 0.3 and gamma about 0.2.',
  source: 'arXiv:1809.09349 Sec. VI',
  paperValue: 'theta about 0.3, gamma about 0.2',
  passRule: 'Pool Delta over the jammed runs nearest N* of the main fixed-N family (the two P grid points above P*); theta from the empirical CDF of the smallest 20% of Delta > 0 (F ~ Delta^(1+theta)), gamma from the smallest 20% of -Delta (F ~ h^(1-gamma)); 95% intervals by a seeded bootstrap over runs (200 resamples). Pass where each interval contains the paper\'s value.',
  uses: ['fixedN'],
  evaluate(tagged, scale) {
    const f = fixedNFamilies(tagged, scale).find((x) => Number.isFinite(x.transition.Pstar));
    const runs = f ? jammedNearest(f).filter((r) => r.deltas) : [];
    if (runs.length < 2) {
      return { verdict: 'inconclusive', measured: `too few jammed runs near N* with their Delta (${runs.length})`, details: '', figures: [], values: {} };
    }
    const pos = (rs: typeof runs) => rs.flatMap((r) => r.deltas!.filter((d) => d > 0));
    const neg = (rs: typeof runs) => rs.flatMap((r) => r.deltas!.filter((d) => d < 0).map((d) => -d));
    const theta = smallGapExponent(pos(runs));
    const gamma = -smallGapExponent(neg(runs));
    const rng = createRng(9);
    const bt: number[] = [];
    const bg: number[] = [];
    for (let b = 0; b < BOOT; b++) {
      const sample = runs.map(() => runs[rng.int(runs.length)]);
      bt.push(smallGapExponent(pos(sample)));
      bg.push(-smallGapExponent(neg(sample)));
    }
    const ci = (v: number[]) => [quantile(v.filter(Number.isFinite), 0.025), quantile(v.filter(Number.isFinite), 0.975)] as const;
    const [tl, th] = ci(bt);
    const [gl, gh] = ci(bg);
    const ok = tl <= 0.3 && 0.3 <= th && gl <= 0.2 && 0.2 <= gh;
    const hist = (xs: number[], side: 'Delta > 0' | 'Delta < 0') => {
      const s = xs.filter((x) => x > 1e-9);
      const lo = Math.log10(Math.min(...s));
      const hi = Math.log10(Math.max(...s));
      const bins = 16;
      const counts = new Array(bins).fill(0);
      for (const x of s) counts[Math.min(bins - 1, Math.floor(((Math.log10(x) - lo) / (hi - lo)) * bins))]++;
      return counts.map((c, i) => {
        const a = 10 ** (lo + (i * (hi - lo)) / bins);
        const b = 10 ** (lo + ((i + 1) * (hi - lo)) / bins);
        return { side, x: Math.sqrt(a * b), density: c / (s.length * (b - a)) };
      }).filter((r) => r.density > 0);
    };
    return {
      verdict: ok ? 'pass' : 'fail',
      measured: `theta = ${fmt(theta)} [${fmt(tl)}, ${fmt(th)}], gamma = ${fmt(gamma)} [${fmt(gl)}, ${fmt(gh)}] from ${runs.length} runs at N = ${f!.N}`,
      details: table(['exponent', 'measured', '95% bootstrap interval', 'paper'], [['theta (Delta > 0)', theta, `[${fmt(tl)}, ${fmt(th)}]`, 0.3], ['gamma (Delta < 0)', gamma, `[${fmt(gl)}, ${fmt(gh)}]`, 0.2]]),
      figures: [
        {
          name: 'claim9-gap-distribution',
          caption: 'Distribution of |Delta| at the jammed minima nearest N*, both sides, log-log, with the fitted exponents.',
          spec: gapDistribution([...hist(pos(runs), 'Delta > 0'), ...hist(neg(runs), 'Delta < 0')], [
            { side: 'Delta > 0', exponent: theta },
            { side: 'Delta < 0', exponent: -gamma },
          ]),
        },
      ],
      values: { theta, thetaInterval: [tl, th], gamma, gammaInterval: [gl, gh], runs: runs.length },
    };
  },
};

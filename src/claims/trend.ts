/**
 * A claim's statistic per size ("with its trend in N"): one point per family, with its 95%
 * interval, so a reader sees whether it moves toward the papers' value as N grows. The report draws
 * every trend of a claim in one figure (report/figures.ts statisticVsN) and lists it in a table.
 */
export interface TrendPoint {
  /** the family's N (x axis) */
  readonly N: number;
  readonly value: number;
  /** 95% interval (bootstrap over seeds, or Wilson for fractions); NaN when none */
  readonly low: number;
  readonly high: number;
  /** the family, e.g. "L = 2" */
  readonly series: string;
  readonly inRegime: boolean;
  /** how many runs (or seeds) the value rests on */
  readonly n: number;
}

export interface Trend {
  /** the statistic, as the y-axis title */
  readonly statistic: string;
  /** the papers' value, drawn as a horizontal rule */
  readonly paper?: number;
  /** a power law the papers predict, value proportional to N^exponent (log-log axes) */
  readonly powerLaw?: { readonly exponent: number; readonly label: string };
  /** how the interval was made */
  readonly interval: string;
  readonly points: readonly TrendPoint[];
}

/**
 * What a claim asks the report to draw, as plain data: the rows and fits of each figure, never a
 * rendered spec. report/figures.ts turns a Plot into vega-lite (plotSpec); the claims import nothing
 * from the report.
 */

export interface NDeltaRow {
  PoverN: number;
  nDeltaOverN: number;
  /** the family (a colour) */
  series: string;
  /** how the run ended, where it matters ("minimum or fitted", "dead patterns", "budget"): a marker shape */
  status?: string;
}

/** A family's jamming point on a P/N axis: P* over N, and the bracket [Plow, Phigh] over N (last all-fitted P, first all-jammed P). */
export interface TransitionMark {
  series: string;
  PstarOverN: number;
  PlowOverN?: number;
  PhighOverN?: number;
}

export interface JammingRow {
  P: number;
  Nstar: number;
  NstarLow?: number;
  NstarHigh?: number;
  /** fixed-N families: the bracket of P* (last all-fitted P, first all-jammed P), drawn as a horizontal bar */
  PLow?: number;
  PHigh?: number;
  series: string;
}

export interface PowerLawFit {
  series: string;
  exponent: number;
  prefactor: number;
}

export interface NegativeRow {
  nDelta: number;
  nNeg: number;
  series: string;
}

export type GapSide = 'Delta > 0' | 'Delta < 0';

export interface GapRow {
  side: GapSide;
  /** |Delta| */
  x: number;
  density: number;
}

export interface GapFit {
  side: GapSide;
  exponent: number;
  /** Optional a in density = a |Δ|^exponent; if absent it is the least-squares value in log space. */
  prefactor?: number;
}

/** A statistic against the distance to jamming (P/P* - 1), with its 95% interval. */
export interface ExponentRow {
  distance: number;
  value: number;
  low: number;
  high: number;
  series: string;
  /** runs behind the value */
  n: number;
}

/** The papers' value of a series, drawn as a dashed horizontal rule in its colour. */
export interface ReferenceValue {
  series: string;
  value: number;
  label: string;
}

export interface TestErrorRow {
  NoverNstar: number;
  testError: number;
  /** standard error of the mean; drawn as ±sem */
  sem?: number;
  series: string;
}

export interface ScatterRow {
  x: number;
  y: number;
  series: string;
  /** series of one group (a family) share its colour and differ by marker */
  group?: string;
}

export interface LogLogOptions {
  readonly title: string;
  readonly subtitle?: string;
  readonly x: string;
  readonly y: string;
  readonly predicted?: { readonly exponent: number; readonly label: string };
}

/** One figure's data; `kind` names the drawing (report/figures.ts, plotSpec). */
export type Plot =
  | { readonly kind: 'nDeltaVsPOverN'; readonly rows: NDeltaRow[]; readonly opts?: { readonly c0?: number; readonly title?: string; readonly transitions?: readonly TransitionMark[] } }
  | { readonly kind: 'jammingLine'; readonly rows: JammingRow[]; readonly fits: PowerLawFit[]; readonly opts?: { readonly title?: string } }
  | { readonly kind: 'negativeVsNDelta'; readonly rows: NegativeRow[]; readonly opts?: { readonly title?: string } }
  | { readonly kind: 'gapDistribution'; readonly rows: GapRow[]; readonly fits: GapFit[]; readonly opts?: { readonly title?: string; readonly papers?: readonly GapFit[] } }
  | { readonly kind: 'exponentVsDistance'; readonly rows: ExponentRow[]; readonly papers: readonly ReferenceValue[]; readonly opts: { readonly title: string; readonly x: string; readonly y: string } }
  | { readonly kind: 'testErrorVsN'; readonly rows: TestErrorRow[]; readonly opts?: { readonly title?: string } }
  | { readonly kind: 'logLogScatter'; readonly rows: ScatterRow[]; readonly fits: PowerLawFit[]; readonly opts: LogLogOptions };

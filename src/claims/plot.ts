/**
 * What a claim asks the report to draw, as plain data: the rows and fits of each figure, never a
 * rendered spec. report/figures.ts turns a Plot into vega-lite (plotSpec); the claims import nothing
 * from the report.
 */

export interface NDeltaRow {
  PoverN: number;
  nDeltaOverN: number;
  series: string;
}

export interface JammingRow {
  P: number;
  Nstar: number;
  NstarLow?: number;
  NstarHigh?: number;
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
  | { readonly kind: 'nDeltaVsPOverN'; readonly rows: NDeltaRow[]; readonly opts?: { readonly c0?: number; readonly title?: string } }
  | { readonly kind: 'jammingLine'; readonly rows: JammingRow[]; readonly fits: PowerLawFit[]; readonly opts?: { readonly title?: string } }
  | { readonly kind: 'negativeVsNDelta'; readonly rows: NegativeRow[]; readonly opts?: { readonly title?: string } }
  | { readonly kind: 'gapDistribution'; readonly rows: GapRow[]; readonly fits: GapFit[]; readonly opts?: { readonly title?: string } }
  | { readonly kind: 'testErrorVsN'; readonly rows: TestErrorRow[]; readonly opts?: { readonly title?: string } }
  | { readonly kind: 'logLogScatter'; readonly rows: ScatterRow[]; readonly fits: PowerLawFit[]; readonly opts: LogLogOptions };

import type { Scale } from '../experiment/scales.ts';
import type { TaggedRecord } from '../experiment/plan.ts';
import type { JammingPoint } from '../experiment/jammingPoint.ts';
import type { Trend } from './trend.ts';
import type { Plot } from './plot.ts';

export type ClaimVerdict = 'pass' | 'fail' | 'inconclusive';

export interface FigureRequest {
  readonly name: string;
  readonly caption: string;
  /** what to draw, as data (the report draws it: report/figures.ts plotSpec) */
  readonly plot: Plot;
}

/** A table cell: a number (the report writes it with util/format.ts fmt), a text, or missing. */
export type Cell = string | number | null | undefined;

/** The numbers behind a verdict, as plain data: a table (with an optional lead-in line) or a note. */
export type DetailBlock =
  | { readonly kind: 'table'; readonly lead?: string; readonly headers: readonly string[]; readonly rows: readonly (readonly Cell[])[] }
  | { readonly kind: 'note'; readonly text: string }
  /** verbatim text (a stack trace) */
  | { readonly kind: 'code'; readonly text: string };

export const tableBlock = (headers: readonly string[], rows: readonly (readonly Cell[])[], lead?: string): DetailBlock => ({ kind: 'table', ...(lead ? { lead } : {}), headers, rows });
export const noteBlock = (text: string): DetailBlock => ({ kind: 'note', text });

/** What a claim measured, and its verdict under the pass rule fixed beforehand. */
export interface ClaimOutcome {
  readonly verdict: ClaimVerdict;
  /**
   * one line: the measured value(s), with interval where there is one, the runs set apart, and
   * whether counting them the other way would change the verdict
   */
  readonly measured: string;
  /** the numbers behind the verdict (tables, families outside the regime in their own rows), findings; the report renders them */
  readonly details: readonly DetailBlock[];
  readonly figures: readonly FigureRequest[];
  /** the claim's statistic per size, with intervals (the report draws them against N) */
  readonly trends: readonly Trend[];
  /** the machine-readable values (results.json) */
  readonly values: Record<string, unknown>;
}

export interface Claim {
  readonly id: number;
  readonly title: string;
  /** the claim in the paper's words (SCIENCE.md) */
  readonly statement: string;
  readonly source: string;
  readonly paperValue: string;
  /** where the claim decides (families, sizes), fixed before any result; the rest is reported as outside the regime */
  readonly regime: string;
  /** the pass rule, fixed before any result was seen */
  readonly passRule: string;
  /** null when the rule is the one of the last committed report; else what changed and why */
  readonly ruleChange: string | null;
  /** which runs of the shared sweep it reads (for the report's "exact config" line) */
  readonly uses: readonly TaggedRecord['tag']['kind'][];
  /** jammingPoints: the authors' adaptive N* searches of the scale (MNIST) */
  decide(tagged: readonly TaggedRecord[], scale: Scale, jammingPoints: readonly JammingPoint[]): ClaimOutcome;
}

import type { Scale } from '../experiment/scales.ts';
import type { TaggedRecord } from '../experiment/plan.ts';
import type { JammingPoint } from '../experiment/jammingPoint.ts';
import type { Trend } from './trend.ts';

export type ClaimVerdict = 'pass' | 'fail' | 'inconclusive';

export interface FigureRequest {
  readonly name: string;
  readonly caption: string;
  /** a vega-lite spec (plain JSON) */
  readonly spec: object;
}

/** What a claim measured, and its verdict under the pass rule fixed beforehand. */
export interface ClaimOutcome {
  readonly verdict: ClaimVerdict;
  /**
   * one line: the measured value(s), with interval where there is one, the runs set apart, and
   * whether counting them the other way would change the verdict
   */
  readonly measured: string;
  /** markdown: the numbers behind the verdict (tables, families outside the regime in their own rows), findings */
  readonly details: string;
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
  evaluate(tagged: readonly TaggedRecord[], scale: Scale, jammingPoints: readonly JammingPoint[]): ClaimOutcome;
}

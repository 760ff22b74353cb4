import type { Scale } from '../experiment/scales.ts';
import type { TaggedRecord } from '../experiment/plan.ts';
import type { JammingPoint } from '../experiment/jammingPoint.ts';

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
  /** one line: the measured value(s), with interval where there is one */
  readonly measured: string;
  /** markdown: the numbers behind the verdict (tables), findings, runs set apart */
  readonly details: string;
  readonly figures: readonly FigureRequest[];
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
  /** the pass rule, fixed before any result was seen; a change needs its reason written here */
  readonly passRule: string;
  /** which runs of the shared sweep it reads (for the report's "exact config" line) */
  readonly uses: readonly TaggedRecord['tag']['kind'][];
  /** jammingPoints: the authors' adaptive N* searches of the scale (MNIST) */
  evaluate(tagged: readonly TaggedRecord[], scale: Scale, jammingPoints: readonly JammingPoint[]): ClaimOutcome;
}

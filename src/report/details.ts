import type { DetailBlock } from '../claims/claim.ts';
import type { Trend } from '../claims/trend.ts';
import { OUTSIDE } from '../claims/regime.ts';
import { fmt } from '../util/format.ts';
import { table, codeBlock } from './markdown.ts';

/** A claim's details (plain data: tables and notes) as markdown, blocks apart by a blank line. */
export function renderDetails(blocks: readonly DetailBlock[]): string {
  return blocks
    .map((b) => {
      switch (b.kind) {
        case 'table':
          return `${b.lead ? `${b.lead}\n\n` : ''}${table([...b.headers], b.rows.map((r) => [...r]))}`;
        case 'note':
          return `${b.text}\n`;
        case 'code':
          return codeBlock(b.text);
      }
    })
    .join('\n');
}

/** A claim's statistic per family against N, as a table beside its figure. */
export function trendTable(trends: readonly Trend[]): string {
  const rows = trends.flatMap((t) =>
    [...t.points]
      .sort((a, b) => a.N - b.N)
      .map((p) => [
        t.statistic,
        p.series,
        p.N,
        p.value,
        Number.isFinite(p.low) ? `[${fmt(p.low)}, ${fmt(p.high)}]` : '—',
        p.n,
        t.paper !== undefined ? t.paper : t.powerLaw ? t.powerLaw.label : '—',
        p.inRegime ? 'decides' : OUTSIDE,
      ]),
  );
  return table(['statistic', 'family', 'N', 'value', '95% interval', 'runs', 'paper', 'regime'], rows);
}

/**
 * Tiny pure helpers for writing the verification report in Markdown. Numbers are written by fmt
 * (util/format.ts), the one rule for every number a person reads.
 */
import { fmt, MISSING } from '../util/format.ts';

/** Escape a table cell: pipes become `\|`, newlines become `<br>`. */
export function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function cell(v: string | number | null | undefined, digits: number): string {
  if (typeof v === 'number') return fmt(v, digits);
  if (v === undefined || v === null) return MISSING;
  return escapeCell(v);
}

/**
 * A GitHub-flavoured Markdown table. Numbers go through fmt(x, digits); a column whose cells are all
 * numbers (or missing) is right-aligned. Short rows are padded with "—".
 */
export function table(
  headers: string[],
  rows: (string | number | null | undefined)[][],
  digits = 3,
): string {
  const n = headers.length;
  const numeric = headers.map(
    (_, j) => rows.length > 0 && rows.every((r) => r[j] === undefined || r[j] === null || typeof r[j] === 'number'),
  );
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const out = [
    line(headers.map(escapeCell)),
    line(numeric.map((isNum) => (isNum ? '---:' : '---'))),
    ...rows.map((r) => line(Array.from({ length: n }, (_, j) => cell(r[j], digits)))),
  ];
  return out.join('\n') + '\n';
}

/** `#`-heading of the given level (clamped to 1..6), a blank line, the body, one trailing newline. */
export function section(title: string, level: number, body: string): string {
  const l = Math.min(6, Math.max(1, Math.floor(level)));
  const head = `${'#'.repeat(l)} ${title.replace(/\r?\n/g, ' ')}`;
  const text = body.trim();
  return text ? `${head}\n\n${text}\n` : `${head}\n`;
}

/** Fenced code block; the fence is longer than any run of backticks inside `text`. */
export function codeBlock(text: string, lang = ''): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((s) => s.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const body = text.endsWith('\n') ? text : text + '\n';
  return `${fence}${lang}\n${body}${fence}\n`;
}

/** Markdown image link; brackets in `alt` are escaped, the path goes in <…> so spaces are allowed. */
export function figure(file: string, alt: string): string {
  const a = alt.replace(/\\/g, '\\\\').replace(/([[\]])/g, '\\$1').replace(/\r?\n/g, ' ');
  const f = /[\s()<>]/.test(file) ? `<${file.replace(/[<>]/g, encodeURIComponent)}>` : file;
  return `![${a}](${f})\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Collapsible block (GitHub renders <details>); the blank lines let Markdown inside `body` render. */
export function details(summary: string, body: string): string {
  return `<details>\n<summary>${escapeHtml(summary)}</summary>\n\n${body.trim()}\n\n</details>\n`;
}

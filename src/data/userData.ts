import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { InputError } from '../util/errors.ts';
import { makeDataset, type DataSplit, type Dataset } from './dataset.ts';

/**
 * A user's own data set, used exactly as given: no centring, rescaling or shuffling (the file is the
 * experiment). Formats, chosen by extension:
 *   .csv   one pattern per line: d features then the label, comma-separated; blank lines ignored;
 *          the first line is a header if none of its cells is a number.
 *   .json  { "x": number[][], "y": number[] }.
 * Labels are +1/-1, or 0/1 mapped to -1/+1; one file uses one convention.
 * Every malformed input throws InputError naming the file, the row/column, the value and what is allowed.
 */
export function loadUserData(file: string, testFile?: string): DataSplit {
  const train = loadFile(file);
  // one class is fitted by a constant output: a "fitted" verdict that says nothing
  if (train.y.every((v) => v === train.y[0])) throw new InputError(`${file}: labels`, `all ${train.y[0] > 0 ? '+1' : '-1'} (${train.P} patterns)`, 'both classes, +1 and -1 (with one class a constant output fits every pattern)');
  if (testFile === undefined) return { train };
  const test = loadFile(testFile);
  if (test.d !== train.d) {
    throw new InputError(`${testFile}: d`, test.d, `d = ${train.d} features, as in ${file}`);
  }
  return { train, test };
}

function loadFile(file: string): Dataset {
  const ext = extname(file).toLowerCase();
  if (ext !== '.csv' && ext !== '.json') throw new InputError('file', file, 'a path ending in .csv or .json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError('file', file, `an existing readable file (${(e as Error).message})`);
  }
  const { rows, labels } = ext === '.csv' ? parseCsv(text, file) : parseJson(text, file);
  const d = rows[0].length;
  const x = new Float64Array(rows.length * d);
  rows.forEach((r, mu) => x.set(r, mu * d));
  return makeDataset(basename(file), x, Float64Array.from(labels), d);
}

interface Parsed {
  rows: number[][];
  labels: number[];
}

/** Accepts the label conventions +1/-1 and 0/1, never mixed within one file. */
class LabelReader {
  private convention: 'pm1' | '01' | undefined;
  constructor(private readonly file: string) {}

  read(where: string, v: number): 1 | -1 {
    const allowed = this.convention === 'pm1' ? '+1 or -1 (as earlier labels in this file)' : this.convention === '01' ? '0 or 1 (as earlier labels in this file)' : '+1/-1 or 0/1';
    const conv = v === -1 ? 'pm1' : v === 0 ? '01' : v === 1 ? this.convention : null;
    if (conv === null || (conv !== undefined && this.convention !== undefined && conv !== this.convention)) {
      throw new InputError(`${this.file} ${where}`, v, `a label ${allowed}`);
    }
    if (conv !== undefined) this.convention = conv;
    return v === 1 ? 1 : -1;
  }
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A finite decimal number, or undefined (so no hex, no empty cell read as 0, no NaN/Infinity). */
function parseCell(cell: string): number | undefined {
  const s = cell.trim();
  if (!DECIMAL.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

function parseCsv(text: string, file: string): Parsed {
  const lines = text.split(/\r?\n/);
  const rows: number[][] = [];
  const labels: number[] = [];
  const label = new LabelReader(file);
  let width = 0;
  let widthLine = 0;
  let first = true;
  lines.forEach((line, i) => {
    const lineNo = i + 1;
    if (line.trim() === '') return;
    const cells = line.split(',');
    if (first) {
      first = false;
      if (cells.every((c) => parseCell(c) === undefined)) return; // header line
    }
    if (width === 0) {
      if (cells.length < 2) {
        throw new InputError(`${file} row ${lineNo}`, `${cells.length} column`, 'at least 2 columns (features, then the label)');
      }
      width = cells.length;
      widthLine = lineNo;
    } else if (cells.length !== width) {
      throw new InputError(`${file} row ${lineNo}`, `${cells.length} columns`, `${width} columns, as row ${widthLine}`);
    }
    const values = cells.map((c, j) => {
      const v = parseCell(c);
      if (v === undefined) throw new InputError(`${file} row ${lineNo} column ${j + 1}`, c, 'a finite decimal number');
      return v;
    });
    labels.push(label.read(`row ${lineNo} column ${width} (label)`, values[width - 1]));
    rows.push(values.slice(0, width - 1));
  });
  if (rows.length === 0) throw new InputError(file, 'no data rows', 'at least one pattern (features, then the label)');
  return { rows, labels };
}

function parseJson(text: string, file: string): Parsed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(file, (e as Error).message, 'valid JSON { "x": number[][], "y": number[] }');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new InputError(file, doc, 'a JSON object { "x": number[][], "y": number[] }');
  }
  const { x, y } = doc as { x?: unknown; y?: unknown };
  if (!Array.isArray(x) || x.length === 0) throw new InputError(`${file}: x`, x, 'a non-empty array of rows (number[][])');
  if (!Array.isArray(y)) throw new InputError(`${file}: y`, y, 'an array of labels (number[])');
  if (y.length !== x.length) throw new InputError(`${file}: y`, `${y.length} labels`, `one label per row of x (${x.length})`);
  const rows = x.map((row: unknown, mu) => {
    if (!Array.isArray(row) || row.length === 0) throw new InputError(`${file}: x[${mu}]`, row, 'a non-empty array of numbers');
    if (row.length !== (x[0] as unknown[]).length) {
      throw new InputError(`${file}: x[${mu}]`, `${row.length} features`, `${(x[0] as unknown[]).length} features, as x[0]`);
    }
    return row.map((v: unknown, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`${file}: x[${mu}][${j}]`, v, 'a finite number');
      return v;
    });
  });
  const label = new LabelReader(file);
  const labels = y.map((v: unknown, mu) => {
    if (typeof v !== 'number') throw new InputError(`${file}: y[${mu}]`, v, 'a label +1/-1 or 0/1');
    return label.read(`y[${mu}]`, v);
  });
  return { rows, labels };
}

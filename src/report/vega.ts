/**
 * Render Vega-Lite specs to SVG in Node, with no browser and no canvas.
 *
 * Pipeline: vegaLite.compile(spec).spec -> vega.parse -> new vega.View(..., { renderer: 'none' }).toSVG().
 * Without the optional `canvas` package Vega measures text with a built-in per-character width
 * estimate, so label placement and legend widths are approximate (readable, not pixel-exact).
 *
 * Determinism: Vega numbers SVG clip-path / gradient ids with module-level counters. Every render
 * resets them (vega.resetSVGDefIds) and renders are serialised through one queue, so the same spec
 * gives byte-identical SVG however many figures were drawn before it in the same process.
 */
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../util/atomicWrite.ts';
import { join } from 'node:path';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

/** Where Vega / Vega-Lite warnings go; default: console.warn with a "[vega]" prefix. */
export type WarnHandler = (message: string) => void;

export interface RenderOptions {
  /** Called once per warning from the compiler or the runtime. */
  onWarn?: WarnHandler;
}

const defaultWarn: WarnHandler = (m) => console.warn(`[vega] ${m}`);

function stringify(args: unknown[]): string {
  return args
    .map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a)))
    .join(' ');
}

/** A Vega logger that routes warnings and errors to `onWarn`; info/debug are dropped. */
function makeLogger(onWarn: WarnHandler): vega.LoggerInterface {
  return vega.logger(vega.Warn, undefined, (_method, level, args) => {
    onWarn(`${level} ${stringify(args)}`);
  });
}

let queue: Promise<unknown> = Promise.resolve();

/** Run renders one at a time, so the id counters reset before each cannot interleave. */
function serialised<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Compile a Vega-Lite spec (plain JSON; inline data only — there is no network here) and render it
 * to an SVG string that starts with `<svg`.
 */
export function renderSvg(spec: object, options: RenderOptions = {}): Promise<string> {
  const onWarn = options.onWarn ?? defaultWarn;
  return serialised(async () => {
    const logger = makeLogger(onWarn);
    const compiled = vegaLite.compile(spec as TopLevelSpec, { logger }).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger, logLevel: vega.Warn });
    try {
      vega.resetSVGDefIds();
      const svg = await view.toSVG();
      return svg;
    } finally {
      view.finalize();
    }
  });
}

export interface WriteFigureOptions extends RenderOptions {
  /** Also write the Vega-Lite spec as `${name}.vl.json` (atomically) beside the SVG. */
  saveSpec?: boolean;
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

async function writeAtomic(dir: string, file: string, text: string): Promise<void> {
  writeFileAtomic(join(dir, file), text);
}

/**
 * Render `spec` and write `${dir}/${name}.svg` atomically (temp file in the same folder + rename),
 * creating `dir` if needed. Returns the file name (`${name}.svg`, not the full path) for use in a
 * markdown image link relative to `dir`.
 */
export async function writeFigure(
  dir: string,
  name: string,
  spec: object,
  options: WriteFigureOptions = {},
): Promise<string> {
  if (!SAFE_NAME.test(name)) {
    throw new Error(`writeFigure: name ${JSON.stringify(name)} must match ${SAFE_NAME} (no path separators)`);
  }
  const svg = await renderSvg(spec, options);
  await mkdir(dir, { recursive: true });
  const file = `${name}.svg`;
  await writeAtomic(dir, file, svg);
  if (options.saveSpec) await writeAtomic(dir, `${name}.vl.json`, JSON.stringify(spec, null, 2) + '\n');
  return file;
}

import type { RunRecord } from '../run/record.ts';
import type { ProgressSink } from './sweepTypes.ts';

export type { ProgressSink } from './sweepTypes.ts';

export interface ProgressOptions {
  /** shown at the start of each line; default "sweep" */
  readonly label?: string;
  /** default process.stderr */
  readonly stream?: { write(s: string): unknown; isTTY?: boolean; columns?: number };
  /** force the terminal (bar rewritten in place) or plain-line mode; default stream.isTTY */
  readonly tty?: boolean;
  /** plain-line mode: at most one line per this many ms (plus the final one); default 5000 */
  readonly intervalMs?: number;
  /** milliseconds clock; default performance.now */
  readonly now?: () => number;
  /** how many workers are computing now, where they are elsewhere (a queue's); shown in each line */
  readonly liveWorkers?: () => number | undefined;
}

const BAR = 24;
const TTY_REDRAW_MS = 100;

/**
 * A sweep's progress on stderr. On a terminal: one line rewritten in place with a bar, done/total,
 * failures, ETA and the last run's summary. Elsewhere (logs, CI): plain lines, at most one every
 * `intervalMs`, plus one at the end.
 */
export function progressDisplay(opts: ProgressOptions = {}): ProgressSink {
  const stream = opts.stream ?? process.stderr;
  const tty = opts.tty ?? stream.isTTY === true;
  const interval = opts.intervalMs ?? 5000;
  const now = opts.now ?? (() => performance.now());
  const label = opts.label ?? 'sweep';
  let total = 0;
  let done = 0;
  let reused = 0;
  let computed = 0;
  let failures = 0;
  let t0 = 0;
  let lastDraw = -Infinity;
  let last = '';

  const line = (final: boolean): string => {
    const finished = done + failures;
    const frac = total === 0 ? 1 : finished / total;
    const parts = [`${label} ${finished}/${total}`];
    if (tty) {
      const full = Math.round(frac * BAR);
      parts[0] = `${label} [${'#'.repeat(full)}${'-'.repeat(BAR - full)}] ${finished}/${total}`;
    }
    parts.push(`${Math.floor(frac * 100)}%`);
    if (reused > 0) parts.push(`${reused} stored`);
    if (failures > 0) parts.push(`${failures} failed`);
    const live = opts.liveWorkers?.();
    if (live !== undefined && !final) parts.push(`${live} worker${live === 1 ? '' : 's'} live`);
    const elapsed = (now() - t0) / 1000;
    const ran = computed + failures;
    const left = total - finished;
    if (final) parts.push(`in ${duration(elapsed)}`);
    else if (ran > 0 && left > 0) parts.push(`ETA ${duration((elapsed / ran) * left)}`);
    if (last) parts.push(`| last: ${last}`);
    return parts.join('  ');
  };

  const draw = (final: boolean): void => {
    const t = now();
    if (!final && t - lastDraw < (tty ? TTY_REDRAW_MS : interval)) return;
    lastDraw = t;
    let s = line(final);
    if (tty) {
      const cols = stream.columns ?? 0;
      if (cols > 1 && s.length > cols - 1) s = s.slice(0, cols - 1);
      stream.write(`\r\x1b[K${s}${final ? '\n' : ''}`);
    } else {
      stream.write(s + '\n');
    }
  };

  return {
    start(info) {
      total = info.total;
      done = info.done;
      reused = info.done;
      t0 = now();
      const where = info.toRun === 0 ? '' : info.workers < 0 ? ' on the queue\'s workers' : info.workers === 0 ? ' inline' : ` on ${info.workers} worker${info.workers === 1 ? '' : 's'}`;
      const head = `${label}: ${info.total} runs, ${info.done} already stored, ${info.toRun} to run${where}`;
      stream.write(head + '\n');
      if (tty) {
        lastDraw = -Infinity;
        draw(false);
      } else lastDraw = t0;
    },
    record(r) {
      done++;
      computed++;
      last = summary(r);
      draw(false);
    },
    failure(f) {
      failures++;
      last = `FAILED ${f.message.length > 60 ? f.message.slice(0, 57) + '...' : f.message}`;
      draw(false);
    },
    end() {
      draw(true);
    },
  };
}

/** One run in a few words: data, model, seed, verdict, N_Delta, wall time. */
export function summary(r: RunRecord): string {
  const c = r.item.config;
  const d = c.data;
  const data = d.kind === 'file' ? `file ${d.path}` : `${d.kind} P=${d.P} d=${d.d}`;
  const res = r.results;
  return `${data} h=${c.model.h} L=${c.model.L} seed=${c.seed}: ${res.verdict} N_Delta=${res.nDelta} N=${res.N} ${r.wallSeconds.toFixed(1)}s`;
}

function duration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s - m * 60)).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h${String(m - h * 60).padStart(2, '0')}m`;
}

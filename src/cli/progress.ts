/**
 * Progress of a long run: rewritten in place on a terminal (at most 5 times a second), one plain
 * line every 10 s elsewhere, so logs and CI stay short and line-based. Written to stderr so --json
 * output on stdout stays clean.
 */
export function progressPrinter(label: string, now: () => number = () => performance.now()): (p: { step: number; loss: number; nDelta: number }) => void {
  const tty = process.stderr.isTTY === true;
  const every = tty ? 200 : 10_000;
  let last = -Infinity;
  return ({ step, loss, nDelta }) => {
    const t = now();
    if (t - last < every) return;
    last = t;
    const line = `${label} step ${step}  loss ${loss.toExponential(4)}  N_Delta ${nDelta}`;
    if (tty) process.stderr.write(`\r\x1b[K${line}`);
    else process.stderr.write(line + '\n');
  };
}

export function endProgress(): void {
  if (process.stderr.isTTY === true) process.stderr.write('\n');
}

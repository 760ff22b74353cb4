/**
 * Progress of a long run: rewritten in place on a terminal, one plain line per report elsewhere
 * (logs and CI stay line-based). Written to stderr so --json output on stdout stays clean.
 */
export function progressPrinter(label: string): (p: { step: number; loss: number; nDelta: number }) => void {
  const tty = process.stderr.isTTY === true;
  return ({ step, loss, nDelta }) => {
    const line = `${label} step ${step}  loss ${loss.toExponential(4)}  N_Delta ${nDelta}`;
    if (tty) process.stderr.write(`\r\x1b[K${line}`);
    else process.stderr.write(line + '\n');
  };
}

export function endProgress(): void {
  if (process.stderr.isTTY === true) process.stderr.write('\n');
}

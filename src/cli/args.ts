import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../util/errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Strict option parsing: an unknown flag or a missing value is an InputError naming the flag. */
export function parseFlags(argv: string[], options: Options): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (e) {
    const msg = (e as Error).message;
    const flag = /'(-[^']+)'/.exec(msg)?.[1] ?? 'arguments';
    throw new InputError(flag, argv.join(' '), `the flags listed by --help (${msg.split('\n')[0]})`);
  }
}

/** A numeric flag: the value must parse completely as a finite number (an integer when asked). */
export function numberFlag(
  flags: Record<string, string | boolean | undefined>,
  name: string,
  fallback: number | undefined,
  opts: { integer?: boolean; min?: number; max?: number } = {},
): number {
  const raw = flags[name];
  if (raw === undefined) {
    if (fallback === undefined) throw new InputError(`--${name}`, undefined, 'a value (this flag is required)');
    return fallback;
  }
  const v = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  const min = opts.min ?? -Infinity;
  const max = opts.max ?? Infinity;
  if (!Number.isFinite(v) || (opts.integer && !Number.isInteger(v)) || v < min || v > max) {
    const kind = opts.integer ? 'an integer' : 'a number';
    const range = `${Number.isFinite(min) ? ` >= ${min}` : ''}${Number.isFinite(max) ? ` and <= ${max}` : ''}`;
    throw new InputError(`--${name}`, raw, `${kind}${range}`);
  }
  return v;
}

export function stringFlag(flags: Record<string, string | boolean | undefined>, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}

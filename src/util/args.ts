import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from './errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Strict option parsing: an unknown flag or a missing value is an InputError naming the flag. */
export function parseFlags(argv: string[], options: Options): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as Record<string, string | boolean | undefined>;
  } catch (e) {
    const msg = (e as Error).message;
    const flag = /'(--?[\w-]+)/.exec(msg)?.[1] ?? 'arguments';
    const at = argv.indexOf(flag);
    if (/ambiguous/.test(msg) && at >= 0) {
      // "--P -3": the value starts with a dash; say what was meant and how to write it
      throw new InputError(flag, argv[at + 1], `a value written ${flag}=${argv[at + 1]} when it starts with a dash`);
    }
    if (/argument missing/.test(msg)) throw new InputError(flag, undefined, 'a value after the flag');
    throw new InputError(flag, flag, `the flags listed by --help (${msg.split('\n')[0]})`);
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

/**
 * Bad input gets one kind of error: it names the field, the value received and what is allowed.
 * Every validation in the project throws this, so the CLI can print it as one line and exit 2.
 */
export class InputError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`${field}: got ${show(value)}; allowed: ${allowed}`);
    this.name = 'InputError';
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? value.slice(0, 77) + '...' : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? s.slice(0, 77) + '...' : s;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** An integer in [min, max]; the CLI and run files both go through here. */
export function requireInt(field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError(field, value, `an integer from ${min} to ${max === Number.MAX_SAFE_INTEGER ? 'any size' : max}`);
  }
  return value;
}

/** A finite number in (min, max) or [min, max]. */
export function requireFinite(field: string, value: unknown, min = -Infinity, max = Infinity, open = false): number {
  const ok =
    typeof value === 'number' && Number.isFinite(value) && (open ? value > min && value < max : value >= min && value <= max);
  if (!ok) {
    const range = `${open ? '(' : '['}${min}, ${max}${open ? ')' : ']'}`;
    throw new InputError(field, value, `a finite number in ${range}`);
  }
  return value as number;
}

/** One of a fixed set of strings. */
export function requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InputError(field, value, `one of ${allowed.join(', ')}`);
  }
  return value as T;
}

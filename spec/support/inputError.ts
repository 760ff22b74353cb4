import { expect } from 'vitest';
import { InputError } from '../../src/util/errors.ts';

/** The InputError that f throws (a spec failure when it throws anything else, or nothing). */
export function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('no InputError thrown');
}

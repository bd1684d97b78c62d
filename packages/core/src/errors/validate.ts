import { ValidationError } from './errors';

/**
 * Small validators shared by every engine's public entry points. Each throws a ValidationError that names the
 * field path, what was expected and what was found.
 */

export function assertFiniteNumber(value: unknown, path: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ValidationError(path, 'a finite number', value);
}

export function assertPositiveNumber(value: unknown, path: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new ValidationError(path, 'a finite number > 0', value);
}

export function assertNumberInRange(value: unknown, path: string, min: number, max: number, inclusive: '[]' | '()' | '[)' | '(]' = '[]'): asserts value is number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (inclusive[0] === '[' ? value >= min : value > min) &&
    (inclusive[1] === ']' ? value <= max : value < max);
  if (!ok) throw new ValidationError(path, `a number in ${inclusive[0]}${min}, ${max}${inclusive[1]}`, value);
}

export function assertInteger(value: unknown, path: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(path, `an integer in [${min}, ${max}]`, value);
  }
}

/** Accepts number[] and every typed array of numbers. */
export function assertNumericArray(value: unknown, path: string): asserts value is ArrayLike<number> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (typeof value[i] !== 'number') throw new ValidationError(`${path}[${i}]`, 'a number', value[i]);
    }
    return;
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array)) return;
  throw new ValidationError(path, 'an array or typed array of numbers', value);
}

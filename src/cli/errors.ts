import { InvalidArgumentError } from 'commander';

/** An error caused by the user's input (missing file, bad data...): printed as one line, no stack. */
export class UsageError extends Error {}

/** Parses an integer flag value with bounds, or throws a one-line error naming the flag. */
export function intOption(flag: string, min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^[-+]?\d+$/.test(value.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(
        `${flag} must be an integer${max < Number.MAX_SAFE_INTEGER ? ` between ${min} and ${max}` : ` >= ${min}`}, got '${value}'.`,
      );
    }
    return n;
  };
}

/** Parses a number flag value in an open/closed range, or throws a one-line error naming the flag. */
export function numberOption(flag: string, check: (n: number) => boolean, rule: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || !check(n)) throw new InvalidArgumentError(`${flag} must be ${rule}, got '${value}'.`);
    return n;
  };
}

/** Accepts one of `choices`, or throws a one-line error listing them. */
export function choiceOption<T extends string>(flag: string, choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`${flag} must be one of ${choices.join(', ')}, got '${value}'.`);
    return value as T;
  };
}

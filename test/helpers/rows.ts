/**
 * Elements a test expects to be there. Each fails the test with a message saying what was expected
 * and what came, instead of a `!` that turns a missing row into a TypeError three lines later.
 */

/** The only element of a list: none, or more than one, fails. */
export function one<T>(list: readonly T[], what = 'row'): T {
  const [item] = list;
  if (item === undefined || list.length !== 1) {
    throw new Error(`Expected exactly one ${what}, got ${list.length}: ${preview(list)}`);
  }
  return item;
}

/** The element at `index` (negative counts from the end, as `Array.at`). */
export function nth<T>(list: readonly T[], index: number, what = 'row'): T {
  const item = list.at(index);
  if (item === undefined)
    throw new Error(`Expected a ${what} at ${index}, got ${list.length}: ${preview(list)}`);
  return item;
}

export const firstOf = <T>(list: readonly T[], what = 'row'): T => nth(list, 0, what);
export const lastOf = <T>(list: readonly T[], what = 'row'): T => nth(list, -1, what);

/** A value the test needs to be present (a map entry, an optional field). */
export function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`Expected ${what}, got nothing`);
  return value;
}

function preview(list: readonly unknown[]): string {
  const text = JSON.stringify(list.slice(0, 3));
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

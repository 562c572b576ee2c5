/**
 * Rows a statement cannot fail to give: `insert … returning`, or a lookup by a key that a foreign key
 * or the same transaction guarantees. An empty result is a bug (an invariant failure), never a refusal:
 * a row the caller may name wrongly is looked up where its absence becomes a TicketError instead.
 */
export function one<T>(rows: readonly T[], what: string): T {
  return at(rows, 0, what);
}

/** The element at an index the code computed within bounds (a modulo, a known length). */
export function at<T>(list: readonly T[], index: number, what: string): T {
  const item = list[index];
  if (item === undefined) throw new Error(`Invariant failed: no ${what} at ${index} of ${list.length}`);
  return item;
}

type Tuple<T, N extends number, R extends T[] = []> = R['length'] extends N ? R : Tuple<T, N, [...R, T]>;

/** The n rows an `insert … returning` of n values gives, as a tuple to destructure. */
export function exactly<T, N extends number>(rows: readonly T[], n: N, what: string): Tuple<T, N> {
  if (rows.length !== n) throw new Error(`Invariant failed: ${rows.length} ${what} rows, not ${n}`);
  return rows as unknown as Tuple<T, N>;
}

import { type Column as DbColumn, type SQL, sql } from 'drizzle-orm';
import type { Cell, RunContext } from './types.ts';

/**
 * A list column: one SQL value that the row shows, the inline filter tests and the sort orders by,
 * so what a list shows, finds and sorts can never disagree.
 */
export interface Column<T extends Cell = Cell> {
  value: SQL;
  /** The condition `filter=on&COLUMN=wanted` puts on the rows. */
  filter(wanted: string): SQL;
  /** What the rows are ordered by (usually the value itself). */
  sort: SQL;
  /** The database value as the row carries it. */
  read(value: unknown): T;
  /**
   * For a value computed from `now` (the queue weight): an indexed, stored `base` and a `slack` with
   * value ≤ base + slack on every row, never null. A descending page then reads only the
   * rows whose base can still reach it (see `listQuery`), in the same order as sorting all of them.
   */
  ceiling?: { base: DbColumn; slack: number };
}

/** The row a list's columns give: each cell typed by its column. */
export type RowOf<C extends Record<string, Column>> = { [K in keyof C]: ReturnType<C[K]['read']> };

/**
 * ICU's root collation: JavaScript's `localeCompare` order (case and accents only break ties), the same
 * on Postgres and PGlite whatever the database's own locale. Digits inside text sort as characters.
 */
const collated = (value: SQL | DbColumn) => sql`(${value} collate "und-x-icu")`;
const absent = (value: unknown) => value === null || value === undefined;

/** Free text: filtered case-insensitively by substring, sorted alphabetically. */
export function textColumn(value: SQL | DbColumn): Column<string | undefined> {
  return {
    value: sql`${value}`,
    filter: (wanted) => sql`strpos(lower(${collated(value)}), lower(${collated(sql`${wanted}::text`)})) > 0`,
    sort: collated(value),
    read: (v) => (absent(v) ? undefined : String(v)),
  };
}

/** A whole number; `code` ones (status, priority) are shown as strings, as BILLmanager sends them. */
export function intColumn(value: SQL | DbColumn): Column<number | undefined>;
export function intColumn(value: SQL | DbColumn, shown: 'number'): Column<number | undefined>;
export function intColumn(value: SQL | DbColumn, shown: 'code'): Column<string | undefined>;
export function intColumn(value: SQL | DbColumn, shown: 'number' | 'code' = 'number'): Column {
  return {
    value: sql`${value}`,
    // Matches the number written as the row shows it ("7", not "07"): anything else matches nothing.
    filter: (wanted) => {
      const n = Number(wanted.trim());
      return Number.isSafeInteger(n) && String(n) === wanted.trim() && Math.abs(n) < 2 ** 31
        ? sql`${value} = ${n}`
        : sql`false`;
    },
    sort: sql`${value}`,
    read: (v) => (absent(v) ? undefined : shown === 'code' ? String(Number(v)) : Number(v)),
  };
}

/**
 * An amount of money (numeric): shown as the database writes it (`-20.50`, whatever the driver makes
 * of numerics), found by substring of that, sorted by amount.
 */
export function moneyColumn(value: DbColumn): Column<string | undefined> {
  return {
    value: sql`${value}::text`,
    filter: (wanted) => sql`strpos(${value}::text, ${wanted}::text) > 0`,
    sort: sql`${value}`,
    read: (v) => (absent(v) ? undefined : String(v)),
  };
}

/** An on/off flag: `on`, `yes`, `true` or `1` find the set ones, anything else the others. */
export function flagColumn(value: SQL | DbColumn): Column<boolean> {
  return {
    value: sql`coalesce(${value}, false)`,
    filter: (wanted) => {
      const on = ['on', 'yes', 'true', '1'].includes(wanted.toLowerCase());
      return on ? sql`coalesce(${value}, false)` : sql`not coalesce(${value}, false)`;
    },
    sort: sql`coalesce(${value}, false)`,
    read: (v) => v === true || v === 't',
  };
}

/** A timestamp, found by substring of its wire form `YYYY-MM-DD HH:MM:SS` (UTC). */
export function dateColumn(value: DbColumn): Column<Date | null> {
  return {
    value: sql`${value}`,
    filter: (wanted) => sql`strpos(${wireDate(value)}, lower(${wanted}::text)) > 0`,
    sort: sql`${value}`,
    read: (v) => (absent(v) ? null : (value.mapFromDriverValue(v) as Date)),
  };
}

export const wireDate = (value: SQL | DbColumn) =>
  sql`to_char(${value} at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS')`;

/** `now` as SQL: one timestamp for the whole call, as JavaScript sees it. */
export const sqlNow = (ctx: Pick<RunContext, 'now'>) => sql`${ctx.now.toISOString()}::timestamptz`;

import { and, type Column as DbColumn, type SQL, sql } from 'drizzle-orm';
import { PgDialect, type PgTable } from 'drizzle-orm/pg-core';
import type { Column, RowOf } from './list-columns.ts';
import type { ListResult, Row, RunContext, SqlList } from './types.ts';

/** Parameters every list takes, as BILLmanager names them. */
export const LIST_PARAMS = ['p_num', 'p_cnt', 'p_sort', 'p_order', 'filter'] as const;
const DEFAULT_PAGE_SIZE = 30;
const MAX_PAGE_SIZE = 1000;

/** Where a list's rows come from and how to show them. */
export interface ListSource<C extends Record<string, Column> = Record<string, Column>> {
  /** The table a row is one row of. */
  table: PgTable;
  /**
   * The joins the columns need: left joins on unique keys, which Postgres drops from a count or page
   * query that does not use them. Kept apart from the table so the page's rows come first in the join.
   */
  joins: SQL;
  id: DbColumn;
  columns: C;
}

/**
 * A selected value with its columns' table names kept: drizzle drops them from the top level of a
 * selection whose FROM is SQL (it takes it for a single table), one level down it leaves them.
 */
const qualified = (value: SQL) => sql`${value}`;

/** The rows matching `where` with every column. */
export async function readRows<C extends Record<string, Column>>(
  ctx: Pick<RunContext, 'tx'>,
  source: ListSource<C>,
  where: SQL | undefined,
): Promise<RowOf<C>[]> {
  const entries = Object.entries(source.columns);
  const found = await ctx.tx
    .select(selection(entries))
    .from(sql`${source.table} ${source.joins}`)
    .where(where);
  return found.map((row) => toRow(entries, row) as RowOf<C>);
}

const selection = (entries: [string, Column][]) =>
  Object.fromEntries(entries.map(([key, column]) => [key, qualified(column.value)]));

const toRow = (entries: [string, Column][], raw: Record<string, unknown>): Row =>
  Object.fromEntries(entries.map(([key, column]) => [key, column.read(raw[key])]));

/**
 * A list request as one SQL statement: the inline filter (`filter=on&COLUMN=VALUE`) and the default
 * view become the WHERE, `p_sort`/`p_order` the ORDER BY (ties by id ascending, so pages never
 * overlap), `p_cnt`/`p_num` the LIMIT/OFFSET, clamped to the last page by the count it carries. One
 * statement: one snapshot and one round trip.
 * The benchmark EXPLAINs this very query.
 */
export function listQuery(
  ctx: RunContext,
  list: SqlList,
  raw: Record<string, string>,
  fieldParams: readonly string[],
) {
  const { columns, table, joins, id } = list.source;
  // Keys are checked against the columns (or are the function's own default sort).
  const column = (key: string) => {
    const found = columns[key];
    if (!found) throw new Error(`Invariant failed: no list column ${key}`);
    return found;
  };
  const from = sql`${table} ${joins}`;
  // Only parameters that are not the function's own are column filters; own properties only, so
  // `constructor` or `__proto__` from a request are no columns.
  const filters =
    raw.filter === 'on'
      ? Object.entries(raw).filter(
          ([key, value]) =>
            value !== '' && !fieldParams.includes(key) && Object.hasOwn(columns, key) && !isReserved(key),
        )
      : [];
  const named = new Set(filters.map(([key]) => key));
  const where =
    and(
      list.where,
      // The default view (open tickets, unarchived ones) gives way to a filter on its own column.
      ...Object.entries(list.defaults ?? {})
        .filter(([key]) => !named.has(key))
        .map(([, condition]) => condition),
      ...filters.map(([key, value]) => column(key).filter(value)),
    ) ?? sql`true`;
  const sort = raw.p_sort && Object.hasOwn(columns, raw.p_sort) ? raw.p_sort : list.defaultSort;
  const order = raw.p_order === 'asc' || raw.p_order === 'desc' ? raw.p_order : list.defaultOrder;
  const { sort: key, ceiling } = column(sort);
  // By id alone when the sort is the id: ids are never null, and Postgres reads an id order off the
  // primary key only when no NULLS FIRST/LAST differs from the key's own.
  const orderBy = sameSql(key, sql`${id}`)
    ? sql`${id} ${sql.raw(order)}`
    : sql`${key} ${sql.raw(order === 'asc' ? 'asc nulls first' : 'desc nulls last')}, ${id} asc`;
  const { cnt, num } = requestedPage(raw);
  // The page size is a literal (a whole number up to MAX_PAGE_SIZE): as a parameter, a generic plan
  // guesses a tenth of the rows for the LIMIT and Postgres keeps planning the page every call.
  const size = sql.raw(String(cnt));
  const total = ctx.tx.$with('total').as(
    ctx.tx
      .select({ n: sql<number>`count(*)`.as('n') })
      .from(readsJoins(joins, where) ? from : sql`${table}`)
      .where(where),
  );
  // A page past the end is the last page. The first page (the one nearly every call asks for) starts
  // at a literal 0: an offset Postgres must wait for makes it plan for a tenth of the rows, and it
  // then reads the queue's whole index instead of its first entries.
  const offset =
    num === 1
      ? sql`0`
      : sql`(select (least(${num}::bigint, greatest(1, ceil(n::numeric / ${size}))::bigint) - 1) * ${size} from total)`;
  // The page's ids are found without the joins when neither filter nor sort reads them.
  const pageFrom = readsJoins(joins, sql`${where} ${key}`) ? from : sql`${table}`;
  const candidates =
    ceiling && order === 'desc'
      ? reachable(pageFrom, where, key, ceiling, sql`${offset} + ${size}`)
      : sql`true`;
  const entries = Object.entries(columns);
  return {
    sort,
    order,
    cnt,
    num,
    entries,
    inline: filters.length > 0,
    query: () =>
      ctx.tx
        .with(total)
        .select({
          ...selection(entries),
          elems: sql<number>`(select n from total)`.mapWith(Number),
        })
        // The page's ids first, then the columns for those rows only: Postgres joins 30 rows, not all.
        .from(
          sql`(select ${id} as page_id from ${pageFrom} where ${where} and ${candidates}
               order by ${orderBy} limit ${size} offset ${offset}) as page
              join ${table} on ${id} = page.page_id ${joins}`,
        )
        .orderBy(orderBy),
  };
}

const dialect = new PgDialect();

/**
 * Whether SQL reads a table the joins bring in (by its name or alias). Postgres drops unused left
 * joins itself, but planning four copies of them cost more than running the queue's page, and a
 * count over the joins reads the table's heap instead of counting an index alone.
 */
function readsJoins(joins: SQL, value: SQL): boolean {
  const joined = [...dialect.sqlToQuery(joins).sql.matchAll(/join "([^"]+)"(?: as "([^"]+)")?/g)].map(
    ([, name, as]) => `"${as ?? name}".`,
  );
  const text = dialect.sqlToQuery(value).sql;
  return joined.some((qualifier) => text.includes(qualifier));
}

const sameSql = (a: SQL, b: SQL) => dialect.sqlToQuery(a).sql === dialect.sqlToQuery(b).sql;

/**
 * The rows that can be among the first `upTo` of a descending sort by a `ceiling` column, without
 * computing the value for every row: the `upTo` rows with the highest base (read in index order) have
 * values whose minimum m the `upTo`-th value reaches at least, and a row with base < m − slack has a
 * value below m. So the page is the same as over all rows, ties included (a dropped row is strictly below).
 */
function reachable(
  from: SQL,
  where: SQL,
  value: SQL,
  ceiling: NonNullable<Column['ceiling']>,
  upTo: SQL,
): SQL {
  const { base, slack } = ceiling;
  return sql`${base} >= (select min(seed.value) - ${slack}
    from (select ${value} as value from ${from} where ${where} order by ${base} desc limit ${upTo}) as seed)`;
}

/** Counts, pages (past the last page gives the last one) and reads a list's rows in one statement. */
export async function pageList(
  ctx: RunContext,
  list: SqlList,
  raw: Record<string, string>,
  fieldParams: readonly string[],
): Promise<ListResult> {
  const { sort, order, cnt, num, entries, inline, query } = listQuery(ctx, list, raw, fieldParams);
  // Without inline filters the statement's text is one of a few per list (saved filter, sort, page
  // size; every value a parameter), so it is prepared: Postgres plans it once per connection (a
  // generic plan where that is no costlier) instead of every call, where planning took 3–5 ms of an
  // 11 ms queue page (BENCHMARKS.md). Inline filters are the caller's own; they are planned each
  // time, so no request can grow the connections' statement caches without bound.
  const found = inline ? await query() : await query().prepare('list').execute();
  // The page is empty only when the list is: the count rides on every row.
  const elems = found[0]?.elems ?? 0;
  return {
    kind: 'list',
    rows: found.map((row) => toRow(entries, row)),
    page: { num: Math.min(num, Math.max(1, Math.ceil(elems / cnt))), cnt, elems, sort, order },
  };
}

/** A list parameter or an API-level one: never a column filter. */
export function isReserved(key: string): boolean {
  return (
    (LIST_PARAMS as readonly string[]).includes(key) ||
    ['func', 'out', 'auth', 'authinfo', 'su', 'lang', 'sok'].includes(key)
  );
}

/** `p_cnt` (default 30, at most 1000) and `p_num` as asked; past the last page is clamped by the caller. */
export function requestedPage(raw: Record<string, string>): { cnt: number; num: number } {
  return {
    cnt: clampInt(raw.p_cnt, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
    num: clampInt(raw.p_num, 1, 1, Number.MAX_SAFE_INTEGER),
  };
}

function clampInt(value: string | undefined, fallback: number, min: number, max: number): number {
  if (!value || !/^\d+$/.test(value.trim())) return fallback;
  return Math.min(max, Math.max(min, Number(value)));
}

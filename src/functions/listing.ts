import { formatDateTime } from '../domain/tickets.ts';
import type { Cell, ListResult, RawList } from './types.ts';

/** Parameters every list takes, as BILLmanager names them. */
export const LIST_PARAMS = ['p_num', 'p_cnt', 'p_sort', 'p_order', 'filter'] as const;
const DEFAULT_PAGE_SIZE = 30;
const MAX_PAGE_SIZE = 1000;

/** Applies an inline filter (`filter=on&FIELD=VALUE`), sorting and paging to a function's rows. */
export function pageList(
  list: RawList,
  raw: Record<string, string>,
  fieldParams: readonly string[],
): ListResult {
  let rows = list.rows;
  if (raw.filter === 'on') {
    // Only parameters that are not the function's own are column filters.
    const columns = Object.entries(raw).filter(
      ([key, value]) =>
        value !== '' &&
        !fieldParams.includes(key) &&
        rows.some((row) => Object.hasOwn(row, key)) &&
        !isReserved(key),
    );
    rows = rows.filter((row) => columns.every(([key, value]) => matches(row[key], value)));
  }
  // Own properties only: `constructor` or `__proto__` from a request must not reach Object.prototype.
  const sortable =
    raw.p_sort && rows.some((row) => Object.hasOwn(row, raw.p_sort) && row[raw.p_sort] !== undefined);
  const sort = sortable ? raw.p_sort : list.defaultSort;
  const order = raw.p_order === 'asc' || raw.p_order === 'desc' ? raw.p_order : list.defaultOrder;
  const sign = order === 'asc' ? 1 : -1;
  rows = [...rows].sort((a, b) => sign * compare(a[sort], b[sort]) || compare(a.id, b.id));

  const cnt = clampInt(raw.p_cnt, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
  const lastPage = Math.max(1, Math.ceil(rows.length / cnt));
  const num = Math.min(clampInt(raw.p_num, 1, 1, Number.MAX_SAFE_INTEGER), lastPage);
  return {
    kind: 'list',
    rows: rows.slice((num - 1) * cnt, num * cnt),
    page: { num, cnt, elems: rows.length, sort, order },
  };
}

function isReserved(key: string): boolean {
  return (
    (LIST_PARAMS as readonly string[]).includes(key) ||
    ['func', 'out', 'auth', 'authinfo', 'su', 'lang', 'sok'].includes(key)
  );
}

function matches(cell: Cell, wanted: string): boolean {
  if (cell === undefined || cell === null) return false;
  if (typeof cell === 'boolean') return cell === ['on', 'yes', 'true', '1'].includes(wanted.toLowerCase());
  if (typeof cell === 'number') return String(cell) === wanted.trim();
  // Dates are matched as they are shown on the wire: YYYY-MM-DD HH:MM:SS.
  const text = cell instanceof Date ? formatDateTime(cell) : cell;
  return text.toLowerCase().includes(wanted.toLowerCase());
}

function compare(a: Cell, b: Cell): number {
  if (a === b) return 0;
  if (a === undefined || a === null || a === false) return -1;
  if (b === undefined || b === null || b === false) return 1;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), 'en', { numeric: true });
}

function clampInt(value: string | undefined, fallback: number, min: number, max: number): number {
  if (!value || !/^\d+$/.test(value.trim())) return fallback;
  return Math.min(max, Math.max(min, Number(value)));
}

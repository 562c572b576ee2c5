import { formatDateTime } from '../domain/tickets.ts';
import { isReserved, requestedPage } from './listing.ts';
import type { Cell, ListResult, RowList } from './types.ts';

/**
 * Inline filter (`filter=on&FIELD=VALUE`), sorting and paging of a list built whole in memory. Only the
 * provisioning lists are built so (a provider has tens of departments and staff); ticket and message
 * lists, which grow without bound, page in SQL (listing.ts) with the same parameters and rules.
 */
export function pageRows(
  list: RowList,
  raw: Record<string, string>,
  fieldParams: readonly string[],
): ListResult {
  let rows = list.rows;
  // Own properties only: `constructor` or `__proto__` from a request must not reach Object.prototype.
  const has = (key: string) => rows.some((row) => Object.hasOwn(row, key));
  if (raw.filter === 'on') {
    const columns = Object.entries(raw).filter(
      ([key, value]) => value !== '' && !fieldParams.includes(key) && has(key) && !isReserved(key),
    );
    rows = rows.filter((row) => columns.every(([key, value]) => matches(row[key], value)));
  }
  const sort = raw.p_sort && has(raw.p_sort) ? raw.p_sort : list.defaultSort;
  const order = raw.p_order === 'asc' || raw.p_order === 'desc' ? raw.p_order : list.defaultOrder;
  const sign = order === 'asc' ? 1 : -1;
  rows = [...rows].sort((a, b) => sign * compare(a[sort], b[sort]) || compare(a.id, b.id));
  const { cnt, num: asked } = requestedPage(raw);
  const num = Math.min(asked, Math.max(1, Math.ceil(rows.length / cnt)));
  return {
    kind: 'list',
    rows: rows.slice((num - 1) * cnt, num * cnt),
    page: { num, cnt, elems: rows.length, sort, order },
  };
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

import { inArray, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  clients,
  departments,
  favorites,
  messages,
  providers,
  readMarks,
  tickets,
  users,
  violations,
} from '../../db/schema.ts';
import { statusOfCode } from '../domain/tickets.ts';
import {
  type Column,
  dateColumn,
  flagColumn,
  intColumn,
  type RowOf,
  sqlNow,
  textColumn,
  wireDate,
} from './list-columns.ts';
import { type ListSource, readRows } from './listing.ts';
import type { Cell, RunContext } from './types.ts';

const responsible = alias(users, 'responsible');
const locker = alias(users, 'locker');
const epoch = (value: SQL | typeof tickets.deadline) => sql`extract(epoch from ${value})`;

/**
 * `queueWeight` (domain/tickets.ts) in SQL, so the queue sorts and pages in the database. The stored
 * `queue_base` is the time-independent part (premium included: `tickets.client_premium` follows the
 * client); the waiting and deadline parts come from `now`.
 */
export function queueWeightSql(now: SQL): SQL {
  const left = sql`floor((${epoch(tickets.deadline)} - ${epoch(now)}) / 60)`;
  return sql`greatest(1, ${tickets.queueBase}
    + case when ${tickets.waitingSince} is null then 0
        else least(720, floor((${epoch(now)} - ${epoch(tickets.waitingSince)}) / 240)) end
    + case when ${tickets.deadline} is null then 0 when ${left} < 0 then 1500
        else greatest(0, 1000 - ${left}) end)::int`;
}

/**
 * The most `now` adds to `queue_base` in `queueWeight`: the longest wait 720, an overdue deadline
 * 1500. The queue pages by it without weighing every open ticket.
 */
export const QUEUE_SLACK = 720 + 1500;

/**
 * `delay` (domain/tickets.ts) in SQL: `Nd+HH:MM` since the client began waiting ('' when nobody owes
 * an answer), sorted by the whole minutes behind it.
 */
export function delayColumn(now: SQL): Column<string | undefined> {
  const minutes = sql`greatest(0, floor((${epoch(now)} - ${epoch(tickets.waitingSince)}) / 60))::bigint`;
  const shown = sql`case when ${tickets.waitingSince} is not null then
      (${minutes} / 1440)::text || 'd+' || lpad((${minutes} % 1440 / 60)::text, 2, '0')
      || ':' || lpad((${minutes} % 60)::text, 2, '0') else '' end`;
  return {
    ...textColumn(shown),
    sort: sql`case when ${tickets.waitingSince} is not null then ${minutes} end`,
  };
}

/** What a queue read needs: a connection, the call's `now` and settings. */
type ReadContext = Pick<RunContext, 'tx' | 'now' | 'settings'>;

/**
 * The staff queue as a list source: every spec column and `props` flag derived from the data as the
 * `viewer` sees it (favorites and unread are theirs; with no viewer, nobody's: a shared card).
 */
export function queueSource(ctx: ReadContext, viewer: number | null) {
  const me = viewer;
  const now = sqlNow(ctx);
  const locked = sql`(${tickets.lockedBy} is not null and ${tickets.lockedUntil} > ${now})`;
  // A scalar subquery, not EXISTS: Postgres would hash every violation to answer it for 30 rows.
  const abuse = sql`((select true from ${violations} where ${violations.ticketId} = ${tickets.id} limit 1) is not null)`;
  return {
    table: tickets,
    joins: sql`      left join ${clients} on ${clients.id} = ${tickets.clientId}
      left join ${departments} on ${departments.id} = ${tickets.departmentId}
      left join ${providers} on ${providers.id} = ${departments.providerId}
      left join ${users} as ${responsible} on ${responsible.id} = ${tickets.responsibleId}
      left join ${users} as ${locker} on ${locker.id} = ${tickets.lockedBy}
      left join ${favorites} on ${favorites.ticketId} = ${tickets.id} and ${favorites.userId} = ${me}
      left join ${readMarks} on ${readMarks.ticketId} = ${tickets.id} and ${readMarks.userId} = ${me}`,
    id: tickets.id,
    columns: {
      id: intColumn(tickets.id),
      ticket: intColumn(tickets.id),
      name: textColumn(tickets.name),
      client: textColumn(clients.name),
      client_id: intColumn(tickets.clientId),
      delay: delayColumn(now),
      deadline: dateColumn(tickets.deadline),
      responsible: textColumn(sql`coalesce(${responsible.name}, ${departments.name})`),
      project: textColumn(providers.name),
      department: textColumn(departments.name),
      department_id: intColumn(tickets.departmentId),
      queue: { ...intColumn(queueWeightSql(now)), ceiling: { base: tickets.queueBase, slack: QUEUE_SLACK } },
      tstatus: intColumn(tickets.status, 'code'),
      priority: intColumn(tickets.priority, 'code'),
      client_priority: intColumn(tickets.clientPriority, 'code'),
      unread: flagColumn(
        sql`(select max(${messages.id}) from ${messages} where ${messages.ticketId} = ${tickets.id} and ${messages.authorId} <> ${me}) > coalesce(${readMarks.lastMessageId}, 0)`,
      ),
      favorite: flagColumn(sql`${favorites.ticketId} is not null`),
      highpriority: flagColumn(tickets.highPriority),
      abuse: flagColumn(abuse),
      abuse_id: intColumn(sql`case when ${abuse} then ${tickets.clientId} end`, 'code'),
      premium: flagColumn(tickets.clientPremium),
      attitude: intColumn(clients.attitude, 'code'),
      accgroup: flagColumn(sql`cardinality(${clients.groups}) > 0`),
      note: flagColumn(
        sql`exists (select 1 from ${messages} where ${messages.ticketId} = ${tickets.id} and ${messages.internal})`,
      ),
      from_gate: flagColumn(tickets.fromGate),
      from_abuse_process: flagColumn(tickets.fromAbuseProcess),
      // Who took the lock and when, as BILLmanager shows it (the lock lasts LOCK_MINUTES from then).
      blocked_by: textColumn(
        sql`case when ${locked} then ${locker.name} || ', ' || ${wireDate(sql`(${tickets.lockedUntil} - make_interval(mins => ${ctx.settings.lockMinutes}::int))`)} end`,
      ),
      responsible_id: intColumn(tickets.responsibleId),
      locked_by_id: intColumn(sql`case when ${locked} then ${tickets.lockedBy} end`),
      // When the lock ends (meaningful while blocked_by is set): "locked by X until 14:30" in the reader's zone.
      locked_until: dateColumn(tickets.lockedUntil),
    },
  } satisfies ListSource;
}

/** A row of the staff queue, each column typed. */
export type QueueRow = RowOf<ReturnType<typeof queueSource>['columns']>;

/**
 * The staff queue's rows for the tickets matching `where` as `viewer` sees them: shared cards and
 * digests read them with no viewer.
 */
export function queueRows(
  ctx: ReadContext,
  viewer: number | null,
  where: SQL | undefined,
): Promise<QueueRow[]> {
  return readRows(ctx, queueSource(ctx, viewer), where);
}

/**
 * What the domain rules (`countsDown`, `isClosed`) ask of a ticket, from its queue row (or a view's
 * row of the same columns).
 */
export function queueTicketState(row: { tstatus?: Cell; deadline?: Cell; delay?: Cell }) {
  return {
    status: statusOfCode(row.tstatus === undefined ? undefined : String(row.tstatus)),
    deadline: row.deadline instanceof Date ? row.deadline : null,
    waiting: typeof row.delay === 'string' && row.delay !== '',
  };
}

export const ticketIdIn = (ids: number[]) => inArray(tickets.id, ids);

/**
 * Tickets of one status (a saved filter's `tstatus`), the status a literal: list pages are prepared
 * statements, and a generic plan with the status as a parameter cannot use the partial indexes
 * (`tickets_status_queue_idx` made closed tickets 5× slower as a parameter).
 */
export const statusIs = (code: string) => sql`${tickets.status} = ${sql.raw(String(statusOfCode(code)))}`;

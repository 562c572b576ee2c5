import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
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
import { delay, queueWeight } from '../domain/tickets.ts';
import { blockedBy } from './store.ts';
import type { Row, RunContext } from './types.ts';

const responsible = alias(users, 'responsible');
const locker = alias(users, 'locker');

/**
 * The staff queue's rows for the tickets matching `where`, with every spec column and `props` flag
 * derived from the data as the calling staff member sees it (favorites and unread are theirs).
 */
export async function queueRows(ctx: RunContext, where: SQL | undefined): Promise<Row[]> {
  const me = ctx.session.userId;
  const found = await ctx.tx
    .select({
      t: tickets,
      client: clients.name,
      premium: clients.premium,
      attitude: clients.attitude,
      groups: clients.groups,
      department: departments.name,
      project: providers.name,
      responsible: responsible.name,
      locker: locker.name,
      favorite: sql<boolean>`${favorites.ticketId} is not null`,
      lastRead: readMarks.lastMessageId,
      lastMessage: sql<
        number | null
      >`(select max(${messages.id}) from ${messages} where ${messages.ticketId} = ${tickets.id} and ${messages.authorId} <> ${me})`,
      notes: sql<boolean>`exists (select 1 from ${messages} where ${messages.ticketId} = ${tickets.id} and ${messages.internal})`,
      abuse: sql<boolean>`exists (select 1 from ${violations} where ${violations.ticketId} = ${tickets.id})`,
    })
    .from(tickets)
    .innerJoin(clients, eq(clients.id, tickets.clientId))
    .innerJoin(departments, eq(departments.id, tickets.departmentId))
    .innerJoin(providers, eq(providers.id, departments.providerId))
    .leftJoin(responsible, eq(responsible.id, tickets.responsibleId))
    .leftJoin(locker, eq(locker.id, tickets.lockedBy))
    .leftJoin(favorites, and(eq(favorites.ticketId, tickets.id), eq(favorites.userId, me)))
    .leftJoin(readMarks, and(eq(readMarks.ticketId, tickets.id), eq(readMarks.userId, me)))
    .where(where);

  return found.map(({ t, ...r }) => {
    const locked = t.lockedBy !== null && t.lockedUntil !== null && t.lockedUntil > ctx.now;
    return {
      id: t.id,
      ticket: t.id,
      name: t.name,
      client: r.client,
      client_id: t.clientId,
      delay: delay(t.waitingSince, ctx.now),
      deadline: t.deadline,
      responsible: r.responsible ?? r.department,
      project: r.project,
      department: r.department,
      department_id: t.departmentId,
      queue: queueWeight(t, r.premium, ctx.now),
      tstatus: String(t.status),
      priority: String(t.priority),
      client_priority: String(t.clientPriority),
      unread: r.lastMessage !== null && r.lastMessage > (r.lastRead ?? 0),
      favorite: r.favorite,
      highpriority: t.highPriority,
      abuse: r.abuse,
      abuse_id: r.abuse ? String(t.clientId) : undefined,
      premium: r.premium,
      attitude: String(r.attitude),
      accgroup: r.groups.length > 0,
      note: r.notes,
      from_gate: t.fromGate,
      from_abuse_process: t.fromAbuseProcess,
      blocked_by: locked ? blockedBy(String(r.locker), t.lockedUntil as Date, ctx) : undefined,
      responsible_id: t.responsibleId ?? undefined,
      locked_by_id: locked ? (t.lockedBy ?? undefined) : undefined,
    };
  });
}

export const ticketIdIn = (ids: number[]) => inArray(tickets.id, ids);

import { and, asc, eq, inArray, max, sql } from 'drizzle-orm';
import {
  attachments,
  clients,
  departments,
  messageEdits,
  messages,
  providers,
  readMarks,
  type Ticket,
  users,
} from '../../db/schema.ts';
import { delay } from '../domain/tickets.ts';
import { clientVisible } from './store.ts';
import type { FormMessage, FormResult, RunContext } from './types.ts';

/** A ticket's messages as the caller may see them: staff see notes and hidden ones, clients never. */
export async function ticketMessages(ctx: RunContext, ticketId: number): Promise<FormMessage[]> {
  const staff = ctx.session.level !== 'user';
  const rows = await ctx.tx
    .select({
      m: messages,
      author: users.name,
      edited: sql<boolean>`exists (select 1 from ${messageEdits} where ${messageEdits.messageId} = ${messages.id})`,
    })
    .from(messages)
    .innerJoin(users, eq(users.id, messages.authorId))
    .where(and(eq(messages.ticketId, ticketId), staff ? undefined : clientVisible))
    .orderBy(asc(messages.id));
  const files = rows.length
    ? await ctx.tx
        .select({
          id: attachments.id,
          messageId: attachments.messageId,
          filename: attachments.filename,
          size: attachments.size,
        })
        .from(attachments)
        .where(
          inArray(
            attachments.messageId,
            rows.map((r) => r.m.id),
          ),
        )
    : [];
  return rows.map(({ m, author, edited }) => ({
    id: m.id,
    type: m.fromStaff ? 'outcoming' : 'incoming',
    author,
    body: m.body,
    datePost: m.createdAt,
    internal: m.internal,
    hidden: m.hidden,
    edited,
    attachments: files
      .filter((f) => f.messageId === m.id)
      .map(({ id, filename, size }) => ({ id, filename, size })),
  }));
}

/** Records that the caller has read everything in the ticket so far. */
export async function markRead(ctx: RunContext, ticketId: number): Promise<void> {
  const [{ last }] = await ctx.tx
    .select({ last: max(messages.id) })
    .from(messages)
    .where(eq(messages.ticketId, ticketId));
  if (last === null) return;
  await ctx.tx
    .insert(readMarks)
    .values({ userId: ctx.session.userId, ticketId, lastMessageId: last })
    .onConflictDoUpdate({ target: [readMarks.userId, readMarks.ticketId], set: { lastMessageId: last } });
}

/** The ticket form shared by `ticket.edit` and `clientticket.edit`: fields, messages and choices. */
export async function ticketForm(
  ctx: RunContext,
  ticket: Ticket,
  extra: FormResult['fields'] = {},
): Promise<FormResult> {
  const [info] = await ctx.tx
    .select({
      client: clients,
      department: departments.name,
      providerId: departments.providerId,
      project: providers.name,
    })
    .from(clients)
    .innerJoin(departments, eq(departments.id, ticket.departmentId))
    .innerJoin(providers, eq(providers.id, departments.providerId))
    .where(eq(clients.id, ticket.clientId));
  return {
    kind: 'form',
    fields: {
      id: ticket.id,
      elid: ticket.id,
      name: ticket.name,
      client: info.client.name,
      client_id: ticket.clientId,
      tstatus: String(ticket.status),
      client_department: String(ticket.departmentId),
      department: info.department,
      ticket_project_select: String(info.providerId),
      project: info.project,
      ticket_item: ticket.serviceId ? String(ticket.serviceId) : '',
      client_priority: String(ticket.clientPriority),
      delay: delay(ticket.waitingSince, ctx.now),
      paid: ticket.paid,
      ...extra,
    },
    messages: await ticketMessages(ctx, ticket.id),
    options: await departmentOptions(ctx, info.providerId),
  };
}

export async function departmentOptions(ctx: RunContext, providerId?: number) {
  const deps = await ctx.tx
    .select({ id: departments.id, name: departments.name, provider: providers.name })
    .from(departments)
    .innerJoin(providers, eq(providers.id, departments.providerId))
    .where(
      and(
        providerId ? eq(departments.providerId, providerId) : undefined,
        eq(departments.disabled, false),
        // Staff-only departments are offered to staff (and to staff acting as a client), not clients.
        ctx.session.level === 'user' && !ctx.session.suBy ? eq(departments.staffOnly, false) : undefined,
      ),
    )
    .orderBy(departments.id);
  return {
    client_department: deps.map((d) => ({ key: String(d.id), label: `${d.provider}: ${d.name}` })),
    priority: [
      { key: '0', label: 'low' },
      { key: '1', label: 'medium' },
      { key: '2', label: 'high' },
    ],
  };
}

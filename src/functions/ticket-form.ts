import { and, asc, eq, inArray, max, sql, sum } from 'drizzle-orm';
import { one } from '../../db/rows.ts';
import {
  ABUSE_ACTIONS,
  attachments,
  clients,
  departments,
  expenses,
  messageEdits,
  messages,
  providers,
  readMarks,
  type Ticket,
  users,
} from '../../db/schema.ts';
import { delay } from '../domain/tickets.ts';
import { clientVisible } from './ticket-data.ts';
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
  const { last } = one(
    await ctx.tx
      .select({ last: max(messages.id) })
      .from(messages)
      .where(eq(messages.ticketId, ticketId)),
    'aggregate',
  );
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
  // Foreign keys keep the ticket's client, department and provider.
  const info = one(
    await ctx.tx
      .select({
        client: clients,
        department: departments.name,
        providerId: departments.providerId,
        project: providers.name,
      })
      .from(clients)
      .innerJoin(departments, eq(departments.id, ticket.departmentId))
      .innerJoin(providers, eq(providers.id, departments.providerId))
      .where(eq(clients.id, ticket.clientId)),
    'ticket client',
  );
  const charged = one(
    await ctx.tx
      .select({ total: sum(expenses.amount) })
      .from(expenses)
      .where(eq(expenses.ticketId, ticket.id)),
    'aggregate',
  );
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
      // Empty cells are left out: nobody waits on this ticket.
      delay: ticket.waitingSince ? delay(ticket.waitingSince, ctx.now) : undefined,
      paid: ticket.paid,
      // What staff charged the client in this ticket (ticket_expense), shown to both sides.
      expense_total: charged.total ?? undefined,
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

/**
 * `show_optional` and `show_abuse` as BILLmanager's forms use them: echoed, and when on the form carries
 * the extra input fields (empty) and, for abuse, the choice of actions. Posted back unchanged, those
 * empty fields count as absent and change nothing.
 */
export function formToggles(
  form: FormResult,
  p: { show_optional?: boolean; show_abuse?: boolean },
  staff = true,
): FormResult {
  const fields: FormResult['fields'] = {
    ...form.fields,
    show_optional: p.show_optional ?? false,
  };
  if (p.show_optional && staff) Object.assign(fields, { note_message: '', ticket_expense: '' });
  if (!staff) return { ...form, fields };
  fields.show_abuse = p.show_abuse ?? false;
  if (!p.show_abuse) return { ...form, fields };
  Object.assign(fields, { score: '', score_note: '', action: '' });
  const action = ABUSE_ACTIONS.map((key) => ({ key, label: key }));
  return { ...form, fields, options: { ...form.options, action } };
}

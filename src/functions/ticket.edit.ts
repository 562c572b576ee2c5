import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { one } from '../../db/rows.ts';
import { clients, STATUS, type Ticket, tickets, users } from '../../db/schema.ts';
import { statusAfterOpen } from '../domain/tickets.ts';
import { invalid, missed } from './errors.ts';
import { nonNegative, posInt, sok, text } from './params.ts';
import { applyCharges } from './ticket-charges.ts';
import {
  addStaffMessage,
  blockedBy,
  defaultDepartment,
  getDepartment,
  getTicket,
  lockedByOther,
  updateTicket,
} from './ticket-data.ts';
import { applyFields, localDateTime, staffZone, subjectOf, ticketFieldParams } from './ticket-fields.ts';
import { departmentOptions, formToggles, markRead, ticketForm } from './ticket-form.ts';
import { defineFunction, type RunContext, STAFF } from './types.ts';

export const ticketParams = z.object({
  elid: posInt.optional(),
  plid: posInt.optional(),
  message: text(50_000).optional(),
  ...ticketFieldParams,
  /** Ours: the client a new ticket is for, by id; on an existing ticket its form value (name or id). */
  client: text(200).optional(),
  /** Ours: assign to a staff member (0 or empty leaves it with the department). */
  responsible: nonNegative.optional(),
  sok: sok.optional(),
});
export type TicketParams = z.output<typeof ticketParams>;

/**
 * Open (the form, which locks the ticket to the caller and marks it read), change, or create a ticket.
 * With `sok`, every given parameter is applied in one transaction; a reply while someone else holds
 * the lock is refused, other changes are not.
 */
export const ticketEdit = defineFunction({
  name: 'ticket.edit',
  access: STAFF,
  params: ticketParams,
  async run(ctx, p) {
    if (p.elid === undefined) return p.sok ? create(ctx, p) : newForm(ctx, p);
    if (p.plid !== undefined && p.plid !== p.elid)
      throw invalid('plid', 'plid must name the same ticket as elid');
    const found = await getTicket(ctx, p.elid);
    if (!p.sok) return open(ctx, found, p);
    await sameClient(ctx, found, p.client);
    let t = await applyFields(ctx, found, p);
    t = await applyCharges(ctx, t, p);
    if (p.note_message) t = (await addStaffMessage(ctx, t, { body: p.note_message, internal: true })).ticket;
    if (p.message) t = (await addStaffMessage(ctx, t, { body: p.message })).ticket;
    return { kind: 'ok', tickets: [t.id] };
  },
});

/** A ticket stays with its client: the form's `client` (name or id) comes back as is, or is refused. */
async function sameClient(ctx: RunContext, t: Ticket, given: string | undefined) {
  if (given === undefined || given === String(t.clientId)) return;
  const client = one(
    await ctx.tx.select({ name: clients.name }).from(clients).where(eq(clients.id, t.clientId)),
    'client',
  );
  if (given !== client.name)
    throw invalid(
      'client',
      `Ticket ${t.id} belongs to ${client.name}; a ticket cannot change its client`,
      given,
    );
}

async function open(ctx: RunContext, found: Ticket, p: TicketParams) {
  const patch: Partial<Ticket> = { status: statusAfterOpen(found.status) };
  if (!lockedByOther(found, ctx) && found.status !== STATUS.closed && found.status !== STATUS.archived) {
    patch.lockedBy = ctx.session.userId;
    patch.lockedUntil = new Date(ctx.now.getTime() + ctx.settings.lockMinutes * 60_000);
  }
  const t = await updateTicket(ctx, found, patch);
  await markRead(ctx, t.id);
  const client = one(await ctx.tx.select().from(clients).where(eq(clients.id, t.clientId)), 'client');
  const [holder] = t.lockedBy
    ? await ctx.tx.select({ name: users.name }).from(users).where(eq(users.id, t.lockedBy))
    : [];
  const local = t.deadline ? localDateTime(t.deadline, await staffZone(ctx)) : null;
  const form = await ticketForm(ctx, t, {
    priority: String(t.priority),
    high_priority: t.highPriority,
    responsible: t.responsibleId ? String(t.responsibleId) : '',
    deadline: t.deadline,
    deadline_date: local?.date ?? '',
    deadline_time: local?.time ?? '',
    blocked_by: holder && t.lockedUntil ? blockedBy(holder.name, t.lockedUntil, ctx) : undefined,
    balance: client.balance,
    incident_count: client.incidents,
    abuse_score: client.abuseScore,
    attitude: String(client.attitude),
    premium: client.premium,
  });
  return formToggles(form, p);
}

async function newForm(ctx: RunContext, p: TicketParams) {
  return formToggles(
    {
      kind: 'form' as const,
      fields: { priority: '1', client_priority: '1' },
      options: await departmentOptions(ctx),
    },
    p,
  );
}

async function create(ctx: RunContext, p: TicketParams) {
  if (p.client === undefined) throw missed('client', 'Parameter client is required to open a ticket');
  const name = subjectOf(p);
  if (!name) throw missed('name', 'Parameter name (or subject) is required');
  if (!p.message) throw missed('message', 'Parameter message is required');
  const clientId = posInt.safeParse(p.client);
  if (!clientId.success) throw invalid('client', 'Parameter client must be the id of a client', p.client);
  const [client] = await ctx.tx.select().from(clients).where(eq(clients.id, clientId.data));
  if (!client) throw missed('client', `Client ${p.client} does not exist`, p.client);
  const [author] = await ctx.tx
    .select({ id: users.id })
    .from(users)
    .where(eq(users.clientId, client.id))
    .limit(1);
  if (!author) throw invalid('client', `Client ${client.name} has no users to address the ticket to`);
  const dep =
    p.client_department === undefined
      ? await defaultDepartment(ctx, client.providerId)
      : await getDepartment(ctx, p.client_department);
  if (dep.providerId !== client.providerId) {
    throw invalid('client_department', 'The department belongs to another provider than the client');
  }
  const rows = await ctx.tx
    .insert(tickets)
    .values({
      clientId: client.id,
      createdBy: author.id,
      departmentId: dep.id,
      name,
      status: STATUS.new,
      priority: p.priority ?? 1,
      clientPriority: p.client_priority ?? p.priority ?? 1,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning();
  let t = await applyFields(ctx, one(rows, 'ticket'), {
    ...p,
    client_department: undefined,
    name: undefined,
    subject: undefined,
  });
  t = await applyCharges(ctx, t, p);
  if (p.note_message) t = (await addStaffMessage(ctx, t, { body: p.note_message, internal: true })).ticket;
  await addStaffMessage(ctx, t, { body: p.message });
  return { kind: 'ok' as const, id: t.id, tickets: [t.id] };
}

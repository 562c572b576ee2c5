import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { clients, STATUS, services, type Ticket, tickets } from '../../db/schema.ts';
import { denied, invalid, missed } from './errors.ts';
import { flag, posInt, priority, sok, text } from './params.ts';
import { addClientMessage, addStaffMessage, getDepartment, getOwnTicket, updateTicket } from './store.ts';
import { applyFields, staffParams } from './ticket.edit.ts';
import { applyCharges } from './ticket-charges.ts';
import { departmentOptions, markRead, ticketForm } from './ticket-form.ts';
import { CLIENT, defineFunction, type RunContext } from './types.ts';

const params = z.object({
  elid: posInt.optional(),
  name: text(200).optional(),
  ticket_item: posInt.optional(),
  item: posInt.optional(),
  ticket_project_select: posInt.optional(),
  client_department: posInt.optional(),
  client_priority: priority.optional(),
  priority: priority.optional(),
  message: text(50_000).optional(),
  show_optional: flag.optional(),
  ...staffParams,
  sok: sok.optional(),
});
type Params = z.output<typeof params>;

/**
 * A client opens a ticket (no `elid`) or writes in one of theirs. `priority` and `client_priority`
 * both set the client's priority. Staff-only parameters are accepted only from an admin acting as
 * the client (su); from the client they are refused.
 */
export const clientticketEdit = defineFunction({
  name: 'clientticket.edit',
  access: CLIENT,
  params,
  async run(ctx, p) {
    const staffOnly = Object.keys(staffParams).find((key) => p[key as keyof Params] !== undefined);
    if (staffOnly && !ctx.session.suBy) throw denied(staffOnly, `Parameter ${staffOnly} is for staff only`);
    if (p.elid === undefined) return p.sok ? create(ctx, p) : newForm(ctx);
    let t = await getOwnTicket(ctx, p.elid);
    if (!p.sok) {
      await markRead(ctx, t.id);
      return ticketForm(ctx, t);
    }
    if (t.status === STATUS.archived)
      throw invalid('elid', `Ticket ${t.id} is archived; open a new ticket instead`);
    const clientPriority = p.client_priority ?? p.priority;
    if (p.name !== undefined || clientPriority !== undefined) {
      t = await updateTicket(ctx, t, {
        name: p.name ?? t.name,
        clientPriority: clientPriority ?? t.clientPriority,
      });
    }
    t = await applyStaffParams(ctx, t, p);
    if (p.message) t = (await addClientMessage(ctx, t, { body: p.message })).ticket;
    return { kind: 'ok', tickets: [t.id] };
  },
});

async function newForm(ctx: RunContext) {
  const client = await ownClient(ctx);
  const items = await ctx.tx.select().from(services).where(eq(services.clientId, client.id));
  const options = await departmentOptions(ctx, client.providerId);
  return {
    kind: 'form' as const,
    fields: { client_priority: '1', incident_count: client.incidents },
    options: { ...options, ticket_item: items.map((s) => ({ key: String(s.id), label: s.name })) },
  };
}

async function create(ctx: RunContext, p: Params) {
  if (!p.name) throw missed('name', 'Parameter name is required');
  if (!p.message) throw missed('message', 'Parameter message is required');
  if (p.client_department === undefined)
    throw missed('client_department', 'Parameter client_department is required');
  const client = await ownClient(ctx);
  const dep = await getDepartment(ctx, p.client_department);
  if (dep.disabled || (dep.staffOnly && !ctx.session.suBy))
    throw invalid(
      'client_department',
      `Department ${dep.name} does not take tickets from clients`,
      String(dep.id),
    );
  if (
    dep.providerId !== client.providerId ||
    (p.ticket_project_select && p.ticket_project_select !== dep.providerId)
  ) {
    throw invalid('client_department', `Department ${dep.id} does not serve your account`, String(dep.id));
  }
  const serviceId = p.ticket_item ?? p.item;
  if (serviceId !== undefined) {
    const [own] = await ctx.tx
      .select({ id: services.id })
      .from(services)
      .where(and(eq(services.id, serviceId), eq(services.clientId, client.id)));
    if (!own) throw missed('ticket_item', `Service ${serviceId} is not yours`, String(serviceId));
  }
  // A department that requires paid support spends one of the client's support tickets.
  const paid = dep.paidSupport && !client.premium;
  if (paid) {
    if (client.incidents < 1) {
      throw invalid(
        'client_department',
        `${dep.name} requires a paid support ticket; buy one first (incident)`,
      );
    }
    await ctx.tx
      .update(clients)
      .set({ incidents: client.incidents - 1 })
      .where(eq(clients.id, client.id));
  }
  const clientPriority = p.client_priority ?? p.priority ?? 1;
  const [row]: Ticket[] = await ctx.tx
    .insert(tickets)
    .values({
      clientId: client.id,
      createdBy: ctx.session.userId,
      departmentId: dep.id,
      serviceId: serviceId ?? null,
      name: p.name,
      priority: clientPriority,
      clientPriority,
      paid,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning();
  const { ticket: t } = await addClientMessage(ctx, row, { body: p.message });
  await applyStaffParams(ctx, t, p);
  return { kind: 'ok' as const, id: t.id, tickets: [t.id] };
}

/**
 * The staff-only parameters, given by an admin acting as the client (su): deadline and priority
 * flags, charges and abuse, and an internal note written under the admin's own name.
 */
async function applyStaffParams(ctx: RunContext, ticket: Ticket, p: Params): Promise<Ticket> {
  const staff = ctx.session.suBy;
  if (!staff) return ticket;
  let t = await applyFields(ctx, ticket, {
    ...p,
    name: undefined,
    priority: undefined,
    client_priority: undefined,
    client_department: undefined,
  });
  t = await applyCharges(ctx, t, p);
  if (!p.note_message) return t;
  const asStaff = {
    ...ctx,
    session: { ...ctx.session, userId: staff.userId, login: staff.login, suBy: undefined },
  };
  return (await addStaffMessage(asStaff, t, { body: p.note_message, internal: true })).ticket;
}

async function ownClient(ctx: RunContext) {
  const [client] = await ctx.tx
    .select()
    .from(clients)
    .where(eq(clients.id, ctx.session.clientId ?? -1))
    .for('update');
  if (!client) throw denied('client', 'Your login is not linked to a client account');
  return client;
}

import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { one } from '../../db/rows.ts';
import { clients, STATUS, services, type Ticket, tickets } from '../../db/schema.ts';
import { denied, invalid, missed } from './errors.ts';
import { posInt, sok, text } from './params.ts';
import { applyCharges } from './ticket-charges.ts';
import {
  addClientMessage,
  addStaffMessage,
  asStaff,
  checkProvider,
  defaultDepartment,
  findDefaultDepartment,
  getDepartment,
  getOwnTicket,
  getService,
} from './ticket-data.ts';
import { applyFields, staffParams, subjectOf, ticketFieldParams } from './ticket-fields.ts';
import { departmentOptions, formToggles, markRead, ticketForm } from './ticket-form.ts';
import { CLIENT, defineFunction, type RunContext } from './types.ts';

const params = z.object({
  elid: posInt.optional(),
  ...ticketFieldParams,
  item: posInt.optional(),
  message: text(50_000).optional(),
  sok: sok.optional(),
});
type Params = z.output<typeof params>;

/**
 * A client opens a ticket (no `elid`) or writes in one of theirs. `priority` and `client_priority`
 * both set the client's priority, `ticket_item` and `item` the service. Staff-only parameters are
 * applied only for an admin acting as the client (su); from the client they are refused, unless
 * they carry the value the client's own form shows (a form posted back changes nothing).
 */
export const clientticketEdit = defineFunction({
  name: 'clientticket.edit',
  access: CLIENT,
  params,
  async run(ctx, p) {
    if (p.elid === undefined) {
      const client = await ownClient(ctx);
      if (!ctx.session.suBy) refuseStaffOnly(p, { incidents: client.incidents, highPriority: false });
      return p.sok ? create(ctx, client, p) : newForm(ctx, client, p);
    }
    let t = await getOwnTicket(ctx, p.elid);
    if (!ctx.session.suBy) {
      const client = one(await ctx.tx.select().from(clients).where(eq(clients.id, t.clientId)), 'client');
      refuseStaffOnly(p, { incidents: client.incidents, highPriority: t.highPriority });
    }
    if (!p.sok) {
      await markRead(ctx, t.id);
      return formToggles(await ticketForm(ctx, t), p, false);
    }
    if (t.status === STATUS.archived)
      throw invalid('elid', `Ticket ${t.id} is archived; open a new ticket instead`);
    if (p.client_department !== undefined && p.client_department !== t.departmentId)
      throw invalid(
        'client_department',
        `Ticket ${t.id} stays in its department; open a new ticket for another one`,
        String(p.client_department),
      );
    t = await applyClientFields(ctx, t, p);
    if (p.message) t = (await addClientMessage(ctx, t, { body: p.message })).ticket;
    return { kind: 'ok', tickets: [t.id] };
  },
});

/** A staff-only field in the client's form: `incident_count` shows their count, the flags are off. */
function refuseStaffOnly(p: Params, current: { incidents: number; highPriority: boolean }) {
  const asShown: Partial<Record<keyof typeof staffParams, unknown>> = {
    incident_count: current.incidents,
    high_priority: current.highPriority,
    low_priority: false,
    show_abuse: false,
  };
  for (const key of Object.keys(staffParams) as (keyof typeof staffParams)[]) {
    const value = p[key];
    if (value === undefined || value === asShown[key] || value === false) continue;
    throw denied(key, `Parameter ${key} is for staff only`);
  }
}

async function newForm(ctx: RunContext, client: typeof clients.$inferSelect, p: Params) {
  const items = await ctx.tx.select().from(services).where(eq(services.clientId, client.id));
  const options = await departmentOptions(ctx, client.providerId);
  const dep = await findDefaultDepartment(ctx, client.providerId);
  const form = {
    kind: 'form' as const,
    fields: {
      client_priority: '1',
      client_department: dep ? String(dep.id) : '',
      ticket_project_select: String(client.providerId),
      incident_count: client.incidents,
    },
    options: { ...options, ticket_item: items.map((s) => ({ key: String(s.id), label: s.name })) },
  };
  return formToggles(form, p, false);
}

async function create(ctx: RunContext, client: typeof clients.$inferSelect, p: Params) {
  const name = subjectOf(p);
  if (!name) throw missed('name', 'Parameter name (or subject) is required');
  if (!p.message) throw missed('message', 'Parameter message is required');
  await checkProvider(ctx, p.ticket_project_select, client.providerId);
  const dep =
    p.client_department === undefined
      ? await defaultDepartment(ctx, client.providerId)
      : await getDepartment(ctx, p.client_department);
  if (dep.disabled || (dep.staffOnly && !ctx.session.suBy))
    throw invalid(
      'client_department',
      `Department ${dep.name} does not take tickets from clients`,
      String(dep.id),
    );
  if (dep.providerId !== client.providerId)
    throw invalid('client_department', `Department ${dep.id} does not serve your account`, String(dep.id));
  const serviceId = p.ticket_item ?? p.item;
  if (serviceId !== undefined) await getService(ctx, client.id, serviceId);
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
  const rows: Ticket[] = await ctx.tx
    .insert(tickets)
    .values({
      clientId: client.id,
      createdBy: ctx.session.userId,
      departmentId: dep.id,
      serviceId: serviceId ?? null,
      name,
      priority: clientPriority,
      clientPriority,
      paid,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning();
  const { ticket: t } = await addClientMessage(ctx, one(rows, 'ticket'), { body: p.message });
  if (ctx.session.suBy) await applyClientFields(ctx, t, { ...p, name: undefined, subject: undefined });
  return { kind: 'ok' as const, id: t.id, tickets: [t.id] };
}

/**
 * What a client may change (subject, service, their priority), plus, for an admin acting as the client
 * (su), the staff fields: deadline and priority flags, charges and abuse, and an internal note written
 * under the admin's own name.
 */
async function applyClientFields(ctx: RunContext, ticket: Ticket, p: Params): Promise<Ticket> {
  const own = {
    name: p.name,
    subject: p.subject,
    ticket_project_select: p.ticket_project_select,
    ticket_item: p.ticket_item ?? p.item,
    client_priority: p.client_priority ?? p.priority,
  };
  if (!ctx.session.suBy) return applyFields(ctx, ticket, own);
  let t = await applyFields(ctx, ticket, { ...p, ...own, priority: undefined, client_department: undefined });
  t = await applyCharges(ctx, t, p);
  if (!p.note_message) return t;
  return (await addStaffMessage(asStaff(ctx), t, { body: p.note_message, internal: true })).ticket;
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

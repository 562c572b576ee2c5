import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { ABUSE_ACTIONS, clients, STATUS, services, type Ticket, tickets, users } from '../../db/schema.ts';
import { formatDateTime, statusAfterOpen } from '../domain/tickets.ts';
import { invalid, missed } from './errors.ts';
import { amount, date, flag, posInt, priority, sok, text, time } from './params.ts';
import {
  addStaffMessage,
  deadlineFor,
  getDepartment,
  getTicket,
  lockedByOther,
  updateTicket,
} from './store.ts';
import { applyCharges } from './ticket-charges.ts';
import { departmentOptions, markRead, ticketForm } from './ticket-form.ts';
import { defineFunction, type RunContext, STAFF } from './types.ts';

const nonNegative = z
  .string()
  .trim()
  .regex(/^\d{1,6}$/, 'must be a whole number')
  .transform(Number);

/** Parameters a staff member may set on a ticket; clientticket.edit accepts them from an admin using su. */
export const staffParams = {
  note_message: text(50_000).optional(),
  ticket_expense: amount.optional(),
  high_priority: flag.optional(),
  low_priority: flag.optional(),
  incident_count: nonNegative.optional(),
  show_abuse: flag.optional(),
  // Bounded so the client's summed abuse score (an integer column) cannot overflow.
  score: posInt.refine((n) => n <= 10_000, 'must be at most 10000').optional(),
  score_note: text(2000).optional(),
  action: z.enum(ABUSE_ACTIONS, { message: `must be one of ${ABUSE_ACTIONS.join(', ')}` }).optional(),
  deadline_date: date.optional(),
  deadline_time: time.optional(),
};

export const ticketParams = z.object({
  elid: posInt.optional(),
  plid: posInt.optional(),
  name: text(200).optional(),
  message: text(50_000).optional(),
  ticket_item: posInt.optional(),
  ticket_project_select: posInt.optional(),
  client_department: posInt.optional(),
  priority: priority.optional(),
  client_priority: priority.optional(),
  show_optional: flag.optional(),
  ...staffParams,
  /** Ours: the client a staff member opens a new ticket for. */
  client: posInt.optional(),
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
    if (p.elid === undefined) return p.sok ? create(ctx, p) : newForm(ctx);
    if (p.plid !== undefined && p.plid !== p.elid)
      throw invalid('plid', 'plid must name the same ticket as elid');
    const found = await getTicket(ctx, p.elid);
    if (!p.sok) return open(ctx, found);
    let t = await applyFields(ctx, found, p);
    t = await applyCharges(ctx, t, p);
    if (p.note_message) t = (await addStaffMessage(ctx, t, { body: p.note_message, internal: true })).ticket;
    if (p.message) t = (await addStaffMessage(ctx, t, { body: p.message })).ticket;
    return { kind: 'ok', tickets: [t.id] };
  },
});

async function open(ctx: RunContext, found: Ticket) {
  const patch: Partial<Ticket> = { status: statusAfterOpen(found.status) };
  if (!lockedByOther(found, ctx) && found.status !== STATUS.closed && found.status !== STATUS.archived) {
    patch.lockedBy = ctx.session.userId;
    patch.lockedUntil = new Date(ctx.now.getTime() + ctx.settings.lockMinutes * 60_000);
  }
  const t = await updateTicket(ctx, found, patch);
  await markRead(ctx, t.id);
  const [client] = await ctx.tx.select().from(clients).where(eq(clients.id, t.clientId));
  const [holder] = t.lockedBy
    ? await ctx.tx.select({ name: users.name }).from(users).where(eq(users.id, t.lockedBy))
    : [];
  const local = t.deadline ? new TZDate(t.deadline, await staffZone(ctx)) : null;
  return ticketForm(ctx, t, {
    priority: String(t.priority),
    high_priority: t.highPriority,
    responsible: t.responsibleId ? String(t.responsibleId) : '',
    deadline: t.deadline,
    deadline_date: local ? format(local, 'yyyy-MM-dd HH:mm:ss').slice(0, 10) : '',
    deadline_time: local ? format(local, 'yyyy-MM-dd HH:mm:ss').slice(11) : '',
    blocked_by: holder && t.lockedUntil ? `${holder.name}, ${formatDateTime(t.lockedUntil)}` : '',
    balance: client.balance,
    incident_count: client.incidents,
    abuse_score: client.abuseScore,
    attitude: String(client.attitude),
    premium: client.premium,
  });
}

async function newForm(ctx: RunContext) {
  return {
    kind: 'form' as const,
    fields: { priority: '1', client_priority: '1' },
    options: await departmentOptions(ctx),
  };
}

async function create(ctx: RunContext, p: TicketParams) {
  if (p.client === undefined) throw missed('client', 'Parameter client is required to open a ticket');
  if (!p.name) throw missed('name', 'Parameter name is required');
  if (!p.message) throw missed('message', 'Parameter message is required');
  if (p.client_department === undefined)
    throw missed('client_department', 'Parameter client_department is required');
  const [client] = await ctx.tx.select().from(clients).where(eq(clients.id, p.client));
  if (!client) throw missed('client', `Client ${p.client} does not exist`, String(p.client));
  const [author] = await ctx.tx
    .select({ id: users.id })
    .from(users)
    .where(eq(users.clientId, client.id))
    .limit(1);
  if (!author) throw invalid('client', `Client ${client.name} has no users to address the ticket to`);
  const dep = await getDepartment(ctx, p.client_department);
  if (dep.providerId !== client.providerId) {
    throw invalid('client_department', 'The department belongs to another provider than the client');
  }
  const [row] = await ctx.tx
    .insert(tickets)
    .values({
      clientId: client.id,
      createdBy: author.id,
      departmentId: dep.id,
      name: p.name,
      status: STATUS.new,
      priority: p.priority ?? 1,
      clientPriority: p.client_priority ?? p.priority ?? 1,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning();
  let t = await applyFields(ctx, row, { ...p, client_department: undefined, name: undefined });
  t = await applyCharges(ctx, t, p);
  if (p.note_message) t = (await addStaffMessage(ctx, t, { body: p.note_message, internal: true })).ticket;
  await addStaffMessage(ctx, t, { body: p.message });
  return { kind: 'ok' as const, id: t.id, tickets: [t.id] };
}

/** Subject, department, service, priorities, assignment and deadline. */
export async function applyFields(ctx: RunContext, t: Ticket, p: TicketParams): Promise<Ticket> {
  const patch: Partial<Ticket> = {};
  if (p.name !== undefined) patch.name = p.name;
  if (p.client_department !== undefined && p.client_department !== t.departmentId) {
    const dep = await getDepartment(ctx, p.client_department);
    const [client] = await ctx.tx
      .select({ providerId: clients.providerId })
      .from(clients)
      .where(eq(clients.id, t.clientId));
    if (
      dep.providerId !== client.providerId ||
      (p.ticket_project_select && p.ticket_project_select !== dep.providerId)
    ) {
      throw invalid(
        'client_department',
        `Department ${dep.id} does not serve this client's provider`,
        String(dep.id),
      );
    }
    patch.departmentId = dep.id;
  }
  if (p.ticket_item !== undefined) {
    const [service] = await ctx.tx
      .select({ id: services.id })
      .from(services)
      .where(and(eq(services.id, p.ticket_item), eq(services.clientId, t.clientId)));
    if (!service)
      throw missed(
        'ticket_item',
        `Service ${p.ticket_item} is not one of the client's`,
        String(p.ticket_item),
      );
    patch.serviceId = service.id;
  }
  if (p.priority !== undefined) patch.priority = p.priority;
  if (p.client_priority !== undefined) patch.clientPriority = p.client_priority;
  if (p.high_priority && p.low_priority)
    throw invalid('low_priority', 'high_priority and low_priority exclude each other');
  if (p.high_priority) patch.highPriority = true;
  if (p.low_priority) patch.highPriority = false;
  if (p.responsible !== undefined) patch.responsibleId = await staffMember(ctx, p.responsible);
  if (p.deadline_time && !p.deadline_date) throw missed('deadline_date', 'deadline_time needs deadline_date');
  if (p.deadline_date) {
    const [h, m, s] = (p.deadline_time ?? '23:59:59').split(':').map(Number);
    const [y, mo, d] = p.deadline_date.split('-').map(Number);
    patch.deadline = new Date(TZDate.tz(await staffZone(ctx), y, mo - 1, d, h, m, s ?? 0).getTime());
    patch.deadlineManual = true;
  }
  const next = { ...t, ...patch };
  if (!next.deadlineManual) patch.deadline = await deadlineFor(ctx, next);
  return updateTicket(ctx, t, patch);
}

async function staffMember(ctx: RunContext, id: number): Promise<number | null> {
  if (id === 0) return null;
  const [staff] = await ctx.tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, id), inArray(users.level, ['root', 'admin'])));
  if (!staff) throw missed('responsible', `Staff member ${id} does not exist`, String(id));
  return staff.id;
}

/** The caller's time zone, in which staff type and read deadlines. */
async function staffZone(ctx: RunContext): Promise<string> {
  const [me] = await ctx.tx
    .select({ tz: users.timezone })
    .from(users)
    .where(eq(users.id, ctx.session.suBy?.userId ?? ctx.session.userId));
  return me?.tz ?? 'UTC';
}

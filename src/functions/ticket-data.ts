import { and, asc, eq, inArray } from 'drizzle-orm';
import { one } from '../../db/rows.ts';
import {
  type Department,
  departments,
  messages,
  providers,
  STATUS,
  services,
  type Ticket,
  tickets,
  users,
} from '../../db/schema.ts';
import {
  effectivePriority,
  formatDateTime,
  regulationDeadline,
  statusAfterClientMessage,
  statusAfterStaffReply,
} from '../domain/tickets.ts';
import { messageAdded, ticketChanged } from './effects.ts';
import { denied, invalid, missed } from './errors.ts';
import type { RunContext } from './types.ts';

/** Shared reads and writes of tickets, so every function applies the same rules. */

export async function getTicket(ctx: RunContext, id: number, param = 'elid'): Promise<Ticket> {
  const [ticket] = await ctx.tx.select().from(tickets).where(eq(tickets.id, id)).for('update');
  if (!ticket) throw missed(param, `Ticket ${id} does not exist`, String(id));
  return ticket;
}

/** All of the tickets or a refusal naming the first missing one: group actions are all or nothing. */
export async function getTickets(ctx: RunContext, ids: number[]): Promise<Ticket[]> {
  const rows = await ctx.tx
    .select()
    .from(tickets)
    .where(inArray(tickets.id, ids))
    .orderBy(tickets.id)
    .for('update');
  const missing = ids.find((id) => !rows.some((t) => t.id === id));
  if (missing !== undefined) throw missed('elid', `Ticket ${missing} does not exist`, String(missing));
  return rows;
}

/**
 * Ticket `plid` and its messages `ids`, locked in the one order every function uses (ticket, then its
 * messages), so two operations on one ticket never wait on each other crosswise. The messages are read
 * after the ticket lock is held: a split or hide that committed meanwhile is seen, not overwritten.
 * A message of another ticket is refused, so a ticket id sent as `elid` can never reach a stranger.
 */
export async function getTicketMessages(ctx: RunContext, plid: number, ids: number[]) {
  const ticket = await getTicket(ctx, plid, 'plid');
  const found = await ctx.tx
    .select()
    .from(messages)
    .where(and(eq(messages.ticketId, plid), inArray(messages.id, ids)))
    .orderBy(asc(messages.id))
    .for('update');
  const missing = ids.find((id) => !found.some((m) => m.id === id));
  if (missing !== undefined)
    throw missed('elid', `Message ${missing} is not a message of ticket ${plid} (plid)`, String(missing));
  return { ticket, messages: found };
}

/** A ticket of the calling client; another client's ticket is refused. */
export async function getOwnTicket(ctx: RunContext, id: number): Promise<Ticket> {
  const ticket = await getTicket(ctx, id);
  if (ticket.clientId !== ctx.session.clientId) throw denied('elid', `Ticket ${id} is not yours`);
  return ticket;
}

export async function getDepartment(
  ctx: RunContext,
  id: number,
  param = 'client_department',
): Promise<Department> {
  const [dep] = await ctx.tx.select().from(departments).where(eq(departments.id, id));
  if (!dep) throw missed(param, `Department ${id} does not exist`, String(id));
  return dep;
}

/**
 * Where a client's ticket goes when no department is named: the provider's first department (lowest id)
 * that does not require paid support, so opening a ticket never costs a support ticket unasked; when
 * every department requires it, the first one.
 */
export async function defaultDepartment(ctx: RunContext, providerId: number): Promise<Department> {
  const dep = await findDefaultDepartment(ctx, providerId);
  if (!dep) throw missed('client_department', 'Your provider has no department that takes client tickets');
  return dep;
}

/** The default department, or undefined when the provider has none clients may choose (a form shows none). */
export async function findDefaultDepartment(
  ctx: RunContext,
  providerId: number,
): Promise<Department | undefined> {
  const deps = await ctx.tx
    .select()
    .from(departments)
    .where(
      and(
        eq(departments.providerId, providerId),
        eq(departments.disabled, false),
        eq(departments.staffOnly, false),
      ),
    )
    .orderBy(asc(departments.id));
  return deps.find((d) => !d.paidSupport) ?? deps[0];
}

/**
 * `ticket_project_select`: a ticket's provider is its client's, so the only value that can be given is
 * that one; an unknown provider is `missed`, another one a `value` error, never silently ignored.
 */
export async function checkProvider(ctx: RunContext, given: number | undefined, providerId: number) {
  if (given === undefined || given === providerId) return;
  const [known] = await ctx.tx.select({ id: providers.id }).from(providers).where(eq(providers.id, given));
  if (!known) throw missed('ticket_project_select', `Provider ${given} does not exist`, String(given));
  throw invalid(
    'ticket_project_select',
    `Provider ${given} does not serve this client; the ticket belongs to its client's provider`,
    String(given),
  );
}

/** A service of the client (`ticket_item` / `item`). */
export async function getService(ctx: RunContext, clientId: number, id: number, param = 'ticket_item') {
  const [service] = await ctx.tx
    .select({ id: services.id })
    .from(services)
    .where(and(eq(services.id, id), eq(services.clientId, clientId)));
  if (!service) throw missed(param, `Service ${id} is not one of the client's`, String(id));
  return service;
}

/** `blocked_by` as BILLmanager shows it: who took the lock and when. */
export function blockedBy(holder: string, lockedUntil: Date, ctx: Pick<RunContext, 'settings'>): string {
  return `${holder}, ${formatDateTime(new Date(lockedUntil.getTime() - ctx.settings.lockMinutes * 60_000))}`;
}

/** The context as the staff member behind the session: the admin acting as a client (su), or the caller. */
export function asStaff(ctx: RunContext): RunContext {
  const staff = ctx.session.suBy;
  if (!staff) return ctx;
  return { ...ctx, session: { ...ctx.session, userId: staff.userId, login: staff.login, suBy: undefined } };
}

/** Whether another staff member holds the ticket's lock right now. */
export function lockedByOther(ticket: Ticket, ctx: RunContext): boolean {
  return (
    ticket.lockedBy !== null &&
    ticket.lockedBy !== ctx.session.userId &&
    ticket.lockedUntil !== null &&
    ticket.lockedUntil > ctx.now
  );
}

export async function refuseIfLocked(ctx: RunContext, ticket: Ticket): Promise<void> {
  if (!lockedByOther(ticket, ctx)) return;
  const [holder] = await ctx.tx
    .select({ name: users.name })
    .from(users)
    .where(eq(users.id, ticket.lockedBy ?? 0));
  throw denied(
    'message',
    `Ticket ${ticket.id} is being answered by ${holder?.name ?? 'another staff member'}; ` +
      'wait until they reply or unblock it',
  );
}

/** Applies a change to a ticket and stamps it. */
export async function updateTicket(ctx: RunContext, ticket: Ticket, patch: Partial<Ticket>): Promise<Ticket> {
  const row = one(
    await ctx.tx
      .update(tickets)
      .set({ ...patch, updatedAt: ctx.now })
      .where(eq(tickets.id, ticket.id))
      .returning(),
    'updated ticket',
  );
  await ticketChanged(ctx, ticket, row);
  return row;
}

/** The regulation deadline as it stands, unless a staff member set one explicitly. */
export async function deadlineFor(ctx: RunContext, ticket: Ticket): Promise<Date | null> {
  if (ticket.deadlineManual) return ticket.deadline;
  if (!ticket.waitingSince || ticket.status === STATUS.closed || ticket.status === STATUS.archived)
    return null;
  const dep = await getDepartment(ctx, ticket.departmentId);
  return regulationDeadline(dep, effectivePriority(ticket), ticket.waitingSince);
}

/**
 * Recomputes whether and since when the client waits, from the ticket's own messages: after a split
 * moved some away, or after a reply was hidden (a hidden reply never reached the client).
 * Closed and archived tickets keep their status and nobody waits on them.
 */
export async function recomputeWaiting(ctx: RunContext, t: Ticket): Promise<void> {
  const all = await ctx.tx
    .select()
    .from(messages)
    .where(eq(messages.ticketId, t.id))
    .orderBy(asc(messages.id));
  const lastAnswer = all.findLastIndex((m) => m.fromStaff && !m.internal && !m.hidden);
  const unanswered = all.slice(lastAnswer + 1).find((m) => !m.fromStaff);
  const open = t.status !== STATUS.closed && t.status !== STATUS.archived;
  const waitingSince = open ? (unanswered?.createdAt ?? null) : null;
  // Waiting again after staff had answered: staff have seen the ticket, so it is under review, not new.
  const status = !open
    ? t.status
    : waitingSince
      ? t.status === STATUS.awaiting
        ? STATUS.review
        : t.status
      : STATUS.awaiting;
  await updateTicket(ctx, t, {
    waitingSince,
    status,
    deadline: await deadlineFor(ctx, { ...t, waitingSince, status }),
  });
}

interface NewMessage {
  body: string;
  internal?: boolean;
}

/** A client message: the ticket is (re)opened and the wait starts if it was not running. */
export async function addClientMessage(
  ctx: RunContext,
  ticket: Ticket,
  msg: NewMessage,
): Promise<{ ticket: Ticket; messageId: number }> {
  if (ticket.status === STATUS.archived) {
    throw invalid('elid', `Ticket ${ticket.id} is archived; open a new ticket instead`, String(ticket.id));
  }
  const messageId = await insertMessage(ctx, ticket.id, msg.body, false, false);
  const waiting = {
    ...ticket,
    status: statusAfterClientMessage(),
    waitingSince: ticket.waitingSince ?? ctx.now,
  };
  const patch = {
    status: waiting.status,
    waitingSince: waiting.waitingSince,
    deadline: await deadlineFor(ctx, waiting),
  };
  return { ticket: await updateTicket(ctx, ticket, patch), messageId };
}

/** A staff message: an internal note changes nothing else; a reply answers the client and frees the lock. */
export async function addStaffMessage(
  ctx: RunContext,
  ticket: Ticket,
  msg: NewMessage,
): Promise<{ ticket: Ticket; messageId: number }> {
  if (ticket.status === STATUS.archived) {
    throw invalid('elid', `Ticket ${ticket.id} is archived`, String(ticket.id));
  }
  if (!msg.internal) await refuseIfLocked(ctx, ticket);
  const messageId = await insertMessage(ctx, ticket.id, msg.body, true, msg.internal ?? false);
  if (msg.internal) return { ticket: await updateTicket(ctx, ticket, {}), messageId };
  const answered = { ...ticket, status: statusAfterStaffReply(), waitingSince: null };
  return {
    ticket: await updateTicket(ctx, ticket, {
      status: answered.status,
      waitingSince: null,
      deadline: await deadlineFor(ctx, answered),
      lockedBy: null,
      lockedUntil: null,
    }),
    messageId,
  };
}

async function insertMessage(
  ctx: RunContext,
  ticketId: number,
  body: string,
  fromStaff: boolean,
  internal: boolean,
) {
  const row = one(
    await ctx.tx
      .insert(messages)
      .values({ ticketId, authorId: ctx.session.userId, fromStaff, body, internal, createdAt: ctx.now })
      .returning({ id: messages.id }),
    'message',
  );
  await messageAdded(ctx, ticketId, row.id, fromStaff && !internal);
  return row.id;
}

/** Messages a client may see: no internal notes, nothing hidden. */
export const clientVisible = and(eq(messages.internal, false), eq(messages.hidden, false));

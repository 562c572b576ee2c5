import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { one } from '../../db/rows.ts';
import { ABUSE_ACTIONS, clients, type Ticket, users } from '../../db/schema.ts';
import { calendarDate, timeOfDay } from '../domain/clock-text.ts';
import { invalid, missed } from './errors.ts';
import { amount, date, flag, nonNegative, posInt, priority, text, time } from './params.ts';
import { checkProvider, deadlineFor, getDepartment, getService, updateTicket } from './ticket-data.ts';
import type { RunContext } from './types.ts';

/** Parameters a staff member may set on a ticket; clientticket.edit accepts them from an admin using su. */
export const staffParams = {
  note_message: text(50_000).optional(),
  ticket_expense: amount.optional(),
  high_priority: flag.optional(),
  low_priority: flag.optional(),
  incident_count: nonNegative.refine((n) => n <= 1_000_000, 'must be at most 1000000').optional(),
  show_abuse: flag.optional(),
  // Bounded so the client's summed abuse score (an integer column) cannot overflow.
  score: posInt.refine((n) => n <= 10_000, 'must be at most 10000').optional(),
  score_note: text(2000).optional(),
  action: z.enum(ABUSE_ACTIONS, { message: `must be one of ${ABUSE_ACTIONS.join(', ')}` }).optional(),
  deadline_date: date.optional(),
  deadline_time: time.optional(),
};

/** Fields of a ticket both ticket forms take; `subject` is what some published clients send for `name`. */
export const ticketFieldParams = {
  name: text(200).optional(),
  subject: text(200).optional(),
  ticket_item: posInt.optional(),
  ticket_project_select: posInt.optional(),
  client_department: posInt.optional(),
  priority: priority.optional(),
  client_priority: priority.optional(),
  show_optional: flag.optional(),
  ...staffParams,
};

type FieldParams = {
  [K in keyof typeof ticketFieldParams]?: z.output<(typeof ticketFieldParams)[K]>;
} & { responsible?: number };

/** The subject from `name` or `subject`; both given and different is a contradiction, not a choice. */
export function subjectOf(p: { name?: string; subject?: string }): string | undefined {
  if (p.name !== undefined && p.subject !== undefined && p.name !== p.subject)
    throw invalid('subject', 'name and subject both give the subject and differ');
  return p.name ?? p.subject;
}

/**
 * Subject, department, provider, service, priorities, assignment and deadline. Only what differs from
 * the ticket is written, so a form posted back unchanged changes nothing (not even the computed
 * deadline, which stays computed when the form's own deadline comes back).
 */
export async function applyFields(ctx: RunContext, t: Ticket, p: FieldParams): Promise<Ticket> {
  const patch: Partial<Ticket> = {};
  const name = subjectOf(p);
  if (name !== undefined) patch.name = name;
  const client = one(
    await ctx.tx.select({ providerId: clients.providerId }).from(clients).where(eq(clients.id, t.clientId)),
    'client',
  );
  await checkProvider(ctx, p.ticket_project_select, client.providerId);
  if (p.client_department !== undefined && p.client_department !== t.departmentId) {
    const dep = await getDepartment(ctx, p.client_department);
    if (dep.providerId !== client.providerId)
      throw invalid(
        'client_department',
        `Department ${dep.id} does not serve this client's provider`,
        String(dep.id),
      );
    patch.departmentId = dep.id;
  }
  if (p.ticket_item !== undefined) patch.serviceId = (await getService(ctx, t.clientId, p.ticket_item)).id;
  if (p.priority !== undefined) patch.priority = p.priority;
  if (p.client_priority !== undefined) patch.clientPriority = p.client_priority;
  if (p.high_priority && p.low_priority)
    throw invalid('low_priority', 'high_priority and low_priority exclude each other');
  if (p.high_priority) patch.highPriority = true;
  if (p.low_priority) patch.highPriority = false;
  if (p.responsible !== undefined) patch.responsibleId = await staffMember(ctx, p.responsible);
  const deadline = await requestedDeadline(ctx, t, p);
  if (deadline && !sameSecond(deadline, t.deadline)) {
    patch.deadline = deadline;
    patch.deadlineManual = true;
  }
  const next = { ...t, ...patch };
  if (!next.deadlineManual) patch.deadline = await deadlineFor(ctx, next);
  const changed = Object.fromEntries(
    Object.entries(patch).filter(([key, value]) => !same(value, t[key as keyof Ticket])),
  );
  return Object.keys(changed).length > 0 ? updateTicket(ctx, t, changed) : t;
}

const same = (a: unknown, b: unknown) =>
  a instanceof Date || b instanceof Date ? sameSecond(a as Date | null, b as Date | null) : a === b;

/** Forms show times to the second; a deadline posted back from a form is the same deadline. */
function sameSecond(a: Date | null | undefined, b: Date | null | undefined): boolean {
  if (!a || !b) return a === b;
  return Math.floor(a.getTime() / 1000) === Math.floor(b.getTime() / 1000);
}

/**
 * `deadline_date` and `deadline_time` in the caller's time zone. A time alone keeps the date of the
 * current deadline (today when there is none); a date alone means the end of that day.
 */
async function requestedDeadline(ctx: RunContext, t: Ticket, p: FieldParams): Promise<Date | null> {
  if (!p.deadline_date && !p.deadline_time) return null;
  const zone = await staffZone(ctx);
  const day = p.deadline_date ?? localDateTime(t.deadline ?? ctx.now, zone).date;
  const [h, m, s] = timeOfDay(p.deadline_time ?? '23:59:59');
  const [y, mo, d] = calendarDate(day);
  return new Date(TZDate.tz(zone, y, mo - 1, d, h, m, s).getTime());
}

/** A moment as the form shows it in a time zone: `YYYY-MM-DD` and `HH:MM:SS`. */
export function localDateTime(at: Date, zone: string): { date: string; time: string } {
  const text = format(new TZDate(at, zone), 'yyyy-MM-dd HH:mm:ss');
  return { date: text.slice(0, 10), time: text.slice(11) };
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
export async function staffZone(ctx: RunContext): Promise<string> {
  const [me] = await ctx.tx
    .select({ tz: users.timezone })
    .from(users)
    .where(eq(users.id, ctx.session.suBy?.userId ?? ctx.session.userId));
  return me?.tz ?? 'UTC';
}

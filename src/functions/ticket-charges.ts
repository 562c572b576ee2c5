import { and, eq, ne, sql } from 'drizzle-orm';
import { type AbuseAction, clients, expenses, type Ticket, users, violations } from '../../db/schema.ts';
import { invalid, missed } from './errors.ts';
import { addStaffMessage, asStaff, updateTicket } from './ticket-data.ts';
import type { RunContext } from './types.ts';

interface ChargeParams {
  ticket_expense?: string;
  incident_count?: number;
  show_abuse?: boolean;
  score?: number;
  score_note?: string;
  action?: AbuseAction;
}

/** What a ticket costs or registers against its client: an expense, the paid-support balance, a violation. */
export async function applyCharges(ctx: RunContext, t: Ticket, p: ChargeParams): Promise<Ticket> {
  const staffId = ctx.session.suBy?.userId ?? ctx.session.userId;
  let touched = false;
  if (p.ticket_expense !== undefined) {
    // As in BILLmanager the balance may go negative: the work was done, the client owes it. One
    // relative update, so concurrent charges each count.
    await ctx.tx
      .update(clients)
      .set({ balance: sql`${clients.balance} - ${p.ticket_expense}` })
      .where(eq(clients.id, t.clientId));
    await ctx.tx.insert(expenses).values({
      clientId: t.clientId,
      ticketId: t.id,
      staffId,
      amount: p.ticket_expense,
      createdAt: ctx.now,
    });
    touched = true;
  }
  if (p.incident_count !== undefined) {
    // The form shows the count: posted back unchanged it is no change.
    const changed = await ctx.tx
      .update(clients)
      .set({ incidents: p.incident_count })
      .where(and(eq(clients.id, t.clientId), ne(clients.incidents, p.incident_count)))
      .returning({ id: clients.id });
    touched ||= changed.length > 0;
  }
  const abuseGiven = p.score !== undefined || p.score_note !== undefined || p.action !== undefined;
  if (abuseGiven && !p.show_abuse) throw invalid('show_abuse', 'Set show_abuse=on to register a violation');
  if (p.show_abuse && abuseGiven) {
    if (p.score === undefined) throw missed('score', 'Parameter score is required to register a violation');
    return registerViolation(ctx, t, {
      score: p.score,
      note: p.score_note ?? '',
      action: p.action ?? 'none',
    });
  }
  return touched ? updateTicket(ctx, t, {}) : t;
}

/** A violation on the ticket's client, with its action's effect (see ABUSE_ACTIONS). */
async function registerViolation(
  ctx: RunContext,
  t: Ticket,
  v: { score: number; note: string; action: AbuseAction },
): Promise<Ticket> {
  const staff = asStaff(ctx);
  await ctx.tx.insert(violations).values({
    clientId: t.clientId,
    ticketId: t.id,
    staffId: staff.session.userId,
    score: v.score,
    note: v.note,
    action: v.action,
    createdAt: ctx.now,
  });
  await ctx.tx
    .update(clients)
    .set({ abuseScore: sql`${clients.abuseScore} + ${v.score}` })
    .where(eq(clients.id, t.clientId));
  if (v.action === 'block')
    await ctx.tx.update(users).set({ disabled: true }).where(eq(users.clientId, t.clientId));
  if (v.action !== 'warn') return updateTicket(ctx, t, {});
  const warning = `A violation was registered on your account (${v.score} points)${v.note ? `: ${v.note}` : '.'}`;
  return (await addStaffMessage(staff, t, { body: warning })).ticket;
}

import { eq, sql } from 'drizzle-orm';
import { clients, expenses, type Ticket, violations } from '../../db/schema.ts';
import { invalid, missed } from './errors.ts';
import { updateTicket } from './store.ts';
import type { RunContext } from './types.ts';

interface ChargeParams {
  ticket_expense?: string;
  incident_count?: number;
  show_abuse?: boolean;
  score?: number;
  score_note?: string;
  action?: 'none' | 'warn' | 'suspend' | 'block';
}

/** What a ticket costs or registers against its client: an expense, the paid-support balance, a violation. */
export async function applyCharges(ctx: RunContext, t: Ticket, p: ChargeParams): Promise<Ticket> {
  const staffId = ctx.session.suBy?.userId ?? ctx.session.userId;
  let touched = false;
  if (p.ticket_expense !== undefined) {
    // Debit only what the balance covers, in one conditional update, so concurrent charges cannot overdraw.
    const debited = await ctx.tx
      .update(clients)
      .set({ balance: sql`${clients.balance} - ${p.ticket_expense}` })
      .where(sql`${clients.id} = ${t.clientId} and ${clients.balance} >= ${p.ticket_expense}`)
      .returning({ id: clients.id });
    if (debited.length === 0) {
      const [c] = await ctx.tx
        .select({ balance: clients.balance })
        .from(clients)
        .where(eq(clients.id, t.clientId));
      throw invalid(
        'ticket_expense',
        `The client's balance ${c.balance} does not cover ${p.ticket_expense}`,
        p.ticket_expense,
      );
    }
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
    await ctx.tx.update(clients).set({ incidents: p.incident_count }).where(eq(clients.id, t.clientId));
    touched = true;
  }
  const abuseGiven = p.score !== undefined || p.score_note !== undefined || p.action !== undefined;
  if (abuseGiven && !p.show_abuse) throw invalid('show_abuse', 'Set show_abuse=on to register a violation');
  if (p.show_abuse && abuseGiven) {
    if (p.score === undefined) throw missed('score', 'Parameter score is required to register a violation');
    await ctx.tx.insert(violations).values({
      clientId: t.clientId,
      ticketId: t.id,
      staffId,
      score: p.score,
      note: p.score_note ?? '',
      action: p.action ?? 'none',
      createdAt: ctx.now,
    });
    await ctx.tx
      .update(clients)
      .set({ abuseScore: sql`${clients.abuseScore} + ${p.score}` })
      .where(eq(clients.id, t.clientId));
    touched = true;
  }
  return touched ? updateTicket(ctx, t, {}) : t;
}

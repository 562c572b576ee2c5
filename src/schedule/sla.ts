import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { type Department, departments, type Ticket, tickets, users } from '../../db/schema.ts';
import { mention as mentionOf, onCallAt } from '../domain/rotation.ts';
import { slaRunning, warningPlan } from '../domain/sla.ts';
import type { Deps } from '../functions/types.ts';
import { cancel, enqueue, type Job } from './jobs.ts';
import { postAboutTicket, type Slack } from './slack-out.ts';
import { warningMessage } from './views/alerts.ts';

export const SLA_WARNING = 'sla.warning';

/** What the pending warnings depend on: when the clock is running, its deadline and department. */
export function slaFingerprint(t: Ticket): string {
  return slaRunning(t) ? `${t.deadline.getTime()}@${t.departmentId}` : '';
}

/**
 * Replaces the ticket's pending warnings with those of its current deadline. The deadline is part of
 * the dedupe key, so a warning a worker is sending right now for the old deadline cannot block the new one.
 */
export async function rescheduleWarnings(tx: Tx, t: Ticket, dep: Department, now: Date): Promise<void> {
  await cancel(tx, `sla:${t.id}:`, now);
  if (!slaRunning(t)) return;
  for (const { stage, at } of warningPlan(t.deadline, dep.warningStages, now)) {
    await enqueue(
      tx,
      {
        kind: SLA_WARNING,
        dedupeKey: `sla:${t.id}:${stage}:${t.deadline.getTime()}`,
        runAt: at,
        payload: { ticketId: t.id, stage, deadline: t.deadline.toISOString() },
      },
      now,
    );
  }
}

/**
 * Sends one warning, after reading the ticket again: if it was answered, closed or re-dated since the
 * job was scheduled, nothing is sent (the change itself scheduled whatever is due now).
 */
export function slaWarningHandler(slack: Slack) {
  return async (job: Job, deps: Deps): Promise<void> => {
    const { ticketId, stage, deadline } = job.payload as {
      ticketId: number;
      stage: number;
      deadline: string;
    };
    const [row] = await deps.db
      .select({ ticket: tickets, dep: departments, slackUserId: users.slackUserId })
      .from(tickets)
      .innerJoin(departments, eq(departments.id, tickets.departmentId))
      .leftJoin(users, eq(users.id, tickets.responsibleId))
      .where(eq(tickets.id, ticketId));
    if (!row || !slaRunning(row.ticket) || row.ticket.deadline.toISOString() !== deadline) return;
    const now = deps.now();
    const target = row.slackUserId ?? onCallAt(row.dep.oncall ?? null, now).current;
    const message = warningMessage(
      row.ticket,
      stage,
      row.ticket.deadline,
      row.dep.calendar.timezone,
      target ? mentionOf(target) : null,
      now,
    );
    await postAboutTicket(slack, deps.db, ticketId, message);
  };
}

import { and, eq, gte } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { type Department, departments, slaWarnings, type Ticket, tickets, users } from '../../db/schema.ts';
import { mention as mentionOf, onCallAt } from '../domain/rotation.ts';
import { slaRunning, supersededStage, warningPlan } from '../domain/sla.ts';
import type { Deps } from '../functions/types.ts';
import { cancel, enqueue, type Job } from '../jobs/queue.ts';
import { postAboutTicket, postIdentity, type Slack } from './slack-out.ts';
import { warningMessage } from './views/alerts.ts';

export const SLA_WARNING = 'sla.warning';

/** What the pending warnings depend on: when the clock is running, its deadline and department. */
export function slaFingerprint(t: Ticket): string {
  return slaRunning(t) ? `${t.deadline.getTime()}@${t.departmentId}` : '';
}

const warningKey = (ticketId: number, stage: number, deadline: Date) =>
  `sla:${ticketId}:${stage}:${deadline.getTime()}`;

/**
 * Replaces the ticket's pending warnings with those of its current deadline still to send: stages
 * already sent for this deadline are not planned again (a settings save that leaves the deadline
 * where it was sends nothing), and a deadline already passed is announced once per wait. The
 * deadline is part of the dedupe key, so a warning a worker is sending right now for the old
 * deadline cannot block the new one.
 */
export async function rescheduleWarnings(tx: Tx, t: Ticket, dep: Department, now: Date): Promise<void> {
  await cancel(tx, `sla:${t.id}:`, now);
  if (!slaRunning(t)) return;
  const sent = await sentDuringWait(tx, t);
  const overdueOwed = !sent.some((w) => w.overdue);
  for (const { stage, at } of warningPlan(t.deadline, dep.warningStages, now, overdueOwed)) {
    if (sent.some((w) => w.stage === stage && w.deadline.getTime() === t.deadline.getTime())) continue;
    await enqueue(
      tx,
      {
        kind: SLA_WARNING,
        dedupeKey: warningKey(t.id, stage, t.deadline),
        runAt: at,
        payload: { ticketId: t.id, stage, deadline: t.deadline.toISOString() },
      },
      now,
    );
  }
}

/** The warnings sent about the ticket since the client started waiting this time. */
function sentDuringWait(db: Db | Tx, t: Pick<Ticket, 'id' | 'waitingSince'>) {
  return db
    .select()
    .from(slaWarnings)
    .where(
      and(
        eq(slaWarnings.ticketId, t.id),
        t.waitingSince ? gte(slaWarnings.sentAt, t.waitingSince) : undefined,
      ),
    );
}

/**
 * Sends one warning, after reading the ticket again. Nothing is sent when it was answered, closed or
 * re-dated since the job was scheduled (the change itself scheduled whatever is due now), when a
 * later stage is due too (after downtime only the latest stage goes out, worded for how late it is),
 * or when this stage of this deadline was already sent.
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
    const t = row.ticket;
    if (supersededStage(t.deadline, stage, row.dep.warningStages, now)) return;
    const sent = await sentDuringWait(deps.db, t);
    const overdue = t.deadline <= now;
    if (sent.some((w) => w.stage === stage && w.deadline.getTime() === t.deadline.getTime())) return;
    if (overdue && sent.some((w) => w.overdue)) return;
    const target = row.slackUserId ?? onCallAt(row.dep.oncall ?? null, now).current;
    const message = warningMessage(
      t,
      stage,
      t.deadline,
      row.dep.calendar.timezone,
      target ? mentionOf(target) : null,
      now,
    );
    await postAboutTicket(slack, deps.db, ticketId, message, postIdentity(job));
    await deps.db
      .insert(slaWarnings)
      .values({ ticketId, deadline: t.deadline, stage, overdue, sentAt: now })
      // The same manual deadline in a later wait: the row now tells about this wait.
      .onConflictDoUpdate({
        target: [slaWarnings.ticketId, slaWarnings.deadline, slaWarnings.stage],
        set: { overdue, sentAt: now },
      });
  };
}

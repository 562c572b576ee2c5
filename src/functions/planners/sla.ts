import { and, eq, gte } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../../../db/client.ts';
import { type Department, slaWarnings, type Ticket } from '../../../db/schema.ts';
import { slaRunning, warningPlan } from '../../domain/sla.ts';
import { cancel, enqueue } from '../../jobs/queue.ts';

export const SLA_WARNING = 'sla.warning';
/** What an SLA warning job carries; parsed when the job is claimed. */
export const slaWarningPayload = z.object({
  ticketId: z.number().int(),
  stage: z.number().int(),
  deadline: z.iso.datetime(),
});

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
    const payload: z.input<typeof slaWarningPayload> = {
      ticketId: t.id,
      stage,
      deadline: t.deadline.toISOString(),
    };
    await enqueue(
      tx,
      { kind: SLA_WARNING, dedupeKey: warningKey(t.id, stage, t.deadline), runAt: at, payload },
      now,
    );
  }
}

/** The warnings sent about the ticket since the client started waiting this time. */
export function sentDuringWait(db: Db | Tx, t: Pick<Ticket, 'id' | 'waitingSince'>) {
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

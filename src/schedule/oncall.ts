import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import {
  type Department,
  departments,
  type Escalation,
  escalations,
  STATUS,
  type Ticket,
  tickets,
  users,
} from '../../db/schema.ts';
import { mention, onCallAt } from '../domain/rotation.ts';
import { effectivePriority } from '../domain/tickets.ts';
import { denied, invalid, missed } from '../functions/errors.ts';
import type { Deps } from '../functions/types.ts';
import { cancel, enqueue, type Job } from './jobs.ts';
import { postAboutTicket, type Slack, update } from './slack-out.ts';
import { pageMessage, pageTakenMessage } from './views/alerts.ts';

export const ONCALL_PAGE = 'oncall.page';
export const ONCALL_TAKEN = 'oncall.taken';
/** Chain step targets; 'oncall' is resolved when the step runs, so a hand-over in between counts. */
const CURRENT_ONCALL = 'oncall';

/** A ticket needs a human on call while it is high priority (set or raised) and not closed. */
export function needsOnCall(t: Ticket): boolean {
  return effectivePriority(t) === 2 && t.status !== STATUS.closed && t.status !== STATUS.archived;
}

/**
 * Keeps the ticket's paging episode in step with the ticket, inside its transaction: a ticket that
 * (again) needs on-call starts an episode and schedules the whole chain; one that no longer does ends
 * it; a staff reply while paging counts as taking it.
 */
export async function syncEscalation(
  tx: Tx,
  t: Ticket,
  dep: Department,
  actorUserId: number | null,
  now: Date,
): Promise<void> {
  const [open] = await tx
    .select()
    .from(escalations)
    .where(and(eq(escalations.ticketId, t.id), isNull(escalations.endedAt)))
    .orderBy(desc(escalations.id))
    .limit(1)
    .for('update');
  if (!needsOnCall(t)) {
    if (open) {
      await tx.update(escalations).set({ endedAt: now }).where(eq(escalations.id, open.id));
      await cancel(tx, `oncall:${t.id}:`, now);
    }
    return;
  }
  if (!open) return startEscalation(tx, t, dep, now);
  const answered = t.status === STATUS.awaiting && t.waitingSince === null;
  if (answered && !open.ackedAt && actorUserId !== null) {
    const [who] = await tx
      .select({ slack: users.slackUserId, name: users.name })
      .from(users)
      .where(eq(users.id, actorUserId));
    await take(tx, open, who?.slack ?? who?.name ?? 'staff', now);
  }
}

async function startEscalation(tx: Tx, t: Ticket, dep: Department, now: Date): Promise<void> {
  const oncall = dep.oncall;
  if (!oncall) return;
  const targets = [...(oncall.usergroup || oncall.rotation ? [CURRENT_ONCALL] : []), ...oncall.chain];
  if (targets.length === 0) return;
  const [esc] = await tx.insert(escalations).values({ ticketId: t.id, startedAt: now }).returning();
  for (const [step, target] of targets.entries()) {
    await enqueue(
      tx,
      {
        kind: ONCALL_PAGE,
        dedupeKey: `oncall:${t.id}:${esc.id}:${step}`,
        runAt: new Date(now.getTime() + step * oncall.ackMinutes * 60_000),
        payload: { escalationId: esc.id, ticketId: t.id, step, target },
      },
      now,
    );
  }
}

/** Records who took the ticket, stops the chain and, if anyone was paged, tells them. */
async function take(tx: Tx, esc: Escalation, by: string, now: Date): Promise<void> {
  await tx.update(escalations).set({ ackedAt: now, ackedBy: by }).where(eq(escalations.id, esc.id));
  await cancel(tx, `oncall:${esc.ticketId}:${esc.id}:`, now);
  if (esc.lastStep >= 0) {
    await enqueue(
      tx,
      {
        kind: ONCALL_TAKEN,
        dedupeKey: `oncall-taken:${esc.id}`,
        runAt: now,
        payload: { escalationId: esc.id },
      },
      now,
    );
  }
}

export type AckResult =
  | { taken: true; ticketId: number }
  | { taken: false; ticketId: number; by: string | null };

/**
 * The Ack button: the first staff member to press it takes the ticket and stops the chain; a later
 * press learns who already did. Only staff linked to Slack may take tickets.
 */
export async function ackEscalation(
  deps: Deps,
  escalationId: number,
  slackUserId: string,
): Promise<AckResult> {
  return deps.db.transaction(async (tx) => {
    const [staff] = await tx
      .select({ id: users.id })
      .from(users)
      .where(
        and(
          eq(users.slackUserId, slackUserId),
          sql`${users.level} in ('root', 'admin')`,
          eq(users.disabled, false),
        ),
      );
    if (!staff) throw denied('user', 'Only staff members can take on-call tickets');
    const [esc] = await tx.select().from(escalations).where(eq(escalations.id, escalationId)).for('update');
    if (!esc) throw missed('escalation', `Page ${escalationId} does not exist`, String(escalationId));
    if (esc.ackedAt) return { taken: false, ticketId: esc.ticketId, by: esc.ackedBy };
    if (esc.endedAt) throw invalid('escalation', `Ticket ${esc.ticketId} no longer needs on-call`);
    await take(tx, esc, slackUserId, deps.now());
    return { taken: true, ticketId: esc.ticketId };
  });
}

/** Posts one step of the chain, unless the ticket was taken, lowered or closed meanwhile. */
export function oncallPageHandler(slack: Slack) {
  return async (job: Job, deps: Deps): Promise<void> => {
    const p = job.payload as { escalationId: number; ticketId: number; step: number; target: string };
    const [row] = await deps.db
      .select({ esc: escalations, ticket: tickets, dep: departments })
      .from(escalations)
      .innerJoin(tickets, eq(tickets.id, escalations.ticketId))
      .innerJoin(departments, eq(departments.id, tickets.departmentId))
      .where(eq(escalations.id, p.escalationId));
    if (!row || row.esc.ackedAt || row.esc.endedAt || !needsOnCall(row.ticket)) return;
    const now = deps.now();
    const target = p.target === CURRENT_ONCALL ? onCallAt(row.dep.oncall ?? null, now).current : p.target;
    if (!target) throw new Error(`Department ${row.dep.id} has nobody on call`);
    const waited = Math.round((now.getTime() - row.esc.startedAt.getTime()) / 60_000);
    const message = pageMessage(row.ticket, row.esc.id, p.step, mention(target), waited);
    const posted = await postAboutTicket(slack, deps.db, p.ticketId, { ...message, broadcast: true });
    if (!posted) throw new Error(`Ticket ${p.ticketId} has no card and its department no channel`);
    await deps.db
      .update(escalations)
      .set({
        lastStep: sql`greatest(${escalations.lastStep}, ${p.step})`,
        messages: sql`${escalations.messages} || ${JSON.stringify([posted])}::jsonb`,
      })
      .where(eq(escalations.id, row.esc.id));
  };
}

/** After an Ack: every page posted for the episode is replaced in place by who took the ticket. */
export function oncallTakenHandler(slack: Slack) {
  return async (job: Job, deps: Deps): Promise<void> => {
    const { escalationId } = job.payload as { escalationId: number };
    const [row] = await deps.db
      .select({ esc: escalations, ticket: tickets })
      .from(escalations)
      .innerJoin(tickets, eq(tickets.id, escalations.ticketId))
      .where(eq(escalations.id, escalationId));
    if (!row?.esc.ackedBy) return;
    const message = pageTakenMessage(row.ticket, row.esc.ackedBy);
    for (const m of row.esc.messages) await update(slack, { ...m, ...message });
  };
}

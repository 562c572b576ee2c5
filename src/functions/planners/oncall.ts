import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '../../../db/client.ts';
import { one } from '../../../db/rows.ts';
import {
  type Department,
  type Escalation,
  escalations,
  STATUS,
  type Ticket,
  users,
} from '../../../db/schema.ts';
import { effectivePriority } from '../../domain/tickets.ts';
import { cancel, enqueue } from '../../jobs/queue.ts';

export const ONCALL_PAGE = 'oncall.page';
/** Replaces the posted pages of an episode that was taken or ended: no live Ack button stays behind. */
export const ONCALL_SETTLED = 'oncall.settled';
/** Chain step targets; 'oncall' is resolved when the step runs, so a hand-over in between counts. */
export const CURRENT_ONCALL = 'oncall';

/** What an on-call page job carries; parsed when the job is claimed. */
export const oncallPagePayload = z.object({
  escalationId: z.number().int(),
  ticketId: z.number().int(),
  step: z.number().int().min(0),
  target: z.string().min(1),
});
export const oncallSettledPayload = z.object({ escalationId: z.number().int() });

/** A ticket needs a human on call while it is high priority (set or raised) and not closed. */
export function needsOnCall(t: Ticket): boolean {
  return effectivePriority(t) === 2 && t.status !== STATUS.closed && t.status !== STATUS.archived;
}

/**
 * Keeps the ticket's paging episode in step with the ticket, inside the call's transaction, walking
 * the states the call took it through: a ticket that (again) needs on-call starts an episode and
 * schedules the whole chain; one that no longer does ends it; a staff reply while paging counts as
 * taking it. The open episode is read once, however many steps the call made.
 */
export async function syncEscalation(
  tx: Tx,
  states: readonly Ticket[],
  departmentOf: (t: Ticket) => Department,
  actorUserId: number | null,
  now: Date,
): Promise<void> {
  const id = states[0]?.id;
  if (id === undefined) return;
  let [open]: (Escalation | undefined)[] = await tx
    .select()
    .from(escalations)
    .where(and(eq(escalations.ticketId, id), isNull(escalations.endedAt)))
    .orderBy(desc(escalations.id))
    .limit(1)
    .for('update');
  for (const [i, t] of states.entries()) {
    const before = states[i - 1];
    if (!before || !(needsOnCall(before) || needsOnCall(t))) continue;
    if (!needsOnCall(t)) {
      if (open) await end(tx, open, now);
      open = undefined;
    } else if (!open) {
      open = await startEscalation(tx, t, departmentOf(t), now);
    } else if (
      t.status === STATUS.awaiting &&
      t.waitingSince === null &&
      !open.ackedAt &&
      actorUserId !== null
    ) {
      const [who] = await tx
        .select({ slack: users.slackUserId, name: users.name })
        .from(users)
        .where(eq(users.id, actorUserId));
      open = await take(tx, open, who?.slack ?? who?.name ?? 'staff', now);
    }
  }
}

async function end(tx: Tx, open: Escalation, now: Date): Promise<void> {
  await tx.update(escalations).set({ endedAt: now }).where(eq(escalations.id, open.id));
  await cancel(tx, `oncall:${open.ticketId}:`, now);
  if (!open.ackedAt) await settle(tx, open, now);
}

async function startEscalation(
  tx: Tx,
  t: Ticket,
  dep: Department,
  now: Date,
): Promise<Escalation | undefined> {
  const oncall = dep.oncall;
  if (!oncall) return undefined;
  const targets = [...(oncall.usergroup || oncall.rotation ? [CURRENT_ONCALL] : []), ...oncall.chain];
  if (targets.length === 0) return undefined;
  const esc = one(
    await tx.insert(escalations).values({ ticketId: t.id, startedAt: now }).returning(),
    'escalation',
  );
  for (const [step, target] of targets.entries()) {
    const payload: z.input<typeof oncallPagePayload> = { escalationId: esc.id, ticketId: t.id, step, target };
    await enqueue(
      tx,
      {
        kind: ONCALL_PAGE,
        dedupeKey: `oncall:${t.id}:${esc.id}:${step}`,
        runAt: new Date(now.getTime() + step * oncall.ackMinutes * 60_000),
        payload,
      },
      now,
    );
  }
  return esc;
}

/** Records who took the ticket, stops the chain and updates the pages posted. */
export async function take(tx: Tx, esc: Escalation, by: string, now: Date): Promise<Escalation> {
  await tx.update(escalations).set({ ackedAt: now, ackedBy: by }).where(eq(escalations.id, esc.id));
  await cancel(tx, `oncall:${esc.ticketId}:${esc.id}:`, now);
  await settle(tx, esc, now);
  return { ...esc, ackedAt: now, ackedBy: by };
}

/**
 * The episode's pages are updated to say how it ended. Always scheduled: a page being posted right
 * now is in no list yet, and the update, running after it, still finds it.
 */
export async function settle(tx: Tx, esc: Pick<Escalation, 'id'>, now: Date): Promise<void> {
  const payload: z.input<typeof oncallSettledPayload> = { escalationId: esc.id };
  await enqueue(
    tx,
    { kind: ONCALL_SETTLED, dedupeKey: `oncall-settled:${esc.id}`, runAt: now, payload },
    now,
  );
}

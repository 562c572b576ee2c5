import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { one } from '../../db/rows.ts';
import {
  type Department,
  departments,
  type Escalation,
  escalations,
  jobs,
  STATUS,
  type Ticket,
  tickets,
  users,
} from '../../db/schema.ts';
import { mention, onCallAt } from '../domain/rotation.ts';
import { effectivePriority, isClosed } from '../domain/tickets.ts';
import { denied, invalid, missed, TicketError } from '../functions/errors.ts';
import { call } from '../functions/registry.ts';
import type { Deps, Session } from '../functions/types.ts';
import { cancel, enqueue, type Job } from '../jobs/queue.ts';
import { NotYet } from '../jobs/worker.ts';
import { log } from '../log.ts';
import { postAboutTicket, postIdentity, type Slack, update } from './slack-out.ts';
import { pageEndedMessage, pageMessage, pageTakenMessage } from './views/alerts.ts';

export const ONCALL_PAGE = 'oncall.page';
/** Replaces the posted pages of an episode that was taken or ended: no live Ack button stays behind. */
export const ONCALL_SETTLED = 'oncall.settled';
/** Chain step targets; 'oncall' is resolved when the step runs, so a hand-over in between counts. */
const CURRENT_ONCALL = 'oncall';
/** How long a step waits for the step before it to be posted (it is running or about to). */
const STEP_WAIT_MS = 2_000;

/** A ticket needs a human on call while it is high priority (set or raised) and not closed. */
export function needsOnCall(t: Ticket): boolean {
  return effectivePriority(t) === 2 && !isClosed(t.status);
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
      if (!open.ackedAt) await settle(tx, open, now);
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
  const esc = one(
    await tx.insert(escalations).values({ ticketId: t.id, startedAt: now }).returning(),
    'escalation',
  );
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

/** Records who took the ticket, stops the chain and updates the pages posted. */
async function take(tx: Tx, esc: Escalation, by: string, now: Date): Promise<void> {
  await tx.update(escalations).set({ ackedAt: now, ackedBy: by }).where(eq(escalations.id, esc.id));
  await cancel(tx, `oncall:${esc.ticketId}:${esc.id}:`, now);
  await settle(tx, esc, now);
}

/**
 * The episode's pages are updated to say how it ended. Always scheduled: a page being posted right
 * now is in no list yet, and the update, running after it, still finds it.
 */
async function settle(tx: Tx, esc: Escalation, now: Date): Promise<void> {
  await enqueue(
    tx,
    {
      kind: ONCALL_SETTLED,
      dedupeKey: `oncall-settled:${esc.id}`,
      runAt: now,
      payload: { escalationId: esc.id },
    },
    now,
  );
}

export type AckResult =
  | { taken: true; ticketId: number }
  | { taken: false; ticketId: number; by: string | null };

/**
 * The Ack button: the first staff member to press it takes the ticket and stops the chain, and the
 * ticket is assigned to them (so its SLA warnings mention them, not the whole group); a later press
 * learns who already did. Only staff linked to Slack may take tickets.
 */
export async function ackEscalation(
  deps: Deps,
  escalationId: number,
  slackUserId: string,
): Promise<AckResult> {
  type Taken = { result: AckResult; staff: Pick<Session, 'userId' | 'login' | 'level'> };
  const { result, staff } = await deps.db.transaction(async (tx): Promise<Taken> => {
    const [staff] = await tx
      .select({ userId: users.id, login: users.login, level: users.level })
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
    if (esc.ackedAt) return { staff, result: { taken: false, ticketId: esc.ticketId, by: esc.ackedBy } };
    if (esc.endedAt) throw invalid('escalation', `Ticket ${esc.ticketId} no longer needs on-call`);
    await take(tx, esc, slackUserId, deps.now());
    return { staff, result: { taken: true, ticketId: esc.ticketId } };
  });
  if (result.taken) await assign(deps, staff, result.ticketId);
  return result;
}

/** The acker becomes responsible, through the registry like any assignment (audited, card refreshed). */
async function assign(
  deps: Deps,
  staff: Pick<Session, 'userId' | 'login' | 'level'>,
  ticketId: number,
): Promise<void> {
  const session = { ...staff, via: 'slack' };
  try {
    await call(deps, session, 'ticket.edit', {
      elid: String(ticketId),
      responsible: String(staff.userId),
      sok: 'ok',
    });
  } catch (error) {
    // The Ack stands (the chain is stopped); the assignment is left to a person.
    if (!(error instanceof TicketError)) throw error;
    log.warn('acked ticket not assigned', { ticketId, error: error.message });
  }
}

/**
 * Posts one step of the chain, unless the ticket was taken, lowered or closed meanwhile. Steps go out
 * in order: a step waits while the one before it is still on its way (a slow or dead replica holds
 * it), but not for one that is failing, so a broken step cannot hold the escalation back.
 */
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
    if (p.step > 0 && row.esc.lastStep < p.step - 1) {
      const [before] = await deps.db
        .select({ state: jobs.state, lastError: jobs.lastError })
        .from(jobs)
        .where(eq(jobs.dedupeKey, `oncall:${p.ticketId}:${p.escalationId}:${p.step - 1}`))
        .orderBy(desc(jobs.id))
        .limit(1);
      const onItsWay = before?.state === 'running' || (before?.state === 'pending' && !before.lastError);
      if (onItsWay) throw new NotYet(`step ${p.step - 1} not posted yet`, STEP_WAIT_MS);
    }
    const now = deps.now();
    const target = p.target === CURRENT_ONCALL ? onCallAt(row.dep.oncall ?? null, now).current : p.target;
    if (!target) throw new Error(`Department ${row.dep.id} has nobody on call`);
    const waited = Math.round((now.getTime() - row.esc.startedAt.getTime()) / 60_000);
    const message = pageMessage(row.ticket, row.esc.id, p.step, mention(target), waited);
    const posted = await postAboutTicket(
      slack,
      deps.db,
      p.ticketId,
      { ...message, broadcast: true },
      postIdentity(job),
    );
    if (!posted) throw new Error(`Ticket ${p.ticketId} has no card and its department no channel`);
    // A retry that found its earlier post records it once.
    await deps.db
      .update(escalations)
      .set({
        lastStep: sql`greatest(${escalations.lastStep}, ${p.step})`,
        messages: sql`case when ${escalations.messages} @> ${JSON.stringify([posted])}::jsonb
          then ${escalations.messages} else ${escalations.messages} || ${JSON.stringify([posted])}::jsonb end`,
      })
      .where(eq(escalations.id, row.esc.id));
    // Taken or ended while this page was on its way: it gets the same update as the others.
    const after = one(
      await deps.db.select().from(escalations).where(eq(escalations.id, row.esc.id)),
      'escalation',
    );
    if (after.ackedAt || after.endedAt) await deps.db.transaction((tx) => settle(tx, after, deps.now()));
  };
}

/** After an Ack or the end of the need: every page posted for the episode says so, with no button. */
export function oncallSettledHandler(slack: Slack) {
  return async (job: Job, deps: Deps): Promise<void> => {
    const { escalationId } = job.payload as { escalationId: number };
    const [row] = await deps.db
      .select({ esc: escalations, ticket: tickets })
      .from(escalations)
      .innerJoin(tickets, eq(tickets.id, escalations.ticketId))
      .where(eq(escalations.id, escalationId));
    if (!row) return;
    const message = row.esc.ackedBy
      ? pageTakenMessage(row.ticket, row.esc.ackedBy)
      : row.esc.endedAt
        ? pageEndedMessage(row.ticket)
        : null;
    if (!message) return;
    for (const m of row.esc.messages) await update(slack, { ...m, ...message });
  };
}

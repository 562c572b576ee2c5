import { and, asc, count, eq, gt, inArray, isNull, ne, or } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { departments, STATUS, ticketCards, tickets } from '../../db/schema.ts';
import type { Deps } from '../functions/types.ts';
import { enqueue } from '../jobs/queue.ts';

const OPEN = [STATUS.new, STATUS.review, STATUS.awaiting];

/**
 * The department's open tickets whose card is not (or not correctly) in `channel`: no card yet, a
 * card in another channel, or one Slack failed to update. Closed and archived tickets are not
 * re-posted: their cards stay where they are until the ticket changes again.
 */
function repostWhere(departmentId: number, channel: string) {
  return and(
    eq(tickets.departmentId, departmentId),
    inArray(tickets.status, OPEN),
    or(isNull(ticketCards.ticketId), ne(ticketCards.channel, channel), eq(ticketCards.stale, true)),
  );
}

export async function repostCount(tx: Tx, departmentId: number, channel: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(tickets)
    .leftJoin(ticketCards, eq(ticketCards.ticketId, tickets.id))
    .where(repostWhere(departmentId, channel));
  return Number(row?.n ?? 0);
}

/** The next batch to re-post, in ticket order after `afterId`. */
export async function repostBatch(
  db: Db,
  departmentId: number,
  channel: string,
  afterId: number,
  limit: number,
): Promise<number[]> {
  const rows = await db
    .select({ id: tickets.id })
    .from(tickets)
    .leftJoin(ticketCards, eq(ticketCards.ticketId, tickets.id))
    .where(and(repostWhere(departmentId, channel), gt(tickets.id, afterId)))
    .orderBy(asc(tickets.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

/** A department's name and the channel its cards go to now. */
export async function departmentChannel(db: Db, departmentId: number) {
  const [row] = await db
    .select({ name: departments.name, channel: departments.slackChannel })
    .from(departments)
    .where(eq(departments.id, departmentId));
  return row;
}

/** Queues a refresh of these tickets' cards (each moves itself to its department's channel). */
export async function enqueueCards(deps: Deps, ticketIds: number[]): Promise<void> {
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    for (const ticketId of ticketIds)
      await enqueue(
        tx,
        { kind: 'slack.card', dedupeKey: `card:${ticketId}`, runAt: now, payload: { ticketId } },
        now,
      );
  });
}

/** Queues a Slack-only job of the card jobs (a re-post batch, the marks a split leaves). */
export async function enqueueSlackJob(
  deps: Deps,
  job: { kind: string; dedupeKey: string; runAt: Date; payload: Record<string, unknown> },
): Promise<void> {
  const now = deps.now();
  await deps.db.transaction((tx) => enqueue(tx, job, now));
}

/** The ticket a split took this one from, if any. */
export async function splitSourceOf(db: Db, ticketId: number): Promise<number | undefined> {
  const [row] = await db.select({ from: tickets.splitFrom }).from(tickets).where(eq(tickets.id, ticketId));
  return row?.from ?? undefined;
}

/** The ticket has no card any more (it moved to a department without a channel). */
export async function forgetCard(db: Db, ticketId: number): Promise<void> {
  await db.delete(ticketCards).where(eq(ticketCards.ticketId, ticketId));
}

import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  auditLog,
  clients,
  departments,
  favorites,
  messages,
  STATUS,
  ticketCards,
  tickets,
  users,
} from '../../db/schema.ts';
import { invalid } from '../functions/errors.ts';
import { Changes } from '../functions/planners/changes.ts';
import { queueRows, ticketIdIn } from '../functions/queue-rows.ts';
import type { Deps, Row } from '../functions/types.ts';
import { enqueue, enqueueOnce } from '../jobs/queue.ts';

/**
 * A ticket as its shared card shows it: the staff queue's row as nobody in particular sees it
 * (no personal favorite/unread), whatever the ticket's status, and its department's channel.
 */
export async function cardTicket(
  deps: Deps,
  ticketId: number,
): Promise<{ row: Row; channel: string | null } | undefined> {
  const now = deps.now();
  const session = { userId: 0, login: 'slack-card', level: 'root' as const, via: 'slack' };
  const [row] = await queueRows(
    { tx: deps.db, session, now, settings: deps.settings, changes: new Changes() },
    ticketIdIn([ticketId]),
  );
  if (!row) return undefined;
  const [dep] = await deps.db
    .select({ channel: departments.slackChannel })
    .from(departments)
    .where(eq(departments.id, Number(row.department_id)));
  return { row, channel: dep?.channel ?? null };
}

export type Card = typeof ticketCards.$inferSelect;

export async function cardOf(db: Db, ticketId: number): Promise<Card | undefined> {
  const [card] = await db.select().from(ticketCards).where(eq(ticketCards.ticketId, ticketId));
  return card;
}

export async function saveCard(db: Db, card: Card): Promise<void> {
  await db
    .insert(ticketCards)
    .values(card)
    .onConflictDoUpdate({
      target: ticketCards.ticketId,
      set: { channel: card.channel, ts: card.ts, stale: card.stale },
    });
}

export async function markCardStale(db: Db, ticketId: number, stale: boolean): Promise<void> {
  await db.update(ticketCards).set({ stale }).where(eq(ticketCards.ticketId, ticketId));
}

/** The ticket whose card is the message `ts` in `channel` (a thread's parent). */
export async function ticketByCard(db: Db, channel: string, ts: string): Promise<number | undefined> {
  const [card] = await db
    .select({ ticketId: ticketCards.ticketId })
    .from(ticketCards)
    .where(and(eq(ticketCards.channel, channel), eq(ticketCards.ts, ts)));
  return card?.ticketId;
}

const mirrorColumns = {
  id: messages.id,
  ticketId: messages.ticketId,
  body: messages.body,
  fromStaff: messages.fromStaff,
  internal: messages.internal,
  hidden: messages.hidden,
  author: users.name,
  authorSlackId: users.slackUserId,
};

/** A message as its thread mirror shows it. */
export async function messageForMirror(db: Db, messageId: number) {
  const [row] = await db
    .select(mirrorColumns)
    .from(messages)
    .innerJoin(users, eq(users.id, messages.authorId))
    .where(eq(messages.id, messageId));
  return row;
}
export type MirroredMessage = NonNullable<Awaited<ReturnType<typeof messageForMirror>>>;

/** Every message of a ticket in order, as the thread mirrors show them: what a card's thread should hold. */
export async function messagesForMirror(db: Db, ticketId: number): Promise<MirroredMessage[]> {
  return db
    .select(mirrorColumns)
    .from(messages)
    .innerJoin(users, eq(users.id, messages.authorId))
    .where(eq(messages.ticketId, ticketId))
    .orderBy(messages.id);
}

/**
 * Queues thread-mirror jobs: a post for a message the thread lacks, an in-place update (`edited`,
 * with the mirror's `ts` when known) for one whose text changed. Keyed like the post of a new
 * message, so a pending job for the same message is replaced rather than doubled.
 */
export async function enqueueMirrors(
  deps: Deps,
  ticketId: number,
  items: { messageId: number; edited?: boolean; ts?: string }[],
): Promise<void> {
  if (items.length === 0) return;
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    for (const { messageId, edited, ts } of items) {
      await enqueue(
        tx,
        {
          kind: 'slack.message',
          dedupeKey: `message:${messageId}`,
          runAt: now,
          payload: { ticketId, messageId, ...(edited ? { edited: true } : {}), ...(ts ? { ts } : {}) },
        },
        now,
      );
    }
  });
}

/**
 * The card's countdown to the deadline: its next refresh. A refresh already pending stays as it is
 * (a ticket change queued it sooner, and must not be postponed); a ticket change moves this one up.
 */
export async function scheduleCardRefresh(deps: Deps, ticketId: number, at: Date): Promise<void> {
  const now = deps.now();
  await deps.db.transaction((tx) =>
    enqueueOnce(
      tx,
      { kind: 'slack.card', dedupeKey: `card:${ticketId}`, runAt: at, payload: { ticketId } },
      now,
    ),
  );
}

/**
 * The staff member who last changed the ticket from Slack: told when its card cannot be updated.
 * Only staff: the card lives in a staff channel a client must not even hear about.
 */
export async function lastSlackActor(db: Db, ticketId: number): Promise<string | undefined> {
  const [row] = await db
    .select({ slackUserId: users.slackUserId })
    .from(auditLog)
    .innerJoin(users, eq(users.id, auditLog.actorId))
    .where(
      and(
        eq(auditLog.ticketId, ticketId),
        eq(auditLog.via, 'slack'),
        inArray(users.level, ['root', 'admin']),
        eq(users.disabled, false),
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(1);
  return row?.slackUserId ?? undefined;
}

/**
 * Sets the channel a department's cards go to; its open tickets without a card get one. A channel
 * bound to a client is refused: its external members would read staff cards, notes and digests.
 */
export async function setDepartmentChannel(
  deps: Deps,
  departmentId: number,
  channel: string,
): Promise<boolean> {
  const rows = await deps.db.transaction(async (tx) => {
    const [client] = await tx
      .select({ name: clients.name })
      .from(clients)
      .where(eq(clients.slackChannel, channel));
    if (client) {
      throw invalid(
        'channel',
        `This channel belongs to client ${client.name}: department cards cannot go here`,
      );
    }
    return tx
      .update(departments)
      .set({ slackChannel: channel })
      .where(eq(departments.id, departmentId))
      .returning({ id: departments.id });
  });
  if (rows.length > 0) await refreshCardsIn(deps, channel);
  return rows.length > 0;
}

/**
 * Queues a refresh of every card that should be in `channel` and is stale or missing (the bot
 * was just invited, or the channel was just chosen): Slack failures are repaired here, later.
 */
export async function refreshCardsIn(deps: Deps, channel: string): Promise<number> {
  const now = deps.now();
  const due = await deps.db
    .select({ id: tickets.id })
    .from(tickets)
    .innerJoin(departments, eq(departments.id, tickets.departmentId))
    .leftJoin(ticketCards, eq(ticketCards.ticketId, tickets.id))
    .where(
      and(
        eq(departments.slackChannel, channel),
        sql`(${ticketCards.stale} or (${isNull(ticketCards.ticketId)} and ${inArray(tickets.status, [STATUS.new, STATUS.review, STATUS.awaiting])}))`,
      ),
    )
    .limit(500);
  await deps.db.transaction(async (tx) => {
    for (const { id } of due) {
      await enqueue(
        tx,
        { kind: 'slack.card', dedupeKey: `card:${id}`, runAt: now, payload: { ticketId: id } },
        now,
      );
    }
  });
  return due.length;
}

/** The client's most recent ticket: `/ticket su CLIENT` logs in through it. */
export async function latestTicketOf(db: Db, clientId: number): Promise<number | undefined> {
  const [row] = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(eq(tickets.clientId, clientId))
    .orderBy(desc(tickets.id))
    .limit(1);
  return row?.id;
}

/** Whether the ticket is one of the user's favorites (the Favorite button toggles). */
export async function isFavorite(db: Db, userId: number, ticketId: number): Promise<boolean> {
  const [row] = await db
    .select()
    .from(favorites)
    .where(and(eq(favorites.userId, userId), eq(favorites.ticketId, ticketId)));
  return row !== undefined;
}

import { messagePayload } from '../functions/effects.ts';
import { payloadOf } from '../jobs/payload.ts';
import type { Job } from '../jobs/queue.ts';
import { log } from '../log.ts';
import { splitSourceOf } from '../slack-store/card-moves.ts';
import {
  type Card,
  cardOf,
  enqueueMirrors,
  type MirroredMessage,
  markCardStale,
  messageForMirror,
  messagesForMirror,
} from '../slack-store/cards.ts';
import { isHeld } from '../slack-store/channel-holds.ts';
import { claimOnce, isClaimed, releaseClaim } from '../slack-store/dedupe.ts';
import { threadNoteKey } from './handlers/thread-reply.ts';
import { retryIfRateLimited } from './job-client.ts';
import type { CardJobs } from './jobs.ts';
import { followReplyCopies } from './reply-copies.ts';
import { isSlackError } from './reply-error.ts';
import { messageText, movedMessageText } from './views/card.ts';

/**
 * Thread mirrors carry Slack message metadata naming the ticket message they show. The card's thread
 * is then its own record of what was mirrored where: an edit finds the copy to update, and a card
 * that catches up after a broken channel finds what is missing, with no table of Slack timestamps.
 * `dated`: the copy shows when the message was written (it was posted late).
 */
export const MIRROR_EVENT = 'ticket_message';
/** A copy left in the old thread when a split moved its message to another ticket. */
const MOVED_EVENT = 'ticket_message_moved';
/** Mirrored messages are remembered long enough to outlive every retry of their job. */
export const MIRRORED_MS = 2 * 24 * 60 * 60_000;
/** A copy posted this long after its message was written says when that was. */
const LATE_MS = 5 * 60_000;

export function mirrorMetadata(m: Pick<MirroredMessage, 'id' | 'ticketId'>, dated = false) {
  return {
    event_type: MIRROR_EVENT,
    event_payload: { ticket_id: m.ticketId, message_id: m.id, ...(dated ? { dated: true } : {}) },
  };
}

/** The copy's text: with the time the message was written when the copy is dated. */
const copyText = (m: MirroredMessage, dated: boolean) => messageText(m, dated ? m.writtenAt : undefined);

interface ThreadReply {
  ts?: string;
  text?: string;
  user?: string;
  bot_id?: string;
  metadata?: { event_type?: string; event_payload?: { message_id?: unknown; dated?: unknown } };
}

type Mirror = { ts: string; text: string; dated: boolean };

/** Pages through a card's thread: the bot's mirrors by message id, and what people typed there. */
export async function readThread(jobs: Pick<CardJobs, 'web'>, card: Pick<Card, 'channel' | 'ts'>) {
  const mirrors = new Map<number, Mirror>();
  const typed: { user: string; text: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = await jobs.web.conversations.replies({
      channel: card.channel,
      ts: card.ts,
      include_all_metadata: true,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    for (const r of (page.messages ?? []) as ThreadReply[]) {
      if (!r.ts || r.ts === card.ts) continue;
      const id = Number(r.metadata?.event_payload?.message_id);
      if (r.metadata?.event_type === MIRROR_EVENT && Number.isSafeInteger(id))
        mirrors.set(id, { ts: r.ts, text: r.text ?? '', dated: r.metadata.event_payload?.dated === true });
      else if (r.user && !r.bot_id) typed.push({ user: r.user, text: r.text ?? '' });
    }
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return { mirrors, typed };
}

/**
 * Brings a card's thread up to date with the ticket's messages: those missing are queued for posting,
 * those whose text changed (edited, hidden) for an update in place. Notes a staff member typed in the
 * thread itself are there already, as their own Slack message. `fresh`: a card just posted, whose
 * thread is empty.
 */
export async function catchUpThread(
  jobs: CardJobs,
  ticketId: number,
  card: Pick<Card, 'channel' | 'ts'>,
  fresh: boolean,
): Promise<void> {
  const { mirrors, typed } = fresh
    ? { mirrors: new Map<number, Mirror>(), typed: [] }
    : await readThread(jobs, card);
  const items: { messageId: number; edited?: boolean; ts?: string; dated?: boolean }[] = [];
  for (const m of await messagesForMirror(jobs.deps.db, ticketId)) {
    const mirror = mirrors.get(m.id);
    if (mirror) {
      if (mirror.text !== copyText(m, mirror.dated))
        items.push({ messageId: m.id, edited: true, ts: mirror.ts, dated: mirror.dated });
    } else if (!(m.internal && typed.some((t) => t.user === m.authorSlackId && t.text.trim() === m.body))) {
      items.push({ messageId: m.id });
    }
  }
  await enqueueMirrors(jobs.deps, ticketId, items);
}

/** An edited or hidden message: its copy in the thread is updated in place; false when there is none. */
async function updateMirror(
  jobs: CardJobs,
  copy: { ts?: string; dated?: boolean },
  m: MirroredMessage,
): Promise<boolean> {
  const where = await cardOf(jobs.deps.db, m.ticketId);
  // Without a card there is no copy yet: the card, once posted, shows the message as it is then.
  if (!where) return true;
  try {
    const mirror = copy.ts
      ? { ts: copy.ts, dated: copy.dated === true }
      : (await readThread(jobs, where)).mirrors.get(m.id);
    if (!mirror) return false;
    await jobs.web.chat.update({
      channel: where.channel,
      ts: mirror.ts,
      text: copyText(m, mirror.dated),
      metadata: mirrorMetadata(m, mirror.dated),
    });
  } catch (error) {
    await jobs.failed(error, m.ticketId, where.channel);
  }
  return true;
}

/**
 * The `slack.message` job: a message is copied into its card's thread once per card (a card posted
 * anew, after a move or a split, gets every message again); an edit or hide updates the copy, and
 * the copies delivered to the client.
 */
export async function mirrorMessage(jobs: CardJobs, job: Job): Promise<void> {
  const { db } = jobs.deps;
  const payload = payloadOf(job, messagePayload);
  const m = await messageForMirror(db, payload.messageId);
  if (!m) return;
  if (payload.edited) {
    await followReplyCopies(jobs, m.id);
    // An edit whose message has no copy in the thread (yet) is posted like a new one.
    if (await updateMirror(jobs, payload, m)) return;
  }
  const where = (await cardOf(db, m.ticketId)) ?? (await jobs.card(m.ticketId));
  if (!where) return;
  if (await isHeld(db, where.channel)) {
    // Caught up when a root checks the channel again.
    await markCardStale(db, m.ticketId, true);
    return;
  }
  const mirrorKey = `mirror:${payload.messageId}:${where.channel}:${where.ts}`;
  if (await isClaimed(db, mirrorKey)) return;
  const noteKey = threadNoteKey(m.ticketId, m.body);
  if (m.internal && (await isClaimed(db, noteKey))) {
    // Typed in the thread itself: Slack already shows it.
    await claimOnce(db, mirrorKey, jobs.deps.now(), MIRRORED_MS);
    await releaseClaim(db, noteKey);
    return;
  }
  // Claimed before posting: a card catching up may queue the same message meanwhile.
  if (!(await claimOnce(db, mirrorKey, jobs.deps.now(), MIRRORED_MS))) return;
  const dated = jobs.deps.now().getTime() - m.writtenAt.getTime() > LATE_MS;
  try {
    await jobs.web.chat.postMessage({
      channel: where.channel,
      thread_ts: where.ts,
      text: copyText(m, dated),
      metadata: mirrorMetadata(m, dated),
      unfurl_links: false,
      unfurl_media: false,
    });
  } catch (error) {
    await releaseClaim(db, mirrorKey);
    await jobs.failed(error, m.ticketId, where.channel);
  }
}

/**
 * The `slack.split` job, once the new ticket's card is posted: the copies of the moved messages in
 * the old ticket's thread say where the messages went (their copies in the new thread were posted
 * with the new card). Marked copies no longer count as the old ticket's mirrors.
 */
export async function markSplitThread(jobs: CardJobs, ticketId: number): Promise<void> {
  const from = await splitSourceOf(jobs.deps.db, ticketId);
  const old = from === undefined ? undefined : await cardOf(jobs.deps.db, from);
  if (!old) return;
  try {
    const { mirrors } = await readThread(jobs, old);
    for (const m of await messagesForMirror(jobs.deps.db, ticketId)) {
      const copy = mirrors.get(m.id);
      if (!copy) continue;
      await jobs.web.chat.update({
        channel: old.channel,
        ts: copy.ts,
        text: movedMessageText(copy.text, ticketId),
        metadata: { event_type: MOVED_EVENT, event_payload: { ticket_id: ticketId, message_id: m.id } },
      });
    }
  } catch (error) {
    retryIfRateLimited(error);
    if (!isSlackError(error, 'channel_not_found', 'not_in_channel', 'is_archived', 'thread_not_found'))
      throw error;
    log.warn('split not marked in the old thread', { ticketId, from });
  }
}

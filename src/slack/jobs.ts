import type { WebClient } from '@slack/web-api';
import type { Deps } from '../functions/types.ts';
import type { Job } from '../jobs/queue.ts';
import type { JobHandler } from '../jobs/worker.ts';
import { log } from '../log.ts';
import {
  cardOf,
  cardTicket,
  lastSlackActor,
  markCardStale,
  messageForMirror,
  saveCard,
  scheduleCardRefresh,
} from '../slack-store/cards.ts';
import { claimOnce, isClaimed, releaseClaim } from '../slack-store/dedupe.ts';
import { replyForClient } from '../slack-store/recipients.ts';
import { threadNoteKey } from './handlers/thread-reply.ts';
import { retryIfRateLimited } from './job-client.ts';
import { catchUpThread, mirrorMetadata, readThread } from './mirror.ts';
import { isSlackError } from './reply-error.ts';
import { cardBlocks, cardText, countsDown, messageText } from './views/card.ts';
import { clientReplyBlocks, clientReplyText } from './views/client.ts';

/** Slack answers that mean "we cannot post there until a human fixes the channel". */
const CHANNEL_ERRORS = ['channel_not_found', 'not_in_channel', 'is_archived', 'channel_is_archived'];
/** Mirrored messages are remembered long enough to outlive every retry of their job. */
const MIRRORED_MS = 2 * 24 * 60 * 60_000;
const MINUTE = 60_000;

/**
 * When a card counting down to its deadline is refreshed next: often enough that the remaining
 * time it shows stays roughly true, rarely enough for Slack's rate limits, and at the deadline itself.
 */
export function nextCountdownAt(deadline: Date, now: Date): Date {
  const left = deadline.getTime() - now.getTime();
  const step =
    Math.abs(left) > 24 * 60 * MINUTE
      ? 60 * MINUTE
      : Math.abs(left) > 120 * MINUTE
        ? 15 * MINUTE
        : 5 * MINUTE;
  return new Date(left > 0 ? Math.min(deadline.getTime(), now.getTime() + step) : now.getTime() + step);
}

/**
 * The card and thread jobs that ticket changes enqueue (src/functions/effects.ts). They run in the
 * worker, outside any transaction. `web` should reject rate-limited calls rather than wait: the
 * job is then retried at Slack's Retry-After and the worker moves on.
 */
export function slackJobHandlers(web: WebClient, deps: Deps): Record<string, JobHandler> {
  /** What to do when Slack refuses: retry later, or keep the change, mark the card and tell a human. */
  async function failed(error: unknown, ticketId: number, channel: string): Promise<void> {
    retryIfRateLimited(error);
    if (!isSlackError(error, ...CHANNEL_ERRORS)) throw error;
    const card = await cardOf(deps.db, ticketId);
    if (card?.stale) return; // already known and told
    if (card) await markCardStale(deps.db, ticketId, true);
    // A card never posted has no stale mark: the card and thread jobs of one change would both tell.
    else if (!(await claimOnce(deps.db, `card-failed:${ticketId}`, deps.now(), MIRRORED_MS))) return;
    const reason = (error as { data: { error: string } }).data.error;
    log.warn('ticket card not updated', { ticketId, channel, reason });
    const who = await lastSlackActor(deps.db, ticketId);
    if (who) {
      await web.chat
        .postMessage({
          channel: who,
          text: `Ticket #${ticketId} was changed, but its card in <#${channel}> could not be updated (${reason}). Invite me to the channel; the card catches up then.`,
        })
        .catch((e: unknown) => log.warn('could not tell about the card', { error: String(e) }));
    }
  }

  /**
   * Posts the ticket's card, or updates it in place; returns where it is. A card that was stale, or
   * is posted for the first time, catches its thread up with the ticket's messages.
   */
  async function card(ticketId: number): Promise<{ channel: string; ts: string } | undefined> {
    const found = await cardTicket(deps, ticketId);
    if (!found) return undefined;
    const existing = await cardOf(deps.db, ticketId);
    const channel = existing?.channel ?? found.channel;
    if (!channel) return undefined; // the department has no channel: nothing to show
    const now = deps.now();
    const message = { channel, text: cardText(found.row), blocks: cardBlocks(found.row, now) };
    const shown = async <T>(where: T): Promise<T> => {
      if (countsDown(found.row))
        await scheduleCardRefresh(deps, ticketId, nextCountdownAt(found.row.deadline, now));
      return where;
    };
    try {
      if (existing) {
        try {
          await web.chat.update({ ...message, ts: existing.ts });
          if (existing.stale) {
            await catchUpThread(web, deps, ticketId, existing, false);
            await markCardStale(deps.db, ticketId, false);
          }
          return shown(existing);
        } catch (error) {
          if (!isSlackError(error, 'message_not_found')) throw error;
          // Someone deleted the card: post a fresh one below.
        }
      }
      const posted = await web.chat.postMessage({ ...message, unfurl_links: false, unfurl_media: false });
      const where = { channel, ts: String(posted.ts) };
      await saveCard(deps.db, { ticketId, ...where, stale: false });
      if (!existing) await catchUpThread(web, deps, ticketId, where, true);
      return shown(where);
    } catch (error) {
      await failed(error, ticketId, channel);
      return undefined;
    }
  }

  /** An edited or hidden message: its copy in the thread is updated in place; false when there is none. */
  async function updateMirror(job: Job, m: NonNullable<Awaited<ReturnType<typeof messageForMirror>>>) {
    const where = await cardOf(deps.db, m.ticketId);
    // Without a card there is no copy yet: the card, once posted, shows the message as it is then.
    if (!where) return true;
    try {
      const ts =
        typeof job.payload.ts === 'string'
          ? job.payload.ts
          : (await readThread(web, where)).mirrors.get(m.id)?.ts;
      if (!ts) return false;
      await web.chat.update({
        channel: where.channel,
        ts,
        text: messageText(m),
        metadata: mirrorMetadata(m),
      });
    } catch (error) {
      await failed(error, m.ticketId, where.channel);
    }
    return true;
  }

  /** A staff reply reaches the client where they follow the ticket, once per destination. */
  async function deliverReply(job: Job): Promise<void> {
    const reply = await replyForClient(deps.db, Number(job.payload.messageId));
    if (!reply?.visible) return;
    for (const to of reply.to) {
      const key = `reply:${job.payload.messageId}:${to}`;
      if (!(await claimOnce(deps.db, key, deps.now(), MIRRORED_MS))) continue;
      try {
        await web.chat.postMessage({
          channel: to,
          text: clientReplyText(reply),
          blocks: clientReplyBlocks(reply),
          unfurl_links: false,
          unfurl_media: false,
        });
      } catch (error) {
        await releaseClaim(deps.db, key);
        retryIfRateLimited(error);
        throw error;
      }
    }
  }

  return {
    'slack.reply': deliverReply,
    'slack.card': async (job: Job) => {
      await card(Number(job.payload.ticketId));
    },
    'slack.message': async (job: Job) => {
      const messageId = Number(job.payload.messageId);
      const m = await messageForMirror(deps.db, messageId);
      if (!m) return;
      // An edit whose message has no copy in the thread (yet) is posted like a new one.
      if (job.payload.edited && (await updateMirror(job, m))) return;
      const mirrorKey = `mirror:${messageId}`;
      if (await isClaimed(deps.db, mirrorKey)) return;
      const noteKey = threadNoteKey(m.ticketId, m.body);
      if (m.internal && (await isClaimed(deps.db, noteKey))) {
        // Typed in the thread itself: Slack already shows it.
        await claimOnce(deps.db, mirrorKey, deps.now(), MIRRORED_MS);
        await releaseClaim(deps.db, noteKey);
        return;
      }
      const where = (await cardOf(deps.db, m.ticketId)) ?? (await card(m.ticketId));
      if (!where) return;
      // Claimed before posting: a card catching up may queue the same message meanwhile.
      if (!(await claimOnce(deps.db, mirrorKey, deps.now(), MIRRORED_MS))) return;
      try {
        await web.chat.postMessage({
          channel: where.channel,
          thread_ts: where.ts,
          text: messageText(m),
          metadata: mirrorMetadata(m),
          unfurl_links: false,
          unfurl_media: false,
        });
      } catch (error) {
        await releaseClaim(deps.db, mirrorKey);
        await failed(error, m.ticketId, where.channel);
      }
    },
  };
}

/** Without Slack the jobs still come: they are completed at once so they do not pile up. */
export function noSlackJobHandlers(): Record<string, JobHandler> {
  const done: JobHandler = async () => {};
  return { 'slack.card': done, 'slack.message': done, 'slack.reply': done };
}

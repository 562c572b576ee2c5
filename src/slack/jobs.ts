import { ErrorCode, type WebClient } from '@slack/web-api';
import type { Deps } from '../functions/types.ts';
import { log } from '../log.ts';
import type { Job } from '../schedule/jobs.ts';
import { type JobHandler, RetryLater } from '../schedule/worker.ts';
import {
  cardOf,
  cardTicket,
  lastSlackActor,
  markCardStale,
  messageForMirror,
  saveCard,
} from '../slack-store/cards.ts';
import { claimOnce, isClaimed, releaseClaim } from '../slack-store/dedupe.ts';
import { threadNoteKey } from './handlers/thread-reply.ts';
import { isSlackError } from './reply-error.ts';
import { cardBlocks, cardText, messageText } from './views/card.ts';

/** Slack answers that mean "we cannot post there until a human fixes the channel". */
const CHANNEL_ERRORS = ['channel_not_found', 'not_in_channel', 'is_archived', 'channel_is_archived'];
/** Mirrored messages are remembered long enough to outlive every retry of their job. */
const MIRRORED_MS = 2 * 24 * 60 * 60_000;

/**
 * The card and thread jobs that ticket changes enqueue (src/functions/effects.ts). They run in the
 * worker, outside any transaction. `web` should reject rate-limited calls rather than wait: the
 * job is then retried at Slack's Retry-After and the worker moves on.
 */
export function slackJobHandlers(web: WebClient, deps: Deps): Record<string, JobHandler> {
  /** What to do when Slack refuses: retry later, or keep the change, mark the card and tell a human. */
  async function failed(error: unknown, ticketId: number, channel: string): Promise<void> {
    const code = (error as { code?: string }).code;
    if (code === ErrorCode.RateLimitedError) {
      const seconds = (error as { retryAfter?: number }).retryAfter ?? 30;
      throw new RetryLater(`Slack rate limit, retry after ${seconds} s`, seconds * 1000);
    }
    if (!isSlackError(error, ...CHANNEL_ERRORS)) throw error;
    const card = await cardOf(deps.db, ticketId);
    if (card?.stale) return; // already known and told
    if (card) await markCardStale(deps.db, ticketId, true);
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

  /** Posts the ticket's card, or updates it in place; returns where it is. */
  async function card(ticketId: number): Promise<{ channel: string; ts: string } | undefined> {
    const found = await cardTicket(deps, ticketId);
    if (!found) return undefined;
    const existing = await cardOf(deps.db, ticketId);
    const channel = existing?.channel ?? found.channel;
    if (!channel) return undefined; // the department has no channel: nothing to show
    const message = { channel, text: cardText(found.row), blocks: cardBlocks(found.row) };
    try {
      if (existing) {
        try {
          await web.chat.update({ ...message, ts: existing.ts });
          if (existing.stale) await markCardStale(deps.db, ticketId, false);
          return existing;
        } catch (error) {
          if (!isSlackError(error, 'message_not_found')) throw error;
          // Someone deleted the card: post a fresh one below.
        }
      }
      const posted = await web.chat.postMessage({ ...message, unfurl_links: false, unfurl_media: false });
      await saveCard(deps.db, { ticketId, channel, ts: String(posted.ts), stale: false });
      return { channel, ts: String(posted.ts) };
    } catch (error) {
      await failed(error, ticketId, channel);
      return undefined;
    }
  }

  return {
    'slack.card': async (job: Job) => {
      await card(Number(job.payload.ticketId));
    },
    'slack.message': async (job: Job) => {
      const messageId = Number(job.payload.messageId);
      const mirrorKey = `mirror:${messageId}`;
      if (await isClaimed(deps.db, mirrorKey)) return;
      const m = await messageForMirror(deps.db, messageId);
      if (!m) return;
      const noteKey = threadNoteKey(m.ticketId, m.body);
      if (m.internal && (await isClaimed(deps.db, noteKey))) {
        // Typed in the thread itself: Slack already shows it.
        await claimOnce(deps.db, mirrorKey, deps.now(), MIRRORED_MS);
        await releaseClaim(deps.db, noteKey);
        return;
      }
      const where = (await cardOf(deps.db, m.ticketId)) ?? (await card(m.ticketId));
      if (!where) return;
      try {
        await web.chat.postMessage({
          channel: where.channel,
          thread_ts: where.ts,
          text: messageText(m),
          unfurl_links: false,
          unfurl_media: false,
        });
      } catch (error) {
        await failed(error, m.ticketId, where.channel);
        return;
      }
      await claimOnce(deps.db, mirrorKey, deps.now(), MIRRORED_MS);
    },
  };
}

/** Without Slack the jobs still come: they are completed at once so they do not pile up. */
export function noSlackJobHandlers(): Record<string, JobHandler> {
  const done: JobHandler = async () => {};
  return { 'slack.card': done, 'slack.message': done };
}

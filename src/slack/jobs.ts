import type { WebClient } from '@slack/web-api';
import { countsDown } from '../domain/tickets.ts';
import { cardPayload } from '../functions/effects.ts';
import { queueTicketState } from '../functions/queue-rows.ts';
import { ticketCard } from '../functions/ticket-card.ts';
import type { Deps, Row } from '../functions/types.ts';
import { payloadOf } from '../jobs/payload.ts';
import type { Job } from '../jobs/queue.ts';
import type { JobHandler } from '../jobs/worker.ts';
import { log } from '../log.ts';
import { enqueueSlackJob, forgetCard, splitSourceOf } from '../slack-store/card-moves.ts';
import {
  type Card,
  cardOf,
  lastSlackActor,
  markCardStale,
  saveCard,
  scheduleCardRefresh,
} from '../slack-store/cards.ts';
import { isHeld } from '../slack-store/channel-holds.ts';
import { claimOnce } from '../slack-store/dedupe.ts';
import { repostDepartment } from './department-channel.ts';
import { retryIfRateLimited } from './job-client.ts';
import { catchUpThread, MIRRORED_MS, markSplitThread, mirrorMessage } from './mirror.ts';
import { deliverReply } from './reply-copies.ts';
import { isSlackError } from './reply-error.ts';
import { cardBlocks, cardText, type MovedTo, movedCardBlocks, movedCardText } from './views/card.ts';

/** Slack answers that mean "we cannot post there until a human fixes the channel". */
const CHANNEL_ERRORS = ['channel_not_found', 'not_in_channel', 'is_archived', 'channel_is_archived'];
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

/** What the card and thread jobs share: Slack, the engine, and the two ways a card is dealt with. */
export interface CardJobs {
  web: WebClient;
  deps: Deps;
  /** Posts, updates or moves the ticket's card; where it is now, if anywhere. */
  card(ticketId: number): Promise<Pick<Card, 'channel' | 'ts'> | undefined>;
  /** What to do when Slack refuses: retry later, or keep the change, mark the card and tell a human. */
  failed(error: unknown, ticketId: number, channel: string): Promise<void>;
}

/**
 * The card and thread jobs that ticket changes enqueue (src/functions/effects.ts). They run in the
 * worker, outside any transaction. `web` should reject rate-limited calls rather than wait: the
 * job is then retried at Slack's Retry-After and the worker moves on.
 */
export function slackJobHandlers(web: WebClient, deps: Deps): Record<string, JobHandler> {
  const jobs: CardJobs = { web, deps, card, failed };

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

  /** The card a ticket left behind says where it went; a failure here never holds up the move. */
  async function leaveBehind(old: Card, row: Row, to: MovedTo): Promise<void> {
    await web.chat
      .update({
        channel: old.channel,
        ts: old.ts,
        text: movedCardText(row, to),
        blocks: movedCardBlocks(row, to),
      })
      .catch((e: unknown) => log.warn('moved card not marked', { ticketId: row.id, error: String(e) }));
  }

  /**
   * Posts the ticket's card, updates it in place, or moves it: when the ticket's department (or the
   * department's channel) changed, the old card says where it went and a new one is posted in the
   * department's channel. A card posted anew gets the whole thread; a stale one catches its thread up.
   * `existingOnly`: a ticket without a card gets none (an imported ticket that moved).
   */
  async function card(
    ticketId: number,
    opts: { existingOnly?: boolean } = {},
  ): Promise<Pick<Card, 'channel' | 'ts'> | undefined> {
    const found = await ticketCard(deps, ticketId);
    if (!found) return undefined;
    const existing = await cardOf(deps.db, ticketId);
    if (!existing && opts.existingOnly) return undefined;
    const channel = found.channel;
    const to = { department: String(found.row.department ?? ''), channel };
    if (!channel) {
      // Moved to a department without a channel: nothing to show, and the old card says so.
      if (existing) {
        await leaveBehind(existing, found.row, to);
        await forgetCard(deps.db, ticketId);
      }
      return undefined;
    }
    if (await isHeld(deps.db, channel)) {
      // A non-staff member reads the channel: nothing is posted until a root checks it again.
      if (existing) await markCardStale(deps.db, ticketId, true);
      return undefined;
    }
    const now = deps.now();
    const message = { channel, text: cardText(found.row), blocks: cardBlocks(found.row, now) };
    const shown = async <T>(where: T): Promise<T> => {
      const state = queueTicketState(found.row);
      if (countsDown(state)) await scheduleCardRefresh(deps, ticketId, nextCountdownAt(state.deadline, now));
      return where;
    };
    try {
      if (existing?.channel === channel) {
        try {
          await web.chat.update({ ...message, ts: existing.ts });
          if (existing.stale) {
            await catchUpThread(jobs, ticketId, existing, false);
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
      if (existing && existing.channel !== channel) await leaveBehind(existing, found.row, to);
      await catchUpThread(jobs, ticketId, where, true);
      if (!existing && (await splitSourceOf(deps.db, ticketId)) !== undefined) {
        await enqueueSlackJob(deps, {
          kind: 'slack.split',
          dedupeKey: `split:${ticketId}`,
          runAt: now,
          payload: { ticketId },
        });
      }
      return shown(where);
    } catch (error) {
      await failed(error, ticketId, channel);
      return undefined;
    }
  }

  return {
    'slack.reply': (job: Job) => deliverReply(jobs, job),
    'slack.card': async (job: Job) => {
      const { ticketId, existingOnly } = payloadOf(job, cardPayload);
      await card(ticketId, { existingOnly });
    },
    'slack.message': (job: Job) => mirrorMessage(jobs, job),
    'slack.split': (job: Job) => markSplitThread(jobs, payloadOf(job, cardPayload).ticketId),
    'slack.repost': (job: Job) => repostDepartment(jobs, job),
  };
}

/** Without Slack the jobs still come: they are completed at once so they do not pile up. */
export function noSlackJobHandlers(): Record<string, JobHandler> {
  const done: JobHandler = async () => {};
  return {
    'slack.card': done,
    'slack.message': done,
    'slack.reply': done,
    'slack.split': done,
    'slack.repost': done,
  };
}

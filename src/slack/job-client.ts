import type { KnownBlock } from '@slack/types';
import { ErrorCode, WebClient, type WebClientOptions } from '@slack/web-api';
import type { Db } from '../../db/client.ts';
import { RetryLater } from '../jobs/worker.ts';
import { isHeld } from '../slack-store/channel-holds.ts';
import { postTarget } from '../slack-store/scheduled.ts';

/**
 * The Web API client jobs use (cards, threads, replies, SLA warnings, pages, digests, alerts): the
 * one way the worker talks to Slack. Tests hand in a client of their fake Slack.
 */
export type JobSlack = Pick<WebClient, 'chat' | 'conversations'>;

/**
 * The job client: a rate limit fails the call at once (the job is retried at Slack's Retry-After by
 * the job table) instead of the client sleeping; a call that hangs times out, since the worker's
 * heartbeat would otherwise hold its job forever. `extra`: the metered fetch and logger.
 */
export function jobClient(token: string, apiUrl?: string, extra: WebClientOptions = {}): WebClient {
  return new WebClient(token, {
    ...extra,
    ...(apiUrl ? { slackApiUrl: apiUrl.replace(/\/?$/, '/') } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: 30_000,
  });
}

/** A message as the views build it. */
export interface Message {
  text: string;
  blocks?: KnownBlock[];
}

/** The metadata event every scheduled post carries: the job's dedupe key, i.e. what the message is. */
export const JOB_EVENT = 'ticket_ops_job';
/** How many of a channel's newest messages a retry reads back for its own earlier post. */
const LOOK_BACK = 200;

/** Who a post is: the job it belongs to, and whether an earlier attempt of it may have reached Slack. */
export interface PostIdentity {
  key: string;
  retried: boolean;
}

export function postIdentity(job: { dedupeKey: string; attempts: number }): PostIdentity {
  return { key: job.dedupeKey, retried: job.attempts > 1 };
}

export interface Posted {
  channel: string;
  ts: string;
}

/** A message for the ticket: into its card's thread, or the department channel when it has no card yet. */
export async function postAboutTicket(
  slack: JobSlack,
  db: Db,
  ticketId: number,
  message: Message & { broadcast?: boolean },
  identity: PostIdentity,
): Promise<Posted | null> {
  const where = await postTarget(db, ticketId);
  const channel = where?.cardChannel ?? where?.depChannel;
  if (!where || !channel) return null;
  // A department channel a non-staff member reads is held: the job fails, and roots hear it undelivered.
  if (await isHeld(db, channel)) throw new Error(`no channel to post to: ${channel} is held`);
  const thread = where.cardTs ? { ts: where.cardTs, broadcast: message.broadcast ?? false } : undefined;
  return post(slack, { channel, text: message.text, blocks: message.blocks, thread }, identity);
}

/**
 * Posts a job's message once. The post carries the job's key as metadata; a retried job first reads
 * the channel (or thread) back and, when its earlier attempt did reach Slack before the worker died
 * or lost its lease, takes that message instead of posting it again.
 */
export async function post(
  slack: JobSlack,
  args: Message & { channel: string; thread?: { ts: string; broadcast: boolean } },
  identity: PostIdentity,
): Promise<Posted> {
  if (identity.retried) {
    const earlier = await findPosted(slack, args.channel, args.thread?.ts, identity.key);
    if (earlier) return earlier;
  }
  const metadata = { event_type: JOB_EVENT, event_payload: { key: identity.key } };
  const { channel, text, blocks, thread } = args;
  const message = { channel, text, metadata, unfurl_links: false, unfurl_media: false };
  const withBlocks = blocks ? { ...message, blocks } : message;
  const res = await slackCall(() =>
    slack.chat.postMessage(
      thread ? { ...withBlocks, thread_ts: thread.ts, reply_broadcast: thread.broadcast } : withBlocks,
    ),
  );
  return { channel: res.channel ?? args.channel, ts: String(res.ts) };
}

type Read = { ts?: string; metadata?: { event_type?: string; event_payload?: { key?: unknown } } };

/** The message a job posted earlier: in a thread (all of it, threads are short) or the channel's newest. */
async function findPosted(
  slack: JobSlack,
  channel: string,
  thread: string | undefined,
  key: string,
): Promise<Posted | null> {
  const mine = (m: Read) => m.metadata?.event_type === JOB_EVENT && m.metadata.event_payload?.key === key;
  if (!thread) {
    const page = await slackCall(() =>
      slack.conversations.history({ channel, limit: LOOK_BACK, include_all_metadata: true }),
    );
    const found = (page.messages as Read[] | undefined)?.find(mine);
    return found?.ts ? { channel, ts: found.ts } : null;
  }
  let cursor: string | undefined;
  do {
    const page = await slackCall(() =>
      slack.conversations.replies({
        channel,
        ts: thread,
        include_all_metadata: true,
        limit: LOOK_BACK,
        ...(cursor ? { cursor } : {}),
      }),
    );
    const found = (page.messages as Read[] | undefined)?.find(mine);
    if (found?.ts) return { channel, ts: found.ts };
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return null;
}

export async function update(
  slack: JobSlack,
  args: Message & { channel: string; ts: string },
): Promise<void> {
  await slackCall(() => slack.chat.update(args));
}

/** Slack's 429 becomes a retry at its own Retry-After, through the job table; other errors pass. */
export function retryIfRateLimited(error: unknown): void {
  const e = error as { code?: string; retryAfter?: number };
  if (e.code !== ErrorCode.RateLimitedError) return;
  const seconds = Math.max(1, e.retryAfter ?? 30);
  throw new RetryLater('Slack rate limit', seconds * 1000);
}

/** Runs a Slack call, turning a rate limit into RetryLater with Slack's own Retry-After. */
export async function slackCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    retryIfRateLimited(error);
    const e = error as { code?: string; data?: { error?: string } };
    if (e.code === ErrorCode.PlatformError) throw new Error(`Slack: ${e.data?.error ?? 'error'}`);
    throw error;
  }
}

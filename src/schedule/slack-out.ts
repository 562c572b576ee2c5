import { ErrorCode, type WebClient } from '@slack/web-api';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { departments, ticketCards, tickets } from '../../db/schema.ts';
import { RetryLater } from '../jobs/worker.ts';

/**
 * The Web API client jobs use. Give the worker one with `rejectRateLimitedCalls: true` and no client
 * retries: a 429 then surfaces at once as RetryLater and the job table, not a sleeping request, waits.
 */
export type Slack = Pick<WebClient, 'chat' | 'conversations'>;

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
  slack: Slack,
  db: Db,
  ticketId: number,
  message: { text: string; blocks?: unknown[]; broadcast?: boolean },
  identity: PostIdentity,
): Promise<Posted | null> {
  const [where] = await db
    .select({
      cardChannel: ticketCards.channel,
      cardTs: ticketCards.ts,
      depChannel: departments.slackChannel,
    })
    .from(tickets)
    .innerJoin(departments, eq(departments.id, tickets.departmentId))
    .leftJoin(ticketCards, eq(ticketCards.ticketId, tickets.id))
    .where(eq(tickets.id, ticketId));
  const channel = where?.cardChannel ?? where?.depChannel;
  if (!where || !channel) return null;
  const thread = where.cardTs ? { thread_ts: where.cardTs, reply_broadcast: message.broadcast ?? false } : {};
  return post(slack, { channel, text: message.text, blocks: message.blocks, ...thread }, identity);
}

/**
 * Posts a job's message once. The post carries the job's key as metadata; a retried job first reads
 * the channel (or thread) back and, when its earlier attempt did reach Slack before the worker died
 * or lost its lease, takes that message instead of posting it again.
 */
export async function post(
  slack: Slack,
  args: { channel: string; text: string; blocks?: unknown[]; thread_ts?: string; reply_broadcast?: boolean },
  identity: PostIdentity,
): Promise<Posted> {
  if (identity.retried) {
    const earlier = await findPosted(slack, args.channel, args.thread_ts, identity.key);
    if (earlier) return earlier;
  }
  const metadata = { event_type: JOB_EVENT, event_payload: { key: identity.key } };
  // Block Kit is built as plain data by the views; the Web API types cannot follow it.
  const res = await slackCall(() =>
    slack.chat.postMessage({ ...args, metadata, unfurl_links: false, unfurl_media: false } as never),
  );
  return { channel: res.channel ?? args.channel, ts: String(res.ts) };
}

type Read = { ts?: string; metadata?: { event_type?: string; event_payload?: { key?: unknown } } };

/** The message a job posted earlier: in a thread (all of it, threads are short) or the channel's newest. */
async function findPosted(
  slack: Slack,
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
  slack: Slack,
  args: { channel: string; ts: string; text: string; blocks?: unknown[] },
): Promise<void> {
  await slackCall(() => slack.chat.update(args as never));
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

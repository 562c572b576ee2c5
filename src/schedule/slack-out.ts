import { ErrorCode, type WebClient } from '@slack/web-api';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { departments, ticketCards, tickets } from '../../db/schema.ts';
import { RetryLater } from './worker.ts';

/**
 * The Web API client jobs use. Give the worker one with `rejectRateLimitedCalls: true` and no client
 * retries: a 429 then surfaces at once as RetryLater and the job table, not a sleeping request, waits.
 */
export type Slack = Pick<WebClient, 'chat'>;

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
  if (!channel) return null;
  const thread = where.cardTs ? { thread_ts: where.cardTs, reply_broadcast: message.broadcast ?? false } : {};
  return post(slack, { channel, text: message.text, blocks: message.blocks, ...thread });
}

export async function post(
  slack: Slack,
  args: { channel: string; text: string; blocks?: unknown[]; thread_ts?: string; reply_broadcast?: boolean },
): Promise<Posted> {
  // Block Kit is built as plain data by the views; the Web API types cannot follow it.
  const res = await slackCall(() => slack.chat.postMessage({ ...args, unfurl_links: false } as never));
  return { channel: res.channel ?? args.channel, ts: String(res.ts) };
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

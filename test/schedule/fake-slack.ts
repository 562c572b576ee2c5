import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
}

type Failure = { status: 429; retryAfter: number } | { error: string };

interface Stored {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  metadata?: unknown;
}

/**
 * A Slack Web API over real HTTP that records every call. `failNext` makes the next calls of a
 * method fail (429 with Retry-After, or an `ok: false` error) so retries can be watched. Posted
 * messages are kept, so a job can read a channel or thread back with its metadata
 * (conversations.history / conversations.replies, metadata only with include_all_metadata);
 * `afterPost` runs once Slack has accepted a post, before the answer goes out.
 */
export async function startFakeSlack() {
  const calls: SlackCall[] = [];
  const failures: Record<string, Failure[]> = {};
  const messages: Stored[] = [];
  const brokenChannels = new Map<string, string>();
  let afterPost: ((args: Record<string, unknown>) => void) | undefined;
  let seq = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const method = (req.url ?? '').replace(/^\/api\//, '').replace(/\?.*/, '');
    const raw = Buffer.concat(chunks).toString();
    const args = (req.headers['content-type'] ?? '').includes('json')
      ? JSON.parse(raw || '{}')
      : Object.fromEntries(
          [...new URLSearchParams(raw)].map(([k, v]) => [k, /^[[{]/.test(v) ? JSON.parse(v) : v]),
        );
    const broken = method.startsWith('chat.') && brokenChannels.get(String(args.channel));
    const failure = broken ? { error: broken } : failures[method]?.shift();
    res.setHeader('content-type', 'application/json');
    if (failure && 'status' in failure) {
      res.statusCode = 429;
      res.setHeader('retry-after', String(failure.retryAfter));
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    if (failure) {
      res.end(JSON.stringify({ ok: false, error: failure.error }));
      return;
    }
    calls.push({ method, args });
    res.end(JSON.stringify(answer(method, args)));
  });

  const withMetadata = (args: Record<string, unknown>, list: Stored[]) =>
    list.map(({ metadata, ...m }) => ({
      ...m,
      ...(String(args.include_all_metadata) === 'true' && metadata ? { metadata } : {}),
    }));
  const post = (channel: string, text: string, thread_ts?: string, metadata?: unknown) => {
    seq += 1;
    const ts = `1700000000.${String(seq).padStart(6, '0')}`;
    messages.push({
      channel,
      ts,
      text,
      ...(thread_ts ? { thread_ts } : {}),
      ...(metadata ? { metadata } : {}),
    });
    return ts;
  };
  function answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const channel = String(args.channel);
    if (method === 'chat.postMessage') {
      const meta = args.metadata as { event_type?: unknown; event_payload?: unknown } | undefined;
      // Slack refuses metadata without an event type and payload.
      if (meta && (typeof meta.event_type !== 'string' || typeof meta.event_payload !== 'object'))
        return { ok: false, error: 'invalid_metadata_format' };
      const ts = post(channel, String(args.text ?? ''), args.thread_ts as string | undefined, meta);
      afterPost?.(args);
      return { ok: true, channel, ts };
    }
    if (method === 'conversations.history') {
      // Newest first, top-level messages only, as Slack answers.
      const top = messages.filter((m) => m.channel === channel && !m.thread_ts).reverse();
      return {
        ok: true,
        messages: withMetadata(args, top.slice(0, Number(args.limit ?? 100))),
        has_more: false,
      };
    }
    if (method === 'conversations.replies') {
      const parent = messages.find((m) => m.channel === channel && m.ts === args.ts);
      if (!parent) return { ok: false, error: 'thread_not_found' };
      const thread = messages.filter(
        (m) => m === parent || (m.channel === channel && m.thread_ts === args.ts),
      );
      return {
        ok: true,
        messages: withMetadata(args, thread),
        has_more: false,
        response_metadata: { next_cursor: '' },
      };
    }
    return { ok: true, channel: args.channel, ts: args.ts };
  }
  // Idle connections stay open longer than the client keeps them: a slow test must not find its
  // reused connection closed under it ("fetch failed").
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  return {
    url,
    calls,
    /** Posted messages (chat.postMessage), in order. */
    posts: () => calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.args),
    updates: () => calls.filter((c) => c.method === 'chat.update').map((c) => c.args),
    /** The ts Slack gave a post (its position among the posts). */
    messageTs: (post: Record<string, unknown>) =>
      messages.filter((m) => m.text === String(post.text) && m.channel === String(post.channel)).at(0)?.ts,
    /** Every chat.* call into `channel` fails with `error` (e.g. not_in_channel) until fixed. */
    breakChannel: (channel: string, error: string) => brokenChannels.set(channel, error),
    fixChannel: (channel: string) => brokenChannels.delete(channel),
    /** A message already in Slack (a ticket card, say), as if posted earlier. */
    seed: (channel: string, ts: string, text: string) => {
      messages.push({ channel, ts, text });
    },
    /** Runs after each post Slack accepted (e.g. to kill the worker that made it); undefined to stop. */
    afterPost(fn: ((args: Record<string, unknown>) => void) | undefined) {
      afterPost = fn;
    },
    failNext(method: string, ...f: Failure[]) {
      failures[method] = [...(failures[method] ?? []), ...f];
    },
    /** A client the way the worker should hold one: no client-side retries, rate limits rejected at once. */
    client: () =>
      new WebClient('xoxb-test', {
        slackApiUrl: url,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
      }),
    clear: () => {
      calls.length = 0;
      messages.length = 0;
      brokenChannels.clear();
      afterPost = undefined;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;

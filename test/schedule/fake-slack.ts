import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
}

type Failure = { status: 429; retryAfter: number } | { error: string };

/**
 * A Slack Web API over real HTTP that records every call. `failNext` makes the next calls of a
 * method fail (429 with Retry-After, or an `ok: false` error) so retries can be watched.
 */
export async function startFakeSlack() {
  const calls: SlackCall[] = [];
  const failures: Record<string, Failure[]> = {};
  let seq = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0];
    const raw = Buffer.concat(chunks).toString();
    const args = (req.headers['content-type'] ?? '').includes('json')
      ? JSON.parse(raw || '{}')
      : Object.fromEntries(
          [...new URLSearchParams(raw)].map(([k, v]) => [k, /^[[{]/.test(v) ? JSON.parse(v) : v]),
        );
    const failure = failures[method]?.shift();
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
    if (method === 'chat.postMessage') {
      seq += 1;
      res.end(
        JSON.stringify({ ok: true, channel: args.channel, ts: `1700000000.${String(seq).padStart(6, '0')}` }),
      );
    } else {
      res.end(JSON.stringify({ ok: true, channel: args.channel, ts: args.ts }));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  return {
    url,
    calls,
    /** Posted messages (chat.postMessage), in order. */
    posts: () => calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.args),
    updates: () => calls.filter((c) => c.method === 'chat.update').map((c) => c.args),
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
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;

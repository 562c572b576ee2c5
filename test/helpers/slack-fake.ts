import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { validateBlocks, validateView } from '../../src/sandbox/block-kit.ts';

/** One call the bot made to the fake Slack: a Web API method or a POST to a response_url. */
export interface SlackCall {
  method: string;
  params: Record<string, unknown>;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  user?: string;
  bot_id?: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

type Answer = { status?: number; headers?: Record<string, string>; body: Record<string, unknown> };

export interface FakeUser {
  id: string;
  name: string;
  tz?: string;
  team_id?: string;
  is_stranger?: boolean;
  is_restricted?: boolean;
}

/**
 * A Slack Web API over real HTTP that records every call: the bot's WebClient points at it with
 * slackApiUrl. Methods answer like Slack; `failNext` makes a method fail (an error code, or a 429
 * with Retry-After). response_url posts land on /response/… and are recorded as `response_url`.
 */
export async function startFakeSlack(opts: { team?: string } = {}) {
  const team = opts.team ?? 'T0OURS';
  const calls: SlackCall[] = [];
  const users = new Map<string, FakeUser>();
  const failures = new Map<string, Answer[]>();
  const channelErrors = new Map<string, string>();
  /** Slack Connect channels: the other organisations' teams. */
  const shared = new Map<string, string[]>();
  let seq = 0;
  const nextTs = () => `1700000000.${String(++seq).padStart(6, '0')}`;
  /** Messages as Slack keeps them, so threads can be read back (conversations.replies). */
  const messages: StoredMessage[] = [];
  const find = (channel: unknown, ts: unknown) => messages.find((m) => m.channel === channel && m.ts === ts);
  let socketUrl = '';

  const answers: Record<string, (p: Record<string, unknown>) => Record<string, unknown>> = {
    'auth.test': () => ({ ok: true, team_id: team, user_id: 'UBOT', bot_id: 'BBOT', team: 'Ours' }),
    'users.info': (p) => {
      const u = users.get(String(p.user));
      return u
        ? { ok: true, user: { team_id: team, real_name: u.name, ...u } }
        : { ok: false, error: 'user_not_found' };
    },
    'views.open': () => ({ ok: true, view: { id: `V${++seq}`, hash: `h${seq}` } }),
    'views.push': () => ({ ok: true, view: { id: `V${++seq}`, hash: `h${seq}` } }),
    'views.update': (p) => ({ ok: true, view: { id: p.view_id, hash: `h${++seq}` } }),
    'views.publish': () => ({ ok: true }),
    'chat.postMessage': (p) => {
      const ts = nextTs();
      messages.push({
        channel: String(p.channel),
        ts,
        thread_ts: p.thread_ts ? String(p.thread_ts) : undefined,
        text: String(p.text ?? ''),
        bot_id: 'BBOT',
        metadata: p.metadata as StoredMessage['metadata'],
      });
      return { ok: true, channel: p.channel, ts };
    },
    'chat.update': (p) => {
      const m = find(p.channel, p.ts);
      if (m) {
        m.text = String(p.text ?? m.text);
        if (p.metadata) m.metadata = p.metadata as StoredMessage['metadata'];
      }
      return { ok: true, channel: p.channel, ts: p.ts };
    },
    'conversations.replies': (p) => {
      const parent = find(p.channel, p.ts);
      if (!parent) return { ok: false, error: 'thread_not_found' };
      const thread = messages.filter(
        (m) => m === parent || (m.channel === p.channel && m.thread_ts === p.ts),
      );
      const withMetadata = p.include_all_metadata === 'true' || p.include_all_metadata === true;
      return {
        ok: true,
        has_more: false,
        messages: thread.map(({ metadata, ...m }) => ({
          ...m,
          ...(withMetadata && metadata ? { metadata } : {}),
        })),
        response_metadata: { next_cursor: '' },
      };
    },
    'conversations.info': (p) => {
      const teams = shared.get(String(p.channel));
      return {
        ok: true,
        channel: { id: p.channel, is_ext_shared: Boolean(teams), shared_team_ids: [team, ...(teams ?? [])] },
      };
    },
    'chat.postEphemeral': () => ({ ok: true, message_ts: nextTs() }),
    'apps.connections.open': () => ({ ok: true, url: socketUrl }),
  };

  const app = express();
  app.use(express.urlencoded({ extended: false }), express.json());
  app.post('/api/:method', (req, res) => {
    const method = String(req.params.method);
    const params = decode(req.body ?? {});
    calls.push({ method, params });
    const broken = method.startsWith('chat.') && channelErrors.get(String(params.channel));
    const failure = broken ? { body: { ok: false, error: broken } } : failures.get(method)?.shift();
    if (failure) {
      res
        .status(failure.status ?? 200)
        .set(failure.headers ?? {})
        .json(failure.body);
      return;
    }
    const refused = blockErrors(params);
    if (refused.length > 0) {
      res.json({ ok: false, error: 'invalid_blocks', response_metadata: { messages: refused } });
      return;
    }
    const answer = answers[method];
    res.json(answer ? answer(params) : { ok: false, error: 'unknown_method' });
  });
  app.post('/response/:id', (req, res) => {
    const params = decode(req.body ?? {});
    calls.push({ method: 'response_url', params: { ...params, url_id: req.params.id } });
    const refused = blockErrors(params);
    res
      .status(refused.length ? 400 : 200)
      .json(refused.length ? { ok: false, error: 'invalid_blocks' } : { ok: true });
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    apiUrl: `${url}/api/`,
    team,
    calls,
    addUser: (u: FakeUser) => users.set(u.id, u),
    /** The messages Slack holds (bot posts as updated, plus what people typed). */
    messages,
    /** A person types a message in a channel or thread (the event, if any, is sent by the test). */
    userMessage(channel: string, user: string, text: string, thread_ts?: string): string {
      const ts = nextTs();
      messages.push({ channel, ts, thread_ts, text, user });
      return ts;
    },
    /** The replies in a thread, oldest first, as Slack shows them now. */
    thread: (channel: string, ts: string) =>
      messages.filter((m) => m.channel === channel && m.thread_ts === ts),
    setSocketUrl: (u: string) => {
      socketUrl = u;
    },
    /** The next call of `method` fails with a Slack error code, or with 429 and Retry-After. */
    failNext(method: string, failure: { error: string } | { rateLimited: number }) {
      const list = failures.get(method) ?? [];
      list.push(
        'error' in failure
          ? { body: { ok: false, error: failure.error } }
          : {
              status: 429,
              headers: { 'retry-after': String(failure.rateLimited) },
              body: { ok: false, error: 'ratelimited' },
            },
      );
      failures.set(method, list);
    },
    /** Every chat.* call into `channel` fails with `error` (e.g. not_in_channel) until it is fixed. */
    breakChannel: (channel: string, error: string) => channelErrors.set(channel, error),
    fixChannel: (channel: string) => channelErrors.delete(channel),
    /** The channel becomes a Slack Connect channel shared with these organisations. */
    shareChannel: (channel: string, teams: string[]) => shared.set(channel, teams),
    of: (method: string) => calls.filter((c) => c.method === method),
    last(method: string): SlackCall {
      const found = calls.filter((c) => c.method === method).at(-1);
      if (!found) throw new Error(`no ${method} call; calls: ${calls.map((c) => c.method).join(', ')}`);
      return found;
    },
    clear: () => {
      calls.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FakeSlack = Awaited<ReturnType<typeof startFakeSlack>>;

/** Slack refuses messages and views whose Block Kit it does not accept. */
function blockErrors(params: Record<string, unknown>): string[] {
  if (params.view !== undefined) return validateView(params.view);
  return params.blocks === undefined ? [] : validateBlocks(params.blocks, 'message');
}

/** The WebClient form-encodes arguments and JSON-encodes objects (blocks, view) inside them. */
function decode(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string' && /^[[{]/.test(v)) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // not JSON after all
      }
    }
    out[k] = v;
  }
  return out;
}

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Grants, type ResponseTarget } from './grants.ts';
import { type Answer, type Params, respond, webApiMethods } from './web-api.ts';
import { type SlackUser, Workspace } from './workspace.ts';

/** One call the bot made: a Web API method, or a post to a response_url (method `response_url`). */
export interface SlackCall {
  method: string;
  params: Params;
  /** What Slack answered. */
  ok: boolean;
}

type Failure = { status: number; headers: Record<string, string>; body: Answer };

export interface WebApiOptions {
  /** The bot token the bot must present (invalid_auth otherwise). */
  token: string;
  team?: string;
  /** The workspace's clock (message timestamps). */
  now?: () => Date;
  /** Where to listen; port 0 picks a free one. Always loopback: the bot is the only caller. */
  port?: number;
}

/**
 * The Slack Web API of the sandbox over real HTTP, on loopback. The bot's WebClient points at
 * `apiUrl`; the sandbox page and the tests read the workspace and every call made. Tests can also
 * make the next calls of a method fail, rate-limit a method for a while, or break a channel.
 */
export async function startWebApi(options: WebApiOptions) {
  const ws = new Workspace(options.team ?? 'T0OURS', options.now);
  const grants = new Grants();
  const calls: SlackCall[] = [];
  const failures = new Map<string, Failure[]>();
  const channelErrors = new Map<string, string>();
  const limitedUntil = new Map<string, number>();
  let socketUrl = '';
  const methods = webApiMethods(ws, grants, () => socketUrl);

  const rateLimited = (seconds: number): Failure => ({
    status: 429,
    headers: { 'retry-after': String(Math.max(1, Math.ceil(seconds))) },
    body: { ok: false, error: 'ratelimited' },
  });
  /** An injected failure or rate limit for this call, if any. */
  const failureFor = (method: string, params: Params): Failure | undefined => {
    const broken = method.startsWith('chat.') && channelErrors.get(String(params.channel));
    if (broken) return { status: 200, headers: {}, body: { ok: false, error: broken } };
    const until = limitedUntil.get(method) ?? 0;
    if (until > Date.now()) return rateLimited((until - Date.now()) / 1000);
    return failures.get(method)?.shift();
  };

  const app = express();
  // One connection per call: a kept-alive socket the server times out just as the bot reuses it
  // fails the call with "fetch failed", which would look like a Slack outage.
  app.use((_req, res, next) => {
    res.set('connection', 'close');
    next();
  });
  app.use(express.urlencoded({ extended: false }), express.json({ limit: '5mb' }));
  app.post('/api/:method', (req, res) => {
    const method = String(req.params.method);
    const params = decode(req.body ?? {});
    const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '') || String(params.token ?? '');
    const appLevel = method === 'apps.connections.open';
    const authorized = appLevel ? token.startsWith('xapp-') : token === options.token;
    const failure = authorized ? failureFor(method, params) : undefined;
    const handler = methods[method];
    const answer: Answer = !authorized
      ? { ok: false, error: token ? 'invalid_auth' : 'not_authed' }
      : (failure?.body ?? (handler ? handler(params) : { ok: false, error: 'unknown_method' }));
    calls.push({ method, params, ok: answer.ok });
    res
      .status(failure?.status ?? 200)
      .set(failure?.headers ?? {})
      .json(answer);
  });
  app.post('/response/:id', (req, res) => {
    const params = decode(req.body ?? {});
    const target = grants.useResponseUrl(String(req.params.id));
    const answer = 'error' in target ? { ok: false, error: target.error } : respond(ws, target, params);
    calls.push({ method: 'response_url', params: { ...params, url_id: req.params.id }, ok: answer.ok });
    res.status('error' in target ? 404 : 200).json(answer);
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(options.port ?? 0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    apiUrl: `${url}/api/`,
    team: ws.team,
    workspace: ws,
    calls,
    /** The messages Slack holds (bot posts as updated, plus what people typed). */
    messages: ws.messages,
    addUser: (u: SlackUser) => ws.addUser(u),
    /** A channel; the bot is in it unless `members` says otherwise. */
    addChannel: (id: string, opts: { name?: string; members?: string[]; shared_team_ids?: string[] } = {}) =>
      ws.addChannel({
        id,
        name: opts.name ?? id.toLowerCase(),
        members: opts.members ?? ['UBOT'],
        shared_team_ids: opts.shared_team_ids,
      }),
    /** Shares a channel with other organisations (Slack Connect): their teams, as Slack lists them. */
    shareChannel(id: string, teams: string[]) {
      const c = ws.channel(id);
      if (!c) throw new Error(`no channel ${id}`);
      c.shared_team_ids = teams;
    },
    /** A trigger_id for an interaction by `user`: valid for one modal within 3 s. */
    trigger: (user: string) => grants.trigger(user),
    /** A response_url for an interaction: 5 posts within 30 minutes. */
    responseUrl: (target: ResponseTarget) => `${url}/response/${grants.responseUrl(target)}`,
    /** A person types a message in a channel or thread (the event, if any, is sent separately). */
    userMessage(channel: string, user: string, text: string, thread_ts?: string): string {
      return ws.post({ channel, user, text, ...(thread_ts ? { thread_ts } : {}) }).ts;
    },
    /** The replies in a thread, oldest first, as Slack shows them now. */
    thread: (channel: string, ts: string) => ws.thread(channel, ts),
    setSocketUrl: (u: string) => {
      socketUrl = u;
    },
    /** The next call of `method` fails with a Slack error code, or with 429 and Retry-After. */
    failNext(method: string, failure: { error: string } | { rateLimited: number }) {
      const list = failures.get(method) ?? [];
      list.push(
        'error' in failure
          ? { status: 200, headers: {}, body: { ok: false, error: failure.error } }
          : rateLimited(failure.rateLimited),
      );
      failures.set(method, list);
    },
    /** Every call of `method` answers 429 for the next `seconds` (Slack's rate limit, on demand). */
    rateLimit: (method: string, seconds: number) => limitedUntil.set(method, Date.now() + seconds * 1000),
    /** Every chat.* call into `channel` fails with `error` (e.g. not_in_channel) until it is fixed. */
    breakChannel: (channel: string, error: string) => channelErrors.set(channel, error),
    fixChannel: (channel: string) => channelErrors.delete(channel),
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

export type WebApi = Awaited<ReturnType<typeof startWebApi>>;

/** The WebClient form-encodes arguments and JSON-encodes objects (blocks, view) inside them. */
function decode(body: Record<string, unknown>): Params {
  const out: Params = {};
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

import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Grants, type ResponseTarget } from './grants.ts';
import { type Answer, type Params, respond, webApiMethods } from './web-api.ts';
import { type ChannelRate, type Failure, Failures } from './web-api-failures.ts';
import { type SlackUser, Workspace } from './workspace.ts';

/** One call the bot made: a Web API method, or a post to a response_url (method `response_url`). */
export interface SlackCall {
  method: string;
  params: Params;
  /** Whether Slack accepted it, and its whole answer (a dropped connection: error `network`). */
  ok: boolean;
  answer: Answer;
}

export interface WebApiOptions {
  /** The bot token the bot must present (invalid_auth otherwise). */
  token: string;
  team?: string;
  /** The workspace's clock: message timestamps, rate-limit windows. */
  now?: () => Date;
  /** Where to listen; port 0 picks a free one. Always loopback: the bot is the only caller. */
  port?: number;
}

/**
 * The Slack Web API of the sandbox over real HTTP, on loopback. The bot's WebClient points at
 * `apiUrl`; the sandbox page and the tests read the workspace and every call made, and can make
 * Slack fail: the next calls of a method (N times, one channel), a method rate-limited for a while,
 * Slack's per-channel posting limit, a broken channel, a dropped connection.
 */
export async function startWebApi(options: WebApiOptions) {
  const ws = new Workspace(options.team ?? 'T0OURS', options.now);
  const grants = new Grants();
  const calls: SlackCall[] = [];
  const failures = new Failures(() => ws.now());
  const listeners = new Set<(call: SlackCall) => void>();
  let socketUrl = '';
  const methods = webApiMethods(ws, grants, () => socketUrl);
  const record = (call: SlackCall) => {
    calls.push(call);
    for (const l of listeners) l(call);
  };

  const app = express();
  // One connection per call. A kept-alive socket is retired by the server on real time (Node: 5 s +
  // 1 s) but by undici's client on its own coarse timer, which counts ticks of the event loop, not
  // time: a process starved of CPU (heavy parallel load) reuses the socket just as the server closes
  // it, the request meets a reset, and the call fails with "fetch failed" (ECONNRESET). With no idle
  // socket to reuse, that cannot happen.
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
    if (!authorized) {
      const answer = { ok: false, error: token ? 'invalid_auth' : 'not_authed' };
      record({ method, params, ok: false, answer });
      return void res.json(answer);
    }
    const failure = failures.check(method, params);
    if (failure && 'network' in failure) {
      record({ method, params, ok: false, answer: { ok: false, error: 'network' } });
      return void req.socket.destroy();
    }
    const handler = methods[method];
    const answer: Answer =
      failure?.body ?? (handler ? handler(params) : { ok: false, error: 'unknown_method' });
    record({ method, params, ok: answer.ok, answer });
    res
      .status(failure?.status ?? 200)
      .set(failure?.headers ?? {})
      .json(answer);
  });
  app.post('/response/:id', (req, res) => {
    const params = decode(req.body ?? {});
    const target = grants.useResponseUrl(String(req.params.id));
    const answer = 'error' in target ? { ok: false, error: target.error } : respond(ws, target, params);
    record({ method: 'response_url', params: { ...params, url_id: req.params.id }, ok: answer.ok, answer });
    res.status('error' in target ? 404 : 200).json(answer);
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(options.port ?? 0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const channel = (id: string) => {
    const c = ws.channel(id);
    if (!c) throw new Error(`no channel ${id}`);
    return c;
  };

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
    addChannel: (
      id: string,
      opts: { name?: string; members?: string[]; shared_team_ids?: string[]; is_private?: boolean } = {},
    ) =>
      ws.addChannel({
        id,
        name: opts.name ?? id.toLowerCase(),
        members: opts.members ?? ['UBOT'],
        shared_team_ids: opts.shared_team_ids,
        is_private: opts.is_private,
      }),
    /** Someone (the bot too: UBOT) joins or leaves a channel. */
    join(id: string, user: string) {
      channel(id).members.add(user);
      ws.changed({ kind: 'channel', channel: id });
    },
    leave(id: string, user: string) {
      channel(id).members.delete(user);
      ws.changed({ kind: 'channel', channel: id });
    },
    /** Shares a channel with other organisations (Slack Connect): their teams, as Slack lists them. */
    shareChannel(id: string, teams: string[]) {
      channel(id).shared_team_ids = teams;
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
    /**
     * The next `times` calls of `method` (into `channel`, if given) fail: with a Slack error code,
     * with 429 and Retry-After, or with the connection dropped before any answer (`network`).
     */
    failNext(method: string, failure: Failure, opts: { times?: number; channel?: string } = {}) {
      failures.failNext({ method, channel: opts.channel }, failure, opts.times ?? 1);
    },
    /** Every call of `method` (into `channel`, if given) answers 429 for the next `seconds`. */
    rateLimit: (method: string, seconds: number, opts: { channel?: string } = {}) =>
      failures.rateLimit({ method, channel: opts.channel }, seconds),
    /** Slack's per-channel limit on chat.postMessage (e.g. 1 per second, bursts of 3); undefined: off. */
    limitPosts: (rate: ChannelRate | undefined) => failures.limitPosts(rate),
    /** Every chat.* call into `channel` fails with `error` (e.g. is_archived) until it is fixed. */
    breakChannel: (channel: string, error: string) => failures.breakChannel(channel, error),
    fixChannel: (channel: string) => failures.fixChannel(channel),
    /** Runs for every call once Slack has decided its answer, before the answer is sent. */
    onCall(listener: (call: SlackCall) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    of: (method: string) => calls.filter((c) => c.method === method),
    last(method: string): SlackCall {
      const found = calls.filter((c) => c.method === method).at(-1);
      if (!found) throw new Error(`no ${method} call; calls: ${calls.map((c) => c.method).join(', ')}`);
      return found;
    },
    /** Forgets the calls made so far (the workspace keeps its messages). */
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

import { createHmac, randomBytes } from 'node:crypto';
import { log } from '../log.ts';
import { respond } from './web-api.ts';
import type { WebApi } from './web-api-server.ts';
import { BOT, type Channel } from './workspace.ts';

/** Slack gives the app 3 seconds to answer a request. */
const ANSWER_MS = 3000;
/** Events API retries after a failed or late delivery: at once, after a minute, after five. */
const EVENT_RETRIES_MS = [0, 60_000, 5 * 60_000];

export interface BotAnswer {
  status: number;
  body: string;
}

// biome-ignore lint/suspicious/noExplicitAny: Slack payloads as Slack sends them.
type Json = any;

/**
 * Sends the bot what Slack would when a person acts in the sandbox: slash commands, block actions,
 * view submissions and events, signed with the app's signing secret, with fresh trigger_ids and
 * response_urls, answered within 3 s or counted as failed (events are then retried with Slack's
 * retry headers).
 */
export function slackDelivery(web: WebApi, signingSecret: string, botUrl: () => string) {
  const ws = web.workspace;
  const appId = 'A0SANDBOX';

  async function send(body: string, contentType: string, headers: Record<string, string> = {}) {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex');
    const res = await fetch(botUrl(), {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-slack-request-timestamp': timestamp,
        'x-slack-signature': `v0=${signature}`,
        ...headers,
      },
      body,
      signal: AbortSignal.timeout(ANSWER_MS),
    });
    return { status: res.status, body: await res.text() } satisfies BotAnswer;
  }

  const interaction = (payload: Json) =>
    send(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );

  const userOf = (id: string) => ({
    id,
    username: ws.users.get(id)?.name ?? id,
    team_id: ws.users.get(id)?.team_id,
  });
  /** The fields every interaction payload shares, with a fresh trigger_id for the person. */
  const envelope = (type: string, user: string) => ({
    type,
    team: { id: ws.team },
    user: userOf(user),
    api_app_id: appId,
    token: 'sandbox',
    trigger_id: web.trigger(user),
  });

  async function sendEvent(event: Json, attempt = 0): Promise<void> {
    const eventId = event.event_id ?? `Ev${randomBytes(6).toString('hex').toUpperCase()}`;
    const body = JSON.stringify({
      token: 'sandbox',
      team_id: ws.team,
      api_app_id: appId,
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      event: { ...event, event_id: undefined },
    });
    const retry: Record<string, string> =
      attempt > 0 ? { 'x-slack-retry-num': String(attempt), 'x-slack-retry-reason': 'http_error' } : {};
    const ok = await send(body, 'application/json', retry).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok || attempt >= EVENT_RETRIES_MS.length) return;
    log.info('sandbox: event not acknowledged, Slack retries it', { eventId, attempt: attempt + 1 });
    setTimeout(
      () => void sendEvent({ ...event, event_id: eventId }, attempt + 1),
      EVENT_RETRIES_MS[attempt],
    ).unref();
  }

  return {
    /** A slash command typed in a channel; the bot's immediate answer is shown as Slack shows it. */
    async command(user: string, channel: Channel, command: string, text: string): Promise<BotAnswer> {
      const fields = {
        token: 'sandbox',
        team_id: ws.team,
        channel_id: channel.id,
        channel_name: channel.im ? 'directmessage' : channel.name,
        user_id: user,
        user_name: userOf(user).username,
        command,
        text,
        api_app_id: appId,
        response_url: web.responseUrl({ channel: channel.id, user }),
        trigger_id: web.trigger(user),
      };
      const answer = await send(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded');
      if (answer.status === 200 && answer.body.trim()) {
        const parsed = answer.body.startsWith('{') ? JSON.parse(answer.body) : { text: answer.body };
        respond(ws, { channel: channel.id, user }, parsed);
      }
      return answer;
    },

    /** A click on an interactive element of a message (or ephemeral message). */
    messageAction(user: string, where: { channel: string; ts: string; ephemeral: boolean }, action: Json) {
      const channel = ws.channel(where.channel);
      const message = where.ephemeral
        ? ws.ephemerals.find((e) => e.channel === where.channel && e.ts === where.ts)
        : ws.find(where.channel, where.ts);
      return interaction({
        ...envelope('block_actions', user),
        container: {
          type: 'message',
          message_ts: where.ts,
          channel_id: where.channel,
          is_ephemeral: where.ephemeral,
        },
        channel: { id: where.channel, name: channel?.name },
        ...(where.ephemeral || !message ? {} : { message: { type: 'message', ...message } }),
        response_url: web.responseUrl({ channel: where.channel, user, message: where }),
        actions: [{ ...action, action_ts: String(Date.now() / 1000) }],
      });
    },

    /** A click or choice inside a modal or App Home; `values` is the view's input state. */
    viewAction(user: string, viewId: string, values: Json, action: Json) {
      return interaction({
        ...envelope('block_actions', user),
        container: { type: 'view', view_id: viewId },
        view: viewPayload(viewId, values),
        actions: [{ ...action, action_ts: String(Date.now() / 1000) }],
      });
    },

    /**
     * A person types in (or opens) a select whose options the app serves (external_select): Slack
     * asks the app's options load URL with a block_suggestion and shows what it answers.
     */
    async options(
      user: string,
      viewId: string,
      values: Json,
      select: { block_id: string; action_id: string; value: string },
    ): Promise<{ options: Json[] }> {
      const answer = await interaction({
        type: 'block_suggestion',
        team: { id: ws.team },
        user: userOf(user),
        api_app_id: appId,
        token: 'sandbox',
        ...select,
        container: { type: 'view', view_id: viewId },
        view: viewPayload(viewId, values),
      });
      const body = answer.status === 200 && answer.body.startsWith('{') ? JSON.parse(answer.body) : {};
      const groups: Json[] = body.option_groups ?? [];
      return { options: [...(body.options ?? []), ...groups.flatMap((g) => g.options ?? [])].slice(0, 100) };
    },

    /** Submit: the bot's answer decides whether the modal closes, shows errors, is replaced or pushed. */
    async submit(user: string, viewId: string, values: Json): Promise<{ errors?: Record<string, string> }> {
      const answer = await interaction({
        ...envelope('view_submission', user),
        view: viewPayload(viewId, values),
      });
      const action = answer.body.startsWith('{') ? JSON.parse(answer.body) : {};
      if (action.response_action === 'errors') return { errors: action.errors };
      if (action.response_action === 'clear') ws.closeViews(user, true);
      else if (action.response_action === 'update') replaceView(viewId, action.view);
      else if (action.response_action === 'push') pushView(user, action.view);
      else ws.closeViews(user, false);
      return {};
    },

    /** The person closed the modal: view_closed when the bot asked to be told. */
    async close(user: string, viewId: string): Promise<void> {
      const view = ws.views.get(viewId);
      ws.closeViews(user, false);
      if (view?.view.notify_on_close) {
        await interaction({
          type: 'view_closed',
          team: { id: ws.team },
          user: userOf(user),
          view: viewPayload(viewId, {}),
        });
      }
    },

    /** A person typed a message: it is stored and, where the bot is a member, sent as an event. */
    async message(user: string, channel: Channel, text: string, threadTs?: string): Promise<void> {
      const m = ws.post({ channel: channel.id, user, text, ...(threadTs ? { thread_ts: threadTs } : {}) });
      if (!channel.members.has(BOT.user)) return;
      await sendEvent({
        type: 'message',
        channel: channel.id,
        channel_type: channel.im ? 'im' : 'channel',
        user,
        text,
        ts: m.ts,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
    },

    /** The person opened the bot's App Home tab. */
    homeOpened: (user: string) =>
      sendEvent({ type: 'app_home_opened', user, channel: ws.dm(user).id, tab: 'home', view: undefined }),
  };

  function viewPayload(viewId: string, values: Json) {
    const v = ws.views.get(viewId);
    const stack = v ? (ws.stacks.get(v.user) ?? []) : [];
    const i = stack.indexOf(viewId);
    return {
      ...v?.view,
      id: viewId,
      hash: v?.hash,
      team_id: ws.team,
      app_id: appId,
      bot_id: BOT.botId,
      root_view_id: stack[0] ?? viewId,
      previous_view_id: i > 0 ? stack[i - 1] : null,
      state: { values },
    };
  }

  function replaceView(viewId: string, view: Json): void {
    const v = ws.views.get(viewId);
    if (!v) return;
    v.view = view;
    v.hash = ws.nextId('h');
    ws.changed({ kind: 'view', user: v.user });
  }

  function pushView(user: string, view: Json): void {
    const v = ws.newView(user, view);
    ws.stacks.get(user)?.push(v.id);
    ws.changed({ kind: 'view', user });
  }
}

export type SlackDelivery = ReturnType<typeof slackDelivery>;

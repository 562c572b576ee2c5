import type { Grants, ResponseTarget } from './grants.ts';
import {
  type Answer,
  channelFor,
  content,
  fail,
  isAnswer,
  isTrue,
  type Method,
  metadata,
  type Params,
} from './web-api-content.ts';
import { readMethods } from './web-api-read.ts';
import { viewMethods } from './web-api-views.ts';
import { BOT, type Workspace } from './workspace.ts';

export type { Answer, Method, Params } from './web-api-content.ts';

/** A reaction name as Slack takes it (the emoji's short name, colons optional). */
const EMOJI_NAME = /^[a-z0-9_+'-]+$/;

/**
 * The Web API methods the bot calls, answering as Slack does over the workspace, including the
 * refusals the bot could provoke: unknown channels, channels the bot is not in, messages that are
 * not the bot's, spent or expired trigger_ids, Block Kit beyond Slack's limits, stale view hashes.
 */
export function webApiMethods(
  ws: Workspace,
  grants: Grants,
  socketUrl: () => string,
): Record<string, Method> {
  return {
    'auth.test': () => ({
      ok: true,
      url: `https://${ws.team.toLowerCase()}.slack.com/`,
      team_id: ws.team,
      team: 'Sandbox',
      user: BOT.name,
      user_id: BOT.user,
      bot_id: BOT.botId,
    }),
    'users.info': (p) => {
      const u = ws.users.get(String(p.user));
      return u ? { ok: true, user: u } : fail('user_not_found');
    },
    ...chatMethods(ws),
    ...readMethods(ws),
    ...viewMethods(ws, grants),
    'apps.connections.open': () => ({ ok: true, url: socketUrl() }),
  };
}

function chatMethods(ws: Workspace): Record<string, Method> {
  /** A message of the bot's in a channel it is in, as chat.update / chat.delete need it. */
  const ownMessage = (p: Params, refusal: string) => {
    const c = channelFor(ws, p.channel, 'member');
    if (isAnswer(c)) return c;
    const m = ws.find(c.id, String(p.ts ?? ''));
    if (!m) return fail('message_not_found');
    // Another app's or a person's message: the bot may not touch it.
    if (m.bot_id !== BOT.botId) return fail(refusal);
    return { c, m };
  };
  return {
    'chat.postMessage': (p) => {
      const c = channelFor(ws, p.channel, 'member');
      if (isAnswer(c)) return c;
      const body = content(p);
      if (isAnswer(body)) return body;
      const meta = metadata(p);
      if (isAnswer(meta)) return meta;
      const m = ws.post({
        channel: c.id,
        ...body,
        bot_id: BOT.botId,
        user: BOT.user,
        ...(p.thread_ts ? { thread_ts: String(p.thread_ts) } : {}),
        ...(isTrue(p.reply_broadcast) ? { reply_broadcast: true } : {}),
        ...meta,
      });
      return { ok: true, channel: c.id, ts: m.ts, message: m };
    },
    'chat.update': (p) => {
      const own = ownMessage(p, 'cant_update_message');
      if (isAnswer(own)) return own;
      const { c, m } = own;
      const body = content({ text: p.text ?? m.text, blocks: p.blocks ?? m.blocks });
      if (isAnswer(body)) return body;
      const meta = metadata(p);
      if (isAnswer(meta)) return meta;
      Object.assign(m, body, meta, { edited: { ts: ws.nextTs() } });
      ws.changed({ kind: 'message', channel: c.id });
      return { ok: true, channel: c.id, ts: m.ts, text: m.text };
    },
    'chat.delete': (p) => {
      const own = ownMessage(p, 'cant_delete_message');
      if (isAnswer(own)) return own;
      ws.messages.splice(ws.messages.indexOf(own.m), 1);
      ws.changed({ kind: 'message', channel: own.c.id });
      return { ok: true, channel: own.c.id, ts: own.m.ts };
    },
    'chat.postEphemeral': (p) => {
      const c = channelFor(ws, p.channel, 'member');
      if (isAnswer(c)) return c;
      const user = String(p.user ?? '');
      if (!ws.users.has(user)) return fail('user_not_found');
      if (!c.members.has(user)) return fail('user_not_in_channel');
      const body = content(p);
      if (isAnswer(body)) return body;
      const e = ws.postEphemeral({
        channel: c.id,
        user,
        ...body,
        ...(p.thread_ts ? { thread_ts: String(p.thread_ts) } : {}),
      });
      return { ok: true, message_ts: e.ts };
    },
    'reactions.add': (p) => {
      const c = channelFor(ws, p.channel, 'member');
      if (isAnswer(c)) return c;
      if (!p.timestamp) return fail('no_item_specified');
      const m = ws.find(c.id, String(p.timestamp));
      if (!m) return fail('message_not_found');
      const name = String(p.name ?? '').replace(/^:|:$/g, '');
      if (!EMOJI_NAME.test(name)) return fail('invalid_name');
      m.reactions ??= [];
      const reaction = m.reactions.find((r) => r.name === name);
      if (reaction?.users.includes(BOT.user)) return fail('already_reacted');
      if (reaction) {
        reaction.users.push(BOT.user);
        reaction.count += 1;
      } else m.reactions.push({ name, users: [BOT.user], count: 1 });
      ws.changed({ kind: 'message', channel: c.id });
      return { ok: true };
    },
  };
}

/**
 * Applies a post to a response_url (or a slash command's immediate answer): ephemeral by default,
 * in_channel as the bot, or replacing / deleting the message the interaction came from.
 */
export function respond(ws: Workspace, to: ResponseTarget, p: Params): Answer {
  const target = to.message;
  if (isTrue(p.delete_original) && target) {
    const list: { channel: string; ts: string }[] = target.ephemeral ? ws.ephemerals : ws.messages;
    const i = list.findIndex((m) => m.channel === to.channel && m.ts === target.ts);
    if (i >= 0) list.splice(i, 1);
    ws.changed({ kind: target.ephemeral ? 'ephemeral' : 'message', channel: to.channel, user: to.user });
    return { ok: true };
  }
  const body = content(p);
  if (isAnswer(body)) return body;
  const { text, blocks } = body;
  if (isTrue(p.replace_original) && target) {
    const m = target.ephemeral
      ? ws.ephemerals.find((e) => e.channel === to.channel && e.ts === target.ts)
      : ws.find(to.channel, target.ts);
    if (!m) return fail('message_not_found');
    m.text = text;
    m.blocks = blocks;
    ws.changed({ kind: target.ephemeral ? 'ephemeral' : 'message', channel: to.channel, user: to.user });
    return { ok: true };
  }
  if (p.response_type === 'in_channel') {
    ws.post({ channel: to.channel, text, blocks, bot_id: BOT.botId, user: BOT.user });
  } else {
    ws.postEphemeral({ channel: to.channel, user: to.user, text, blocks });
  }
  return { ok: true };
}

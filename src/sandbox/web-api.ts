import { validateBlocks, validateView } from './block-kit.ts';
import type { Grants, ResponseTarget } from './grants.ts';
import { BOT, type Channel, type StoredMessage, type Workspace } from './workspace.ts';

export type Params = Record<string, unknown>;
export type Answer = Record<string, unknown> & { ok: boolean };
export type Method = (p: Params) => Answer;

/** Slack's limits the bot could break (chat.postMessage: text 40 000 characters; blocks per surface). */
const MAX_TEXT = 40_000;
const MAX_BLOCKS = { message: 50, modal: 100, home: 100 } as const;
const MAX_STACK = 3;
const MAX_METADATA = 3000;

const fail = (error: string, extra: Params = {}): Answer => ({ ok: false, error, ...extra });

function blocksError(blocks: unknown, surface: keyof typeof MAX_BLOCKS): Answer | undefined {
  if (blocks === undefined || blocks === null || blocks === '') return undefined;
  const errors = validateBlocks(blocks, surface);
  if (Array.isArray(blocks) && blocks.length > MAX_BLOCKS[surface])
    errors.push(
      `must provide an array with no more than ${MAX_BLOCKS[surface]} items [json-pointer:/blocks]`,
    );
  return errors.length > 0 ? fail('invalid_blocks', { errors }) : undefined;
}

/** A message's content as chat.* and response_urls take it: text and/or blocks, within limits. */
function content(p: Params): Answer | { text: string; blocks?: unknown[] } {
  const blocks = p.blocks === undefined || p.blocks === '' ? undefined : p.blocks;
  const text = p.text === undefined ? '' : String(p.text);
  if (!text && !blocks) return fail('no_text');
  if (text.length > MAX_TEXT) return fail('msg_too_long');
  return blocksError(blocks, 'message') ?? { text, blocks: blocks as unknown[] | undefined };
}

function viewError(view: unknown, surface: 'modal' | 'home'): Answer | undefined {
  const v = view as { type?: string; title?: { text?: string }; blocks?: unknown; private_metadata?: string };
  if (!v || typeof v !== 'object' || v.type !== surface) return fail('invalid_arguments');
  if (surface === 'modal' && !v.title?.text) return fail('invalid_arguments');
  if (String(v.private_metadata ?? '').length > MAX_METADATA) return fail('invalid_arguments');
  const errors = surface === 'modal' ? validateView(view) : [];
  return errors.length > 0 ? fail('invalid_arguments', { errors }) : blocksError(v.blocks ?? [], surface);
}

/**
 * The Web API methods the bot calls, answering as Slack does over the workspace, including the
 * refusals the bot could provoke: unknown channels, channels the bot is not in, spent or expired
 * trigger_ids, Block Kit beyond Slack's limits, stale view hashes.
 */
export function webApiMethods(
  ws: Workspace,
  grants: Grants,
  socketUrl: () => string,
): Record<string, Method> {
  /** A channel the bot may write to, or Slack's refusal. */
  const writable = (id: unknown): Channel | Answer => {
    const c = ws.channel(String(id ?? ''));
    if (!c) return fail('channel_not_found');
    if (!c.members.has(BOT.user)) return fail('not_in_channel');
    return c;
  };
  const isAnswer = (x: unknown): x is Answer => typeof (x as Answer).ok === 'boolean';
  const viewOut = (v: { id: string; hash: string; view: Params }) => ({ ...v.view, id: v.id, hash: v.hash });

  return {
    'auth.test': () => ({
      ok: true,
      team_id: ws.team,
      team: 'Sandbox',
      user_id: BOT.user,
      bot_id: BOT.botId,
    }),
    'users.info': (p) => {
      const u = ws.users.get(String(p.user));
      return u ? { ok: true, user: u } : fail('user_not_found');
    },
    'chat.postMessage': (p) => {
      const c = writable(p.channel);
      if (isAnswer(c)) return c;
      const body = content(p);
      if (isAnswer(body)) return body;
      const m = ws.post({
        channel: c.id,
        ...body,
        bot_id: BOT.botId,
        user: BOT.user,
        ...(p.thread_ts ? { thread_ts: String(p.thread_ts) } : {}),
        ...(p.reply_broadcast === true || p.reply_broadcast === 'true' ? { reply_broadcast: true } : {}),
        ...(p.metadata ? { metadata: p.metadata as StoredMessage['metadata'] } : {}),
      });
      return { ok: true, channel: c.id, ts: m.ts, message: m };
    },
    'chat.update': (p) => {
      const c = writable(p.channel);
      if (isAnswer(c)) return c;
      const m = ws.find(c.id, String(p.ts));
      if (!m) return fail('message_not_found');
      if (m.bot_id !== BOT.botId) return fail('cant_update_message');
      const body = content({ text: p.text ?? m.text, blocks: p.blocks ?? m.blocks });
      if (isAnswer(body)) return body;
      Object.assign(m, body, { edited: { ts: ws.nextTs() } });
      if (p.metadata) m.metadata = p.metadata as StoredMessage['metadata'];
      ws.changed({ kind: 'message', channel: c.id });
      return { ok: true, channel: c.id, ts: m.ts, text: m.text };
    },
    'chat.delete': (p) => {
      const c = writable(p.channel);
      if (isAnswer(c)) return c;
      const i = ws.messages.findIndex((m) => m.channel === c.id && m.ts === String(p.ts));
      if (i < 0) return fail('message_not_found');
      ws.messages.splice(i, 1);
      ws.changed({ kind: 'message', channel: c.id });
      return { ok: true, channel: c.id, ts: String(p.ts) };
    },
    'chat.postEphemeral': (p) => {
      const c = writable(p.channel);
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
    'conversations.replies': (p) => {
      const c = ws.channel(String(p.channel ?? ''));
      if (!c) return fail('channel_not_found');
      if (!c.members.has(BOT.user)) return fail('not_in_channel');
      const parent = ws.find(c.id, String(p.ts));
      if (!parent) return fail('thread_not_found');
      const withMetadata = p.include_all_metadata === 'true' || p.include_all_metadata === true;
      const messages = [parent, ...ws.thread(c.id, parent.ts)].map(({ metadata, ...m }) => ({
        type: 'message',
        ...m,
        ...(withMetadata && metadata ? { metadata } : {}),
      }));
      return { ok: true, has_more: false, messages, response_metadata: { next_cursor: '' } };
    },
    'conversations.members': (p) => {
      const c = ws.channel(String(p.channel ?? ''));
      if (!c) return fail('channel_not_found');
      // Paged as Slack pages it: an opaque cursor, an empty one on the last page.
      const limit = Math.min(Math.max(Number(p.limit) || 100, 1), 1000);
      const from = p.cursor ? Number(Buffer.from(String(p.cursor), 'base64').toString()) : 0;
      if (!Number.isSafeInteger(from) || from < 0) return fail('invalid_cursor');
      const all = [...c.members];
      const next = from + limit < all.length ? Buffer.from(String(from + limit)).toString('base64') : '';
      return { ok: true, members: all.slice(from, from + limit), response_metadata: { next_cursor: next } };
    },
    'conversations.info': (p) => {
      const c = ws.channel(String(p.channel ?? ''));
      if (!c) return fail('channel_not_found');
      const shared = c.shared_team_ids.length > 0;
      return {
        ok: true,
        channel: {
          id: c.id,
          name: c.name,
          is_im: Boolean(c.im),
          is_ext_shared: shared,
          ...(shared ? { shared_team_ids: [ws.team, ...c.shared_team_ids] } : {}),
        },
      };
    },
    'views.open': (p) => {
      const grant = grants.useTrigger(p.trigger_id);
      if ('error' in grant) return fail(grant.error);
      const invalid = viewError(p.view, 'modal');
      if (invalid) return invalid;
      ws.closeViews(grant.user, true);
      const v = ws.newView(grant.user, p.view as Params);
      ws.stacks.set(grant.user, [v.id]);
      ws.changed({ kind: 'view', user: grant.user });
      return { ok: true, view: viewOut(v) };
    },
    'views.push': (p) => {
      const grant = grants.useTrigger(p.trigger_id);
      if ('error' in grant) return fail(grant.error);
      const invalid = viewError(p.view, 'modal');
      if (invalid) return invalid;
      const stack = ws.stacks.get(grant.user) ?? [];
      if (stack.length === 0) return fail('not_found');
      if (stack.length >= MAX_STACK) return fail('push_limit_reached');
      const v = ws.newView(grant.user, p.view as Params);
      stack.push(v.id);
      ws.changed({ kind: 'view', user: grant.user });
      return { ok: true, view: viewOut(v) };
    },
    'views.update': (p) => {
      const v = p.view_id
        ? ws.views.get(String(p.view_id))
        : [...ws.views.values()].find((x) => x.view.external_id === p.external_id);
      if (!v || v.closed) return fail('not_found');
      if (p.hash && p.hash !== v.hash) return fail('hash_conflict');
      const invalid = viewError(p.view, v.view.type === 'home' ? 'home' : 'modal');
      if (invalid) return invalid;
      v.view = p.view as Params;
      v.hash = ws.nextId('h');
      ws.changed({ kind: 'view', user: v.user });
      return { ok: true, view: viewOut(v) };
    },
    'views.publish': (p) => {
      const user = String(p.user_id ?? '');
      if (!ws.users.has(user)) return fail('user_not_found');
      const invalid = viewError(p.view, 'home');
      if (invalid) return invalid;
      const existing = ws.views.get(ws.homes.get(user) ?? '');
      if (existing && p.hash && p.hash !== existing.hash) return fail('hash_conflict');
      const v = existing ?? ws.newView(user, p.view as Params);
      v.view = p.view as Params;
      v.hash = ws.nextId('h');
      ws.homes.set(user, v.id);
      ws.changed({ kind: 'view', user });
      return { ok: true, view: viewOut(v) };
    },
    'apps.connections.open': () => ({ ok: true, url: socketUrl() }),
  };
}

/**
 * Applies a post to a response_url (or a slash command's immediate answer): ephemeral by default,
 * in_channel as the bot, or replacing / deleting the message the interaction came from.
 */
export function respond(ws: Workspace, to: ResponseTarget, p: Params): Answer {
  const target = to.message;
  if ((p.delete_original === true || p.delete_original === 'true') && target) {
    const list: { channel: string; ts: string }[] = target.ephemeral ? ws.ephemerals : ws.messages;
    const i = list.findIndex((m) => m.channel === to.channel && m.ts === target.ts);
    if (i >= 0) list.splice(i, 1);
    ws.changed({ kind: target.ephemeral ? 'ephemeral' : 'message', channel: to.channel, user: to.user });
    return { ok: true };
  }
  const body = content(p);
  if (typeof (body as Answer).ok === 'boolean') return body as Answer;
  const { text, blocks } = body as { text: string; blocks?: unknown[] };
  if ((p.replace_original === true || p.replace_original === 'true') && target) {
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

import {
  type Answer,
  channelFor,
  fail,
  isAnswer,
  isTrue,
  type Method,
  type Params,
} from './web-api-content.ts';
import { BOT, type StoredMessage, type Workspace } from './workspace.ts';

/** Slack's page sizes: `limit` defaults to 100 and is capped at 1000 (999 for history). */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

/**
 * One page of a list, as Slack pages them: `limit` items from the opaque `cursor`, and the cursor of
 * the next page (empty on the last).
 */
function page<T>(items: T[], p: Params): Answer | { items: T[]; has_more: boolean; next_cursor: string } {
  let from = 0;
  if (p.cursor) {
    const decoded = /^offset:(\d+)$/.exec(Buffer.from(String(p.cursor), 'base64').toString());
    if (!decoded) return fail('invalid_cursor');
    from = Number(decoded[1]);
  }
  const limit = Math.min(Math.max(1, Number(p.limit ?? DEFAULT_LIMIT) || DEFAULT_LIMIT), MAX_LIMIT);
  const to = from + limit;
  const has_more = to < items.length;
  return {
    items: items.slice(from, to),
    has_more,
    next_cursor: has_more ? Buffer.from(`offset:${to}`).toString('base64') : '',
  };
}

/**
 * What the bot reads back from Slack: channel history (newest first, thread replies left out unless
 * broadcast), a thread, a channel's members and facts, a message's permalink. Message metadata only
 * with include_all_metadata, as in Slack.
 */
export function readMethods(ws: Workspace): Record<string, Method> {
  const shown = (p: Params) => {
    const withMetadata = isTrue(p.include_all_metadata);
    return ({ metadata, ...m }: StoredMessage) => {
      const replies = ws.thread(m.channel, m.ts).length;
      return {
        type: 'message',
        ...m,
        ...(replies > 0 && !m.thread_ts ? { thread_ts: m.ts, reply_count: replies } : {}),
        ...(withMetadata && metadata ? { metadata } : {}),
      };
    };
  };

  /** A page of messages as history and replies answer it. */
  const messagePage = (messages: StoredMessage[], p: Params) => {
    const one = page(messages, p);
    if (isAnswer(one)) return one;
    return {
      ok: true,
      messages: one.items.map(shown(p)),
      has_more: one.has_more,
      response_metadata: { next_cursor: one.next_cursor },
    };
  };

  return {
    'conversations.history': (p) => {
      const c = channelFor(ws, p.channel, 'member');
      if (isAnswer(c)) return c;
      const latest = p.latest ? String(p.latest) : undefined;
      const oldest = p.oldest ? String(p.oldest) : undefined;
      const top = ws.messages
        .filter((m) => m.channel === c.id && (!m.thread_ts || m.thread_ts === m.ts || m.reply_broadcast))
        .filter(
          (m) => (!latest || Number(m.ts) < Number(latest)) && (!oldest || Number(m.ts) > Number(oldest)),
        )
        .reverse();
      return messagePage(top, p);
    },
    'conversations.replies': (p) => {
      const c = channelFor(ws, p.channel, 'member');
      if (isAnswer(c)) return c;
      const parent = ws.find(c.id, String(p.ts ?? ''));
      if (!parent) return fail('thread_not_found');
      return messagePage([parent, ...ws.thread(c.id, parent.ts)], p);
    },
    'conversations.members': (p) => {
      const c = channelFor(ws, p.channel, 'visible');
      if (isAnswer(c)) return c;
      const one = page([...c.members], p);
      if (isAnswer(one)) return one;
      return { ok: true, members: one.items, response_metadata: { next_cursor: one.next_cursor } };
    },
    'conversations.info': (p) => {
      const c = channelFor(ws, p.channel, 'visible');
      if (isAnswer(c)) return c;
      const shared = c.shared_team_ids.length > 0;
      return {
        ok: true,
        channel: {
          id: c.id,
          name: c.name,
          is_im: Boolean(c.im),
          is_private: Boolean(c.is_private),
          is_member: c.members.has(BOT.user),
          is_ext_shared: shared,
          ...(isTrue(p.include_num_members) ? { num_members: c.members.size } : {}),
          ...(shared ? { shared_team_ids: [ws.team, ...c.shared_team_ids] } : {}),
        },
      };
    },
    'chat.getPermalink': (p) => {
      const c = channelFor(ws, p.channel, 'visible');
      if (isAnswer(c)) return c;
      const m = ws.find(c.id, String(p.message_ts ?? ''));
      if (!m) return fail('message_not_found');
      const link = `https://${ws.team.toLowerCase()}.slack.com/archives/${c.id}/p${m.ts.replace('.', '')}`;
      const reply = m.thread_ts && m.thread_ts !== m.ts;
      return {
        ok: true,
        channel: c.id,
        permalink: reply ? `${link}?thread_ts=${m.thread_ts}&cid=${c.id}` : link,
      };
    },
  };
}

import { PEOPLE } from './demo.ts';
import { BOT, type Channel, type Ephemeral, type StoredMessage, type Workspace } from './workspace.ts';

/** What the page asks to see: who is looking, and which channel, thread or tab. */
export interface Look {
  as: string;
  channel?: string;
  thread?: string;
  home?: boolean;
}

const kindOf = (c: Channel) => (c.im ? 'dm' : c.shared_team_ids.length > 0 ? 'shared' : 'channel');

/**
 * One person's screen, as Slack would show it to them: only channels they are in, only their own
 * ephemeral messages, only their own modals and App Home.
 */
export function screen(ws: Workspace, look: Look, clock: Date) {
  const me = ws.users.get(look.as);
  if (!me || me.is_bot) return undefined;
  ws.dm(me.id);
  const visible = [...ws.channels.values()].filter((c) => c.members.has(me.id));
  const channel = visible.find((c) => c.id === look.channel);
  const top = ws.topView(me.id);
  const home = look.home ? ws.views.get(ws.homes.get(me.id) ?? '') : undefined;
  return {
    me: { id: me.id, name: me.name },
    people: PEOPLE.map((p) => ({ id: p.id, name: p.name, role: p.role })),
    clock: clock.toISOString(),
    channels: visible.map((c) => ({
      id: c.id,
      name: c.im ? BOT.name : c.name,
      kind: kindOf(c),
    })),
    channel: channel && {
      id: channel.id,
      name: channel.im ? BOT.name : channel.name,
      kind: kindOf(channel),
      messages: timeline(
        ws,
        ws.messages.filter((m) => m.channel === channel.id && (!m.thread_ts || m.reply_broadcast)),
        ws.ephemerals.filter((e) => e.channel === channel.id && e.user === me.id && !e.thread_ts),
      ),
    },
    thread: channel &&
      look.thread && {
        ts: look.thread,
        messages: timeline(
          ws,
          ws.messages.filter(
            (m) => m.channel === channel.id && (m.ts === look.thread || m.thread_ts === look.thread),
          ),
          ws.ephemerals.filter(
            (e) => e.channel === channel.id && e.user === me.id && e.thread_ts === look.thread,
          ),
        ),
      },
    modal: top && { id: top.id, hash: top.hash, view: top.view, depth: ws.stacks.get(me.id)?.length ?? 1 },
    home: look.home ? { id: home?.id, view: home?.view } : undefined,
  };
}

/** Messages and ephemerals in time order, with author names and thread summaries. */
function timeline(ws: Workspace, messages: StoredMessage[], ephemerals: Ephemeral[]) {
  const shown = [
    ...messages.map((m) => ({ m, ephemeral: false })),
    ...ephemerals.map((m) => ({ m, ephemeral: true })),
  ].sort((a, b) => Number(a.m.ts) - Number(b.m.ts));
  return shown.map(({ m, ephemeral }) => {
    const author = ephemeral
      ? ((m as Ephemeral).from ?? BOT.user)
      : (m as StoredMessage).bot_id
        ? BOT.user
        : ((m as StoredMessage).user ?? BOT.user);
    const replies = ephemeral ? [] : ws.thread(m.channel, m.ts);
    return {
      ts: m.ts,
      text: m.text,
      blocks: m.blocks,
      author: ws.users.get(author)?.name ?? author,
      bot: ws.users.get(author)?.is_bot ?? false,
      ephemeral,
      edited: !ephemeral && Boolean((m as StoredMessage).edited),
      thread_ts: m.thread_ts,
      replies: replies.length,
    };
  });
}

export type Screen = NonNullable<ReturnType<typeof screen>>;

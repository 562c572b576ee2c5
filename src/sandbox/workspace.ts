/**
 * What a Slack workspace holds, as the sandbox's Web API and page see it: people, channels and who
 * is in them, messages with their threads, ephemeral messages (one reader each), open views.
 * Plain state with no HTTP: web-api.ts answers methods over it, the page reads it.
 */

export interface SlackUser {
  id: string;
  name: string;
  real_name?: string;
  tz?: string;
  team_id?: string;
  /** From another organisation (Slack Connect). */
  is_stranger?: boolean;
  is_restricted?: boolean;
  is_bot?: boolean;
}

export interface Channel {
  id: string;
  name: string;
  members: Set<string>;
  /** A direct message between the bot and `user`. */
  im?: { user: string };
  /** The other organisations' teams it is shared with (Slack Connect); none for our own channels. */
  shared_team_ids: string[];
  /** Private: invisible to the bot unless it is a member. */
  is_private?: boolean;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
  user?: string;
  bot_id?: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  edited?: { ts: string };
  reply_broadcast?: boolean;
  reactions?: { name: string; users: string[]; count: number }[];
}

export interface Ephemeral {
  channel: string;
  /** The one person who sees it. */
  user: string;
  /** Who it is from: the bot, or Slackbot for Slack's own notices. */
  from?: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown[];
}

export interface View {
  id: string;
  hash: string;
  user: string;
  /** The view as the bot sent it (type modal or home). */
  view: Record<string, unknown>;
  /** Set once the bot or the person closed it. */
  closed?: boolean;
}

export const BOT = { user: 'UBOT', botId: 'BBOT', name: 'Ticket Ops' };
export const SLACKBOT = 'USLACKBOT';

export type Change = { kind: 'message' | 'ephemeral' | 'view' | 'channel'; channel?: string; user?: string };

export class Workspace {
  readonly users = new Map<string, SlackUser>();
  readonly channels = new Map<string, Channel>();
  readonly messages: StoredMessage[] = [];
  readonly ephemerals: Ephemeral[] = [];
  readonly views = new Map<string, View>();
  /** Each person's stack of open modals, root first (Slack allows 3). */
  readonly stacks = new Map<string, string[]>();
  /** Each person's App Home view. */
  readonly homes = new Map<string, string>();
  private seq = 0;
  private listeners = new Set<(change: Change) => void>();

  constructor(
    readonly team: string,
    readonly now: () => Date = () => new Date(),
  ) {
    this.users.set(BOT.user, { id: BOT.user, name: BOT.name, team_id: team, is_bot: true });
    this.users.set(SLACKBOT, { id: SLACKBOT, name: 'Slackbot', team_id: team, is_bot: true });
  }

  /** A unique, increasing message timestamp on the workspace's clock, as Slack makes them. */
  nextTs(): string {
    this.seq += 1;
    const seconds = Math.floor(this.now().getTime() / 1000);
    return `${seconds}.${String(this.seq % 1_000_000).padStart(6, '0')}`;
  }

  nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}${this.seq.toString(36).toUpperCase().padStart(6, '0')}`;
  }

  onChange(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(change: Change): void {
    for (const l of this.listeners) l(change);
  }

  addUser(user: SlackUser): void {
    this.users.set(user.id, { team_id: this.team, real_name: user.name, ...user });
  }

  addChannel(channel: {
    id: string;
    name: string;
    members: string[];
    shared_team_ids?: string[];
    is_private?: boolean;
  }): Channel {
    const c: Channel = {
      ...channel,
      members: new Set(channel.members),
      shared_team_ids: channel.shared_team_ids ?? [],
    };
    this.channels.set(c.id, c);
    this.changed({ kind: 'channel', channel: c.id });
    return c;
  }

  /** The bot's direct-message channel with a person, opened on first use. */
  dm(user: string): Channel {
    for (const c of this.channels.values()) if (c.im?.user === user) return c;
    const c: Channel = {
      id: `D${user.slice(1)}`,
      name: user,
      members: new Set([user, BOT.user]),
      im: { user },
      shared_team_ids: [],
    };
    this.channels.set(c.id, c);
    this.changed({ kind: 'channel', channel: c.id });
    return c;
  }

  /** A channel by id; a user id means the bot's DM with them, as chat.postMessage allows. */
  channel(id: string): Channel | undefined {
    if (/^[UW]/.test(id) && this.users.has(id)) return this.dm(id);
    return this.channels.get(id);
  }

  find(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  post(message: Omit<StoredMessage, 'ts'>): StoredMessage {
    const stored = { ...message, ts: this.nextTs() };
    this.messages.push(stored);
    this.changed({ kind: 'message', channel: stored.channel });
    return stored;
  }

  postEphemeral(message: Omit<Ephemeral, 'ts'>): Ephemeral {
    const stored = { ...message, ts: this.nextTs() };
    this.ephemerals.push(stored);
    this.changed({ kind: 'ephemeral', channel: stored.channel, user: stored.user });
    return stored;
  }

  /** The replies in a thread, oldest first. */
  thread(channel: string, ts: string): StoredMessage[] {
    return this.messages.filter((m) => m.channel === channel && m.thread_ts === ts && m.ts !== ts);
  }

  /** The modal on top of a person's stack. */
  topView(user: string): View | undefined {
    const id = this.stacks.get(user)?.at(-1);
    return id ? this.views.get(id) : undefined;
  }

  newView(user: string, view: Record<string, unknown>): View {
    const v: View = { id: this.nextId('V'), hash: this.nextId('h'), user, view };
    this.views.set(v.id, v);
    return v;
  }

  /** Closes the top modal, or with `all` the whole stack. */
  closeViews(user: string, all: boolean): View[] {
    const stack = this.stacks.get(user) ?? [];
    const closed = all ? stack.splice(0) : stack.splice(-1);
    const views = closed.map((id) => this.views.get(id)).filter((v): v is View => v !== undefined);
    for (const v of views) v.closed = true;
    this.changed({ kind: 'view', user });
    return views;
  }
}

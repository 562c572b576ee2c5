import type { WebClient } from '@slack/web-api';
import { denied } from '../functions/errors.ts';
import type { Deps } from '../functions/types.ts';

/** What every Slack handler gets: the ticket engine's deps and who the Slack users are. */
export interface SlackDeps {
  deps: Deps;
  directory: Directory;
}

/** A Slack user as users.info describes them. */
export interface Profile {
  name: string;
  timezone?: string;
  /** From another organisation (Slack Connect): never staff. */
  external: boolean;
  /** A guest of our workspace (single- or multi-channel). */
  guest: boolean;
  /** The Slack team (organisation) the user belongs to. */
  team?: string;
}

/** A channel as conversations.info describes it. */
export interface ChannelInfo {
  /** Shared with another organisation (Slack Connect): their people read everything in it. */
  externallyShared: boolean;
  /** The other organisations' teams the channel is shared with. */
  externalTeams: string[];
}

const PROFILE_TTL_MS = 10 * 60_000;

/**
 * users.info with a short cache: whether a Slack user is external decides whether they may act as
 * staff, so it is asked of Slack (is_stranger, or a team other than ours), not guessed from payloads.
 */
export class Directory {
  private cache = new Map<string, { profile: Profile; until: number }>();
  private ownTeam?: Promise<string | undefined>;

  constructor(private readonly web: WebClient) {}

  /** Our workspace (auth.test), asked once; unknown while Slack cannot be reached. */
  team(): Promise<string | undefined> {
    this.ownTeam ??= this.web.auth.test().then(
      (r) => r.team_id,
      () => {
        this.ownTeam = undefined;
        return undefined;
      },
    );
    return this.ownTeam;
  }

  /** `whose` names the account in the refusal when Slack cannot be asked. */
  async profile(userId: string, whose = 'your Slack account'): Promise<Profile> {
    const hit = this.cache.get(userId);
    if (hit && hit.until > Date.now()) return hit.profile;
    const team = await this.team();
    let profile: Profile;
    try {
      const { user } = await this.web.users.info({ user: userId });
      const u = user as {
        real_name?: string;
        name?: string;
        profile?: { display_name?: string };
        tz?: string;
        is_stranger?: boolean;
        team_id?: string;
        is_restricted?: boolean;
        is_ultra_restricted?: boolean;
      };
      profile = {
        // Never an id or a made-up login: people read this name.
        name: u.real_name || u.profile?.display_name || u.name || 'a Slack user',
        timezone: u.tz,
        external: Boolean(u.is_stranger) || !team || (u.team_id !== undefined && u.team_id !== team),
        guest: Boolean(u.is_restricted || u.is_ultra_restricted),
        team: u.team_id,
      };
    } catch {
      // Neither guess is safe: "external" turns a colleague into a client user in a bound channel,
      // "internal" lets a stranger act as staff. Refuse, and ask again next time (not cached).
      throw denied('user', `Could not check ${whose} with Slack; try again in a moment.`);
    }
    this.cache.set(userId, { profile, until: Date.now() + PROFILE_TTL_MS });
    return profile;
  }

  /** Whether other organisations read a channel; asked of Slack each time (sharing can change). */
  async channel(channelId: string): Promise<ChannelInfo> {
    const team = await this.team();
    try {
      const { channel } = await this.web.conversations.info({ channel: channelId });
      const c = channel as {
        is_ext_shared?: boolean;
        shared_team_ids?: string[];
        connected_team_ids?: string[];
      };
      const teams = new Set([...(c.shared_team_ids ?? []), ...(c.connected_team_ids ?? [])]);
      if (team) teams.delete(team);
      return { externallyShared: Boolean(c.is_ext_shared), externalTeams: [...teams] };
    } catch {
      throw denied(
        'channel',
        'Could not check this channel with Slack (is the app in it?); try again in a moment.',
      );
    }
  }

  /** Everyone in a channel (conversations.members, every page); asked of Slack each time. */
  async members(channelId: string): Promise<string[]> {
    const members: string[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page = await this.web.conversations.members({
          channel: channelId,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        });
        members.push(...(page.members ?? []));
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
    } catch {
      throw denied(
        'channel',
        'Could not list the members of this channel with Slack (is the app in it?); try again in a moment.',
      );
    }
    return members;
  }
}

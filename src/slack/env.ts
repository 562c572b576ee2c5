import type { WebClient } from '@slack/web-api';
import type { Deps } from '../functions/types.ts';

/** What every Slack handler gets: the ticket engine's deps and who the Slack users are. */
export interface SlackEnv {
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
}

const PROFILE_TTL_MS = 10 * 60_000;

/**
 * users.info with a short cache: whether a Slack user is external decides whether they may act as
 * staff, so it is asked of Slack (is_stranger, or a team other than ours), not guessed from payloads.
 */
export class Directory {
  private cache = new Map<string, { profile: Profile; until: number }>();
  private team?: Promise<string | undefined>;

  constructor(private readonly web: WebClient) {}

  private ownTeam(): Promise<string | undefined> {
    this.team ??= this.web.auth.test().then(
      (r) => r.team_id,
      () => {
        this.team = undefined;
        return undefined;
      },
    );
    return this.team;
  }

  async profile(userId: string): Promise<Profile> {
    const hit = this.cache.get(userId);
    if (hit && hit.until > Date.now()) return hit.profile;
    const team = await this.ownTeam();
    let profile: Profile;
    try {
      const { user } = await this.web.users.info({ user: userId });
      const u = user as {
        real_name?: string;
        name?: string;
        tz?: string;
        is_stranger?: boolean;
        team_id?: string;
        is_restricted?: boolean;
        is_ultra_restricted?: boolean;
      };
      profile = {
        name: u.real_name || u.name || userId,
        timezone: u.tz,
        external: Boolean(u.is_stranger) || !team || (u.team_id !== undefined && u.team_id !== team),
        guest: Boolean(u.is_restricted || u.is_ultra_restricted),
      };
    } catch {
      // Slack would not tell us who this is: treat them as a stranger, the safe side.
      return { name: userId, external: true, guest: false };
    }
    this.cache.set(userId, { profile, until: Date.now() + PROFILE_TTL_MS });
    return profile;
  }
}

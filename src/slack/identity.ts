import { denied, TicketError } from '../functions/errors.ts';
import { call } from '../functions/registry.ts';
import {
  type Account,
  accountById,
  accountBySlackId,
  clientByChannel,
  clientById,
  madeInChannel,
} from '../functions/slack-setup/slack-accounts.ts';
import type { Session } from '../functions/types.ts';
import type { SlackDeps } from './directory.ts';

export type Actor = { account: Account; session: Session };

const sessionOf = (account: Account, slackUserId: string): Session => ({
  userId: account.id,
  login: account.login,
  level: account.level,
  clientId: account.clientId ?? undefined,
  via: 'slack',
  slackUserId,
});

/** A Slack user without an account: a guest, who may only link or join one. */
const guestSession = (slackUserId: string): Session => ({
  userId: 0,
  login: `slack:${slackUserId}`,
  level: 'guest',
  via: 'slack',
  slackUserId,
});

/** Whoever the Slack user is: their account's session, or a guest's. */
export async function slackSession(env: SlackDeps, slackUserId: string): Promise<Session> {
  const account = await accountBySlackId(env.deps.db, slackUserId);
  return account ? sessionOf(account, slackUserId) : guestSession(slackUserId);
}

/**
 * The staff member behind a Slack user. Unknown users, client users and external (Slack Connect)
 * users are refused with a sentence saying why and what to do.
 */
export async function staffActor(env: SlackDeps, slackUserId: string): Promise<Actor> {
  const account = await accountBySlackId(env.deps.db, slackUserId);
  if (!account) {
    throw denied(
      'user',
      'You are not registered as staff. Ask a root to run `/ticket staff add @you admin`.',
    );
  }
  if (account.level === 'user')
    throw denied('user', '`/ticket` is for staff. Use `/support` for your tickets.');
  const profile = await env.directory.profile(slackUserId);
  if (profile.external) throw denied('user', 'External (Slack Connect) users cannot act as staff.');
  return { account, session: sessionOf(account, slackUserId) };
}

/**
 * The client user behind a Slack user: a linked account, or (in a channel bound to a client
 * account) an account made on first contact. Staff are sent to /ticket.
 */
export async function clientActor(env: SlackDeps, slackUserId: string, channel?: string): Promise<Actor> {
  const account = await accountBySlackId(env.deps.db, slackUserId);
  if (account && account.level !== 'user') {
    throw denied('user', '`/support` is for clients; staff use `/ticket` (or "Log in as client" on a card).');
  }
  if (account) {
    await requireHomeChannel(env, account, slackUserId, channel);
    return { account, session: sessionOf(account, slackUserId) };
  }
  const client = channel ? await clientByChannel(env.deps.db, channel) : undefined;
  if (!channel || !client) {
    throw denied(
      'user',
      'Your Slack account is not linked to a client account. Ask support for a link code, then run `/support link CODE`.',
    );
  }
  const profile = await env.directory.profile(slackUserId).catch((error: unknown) => {
    // Slack did not answer users.info: the client is told to try again, not left guessing.
    if (error instanceof TicketError)
      throw denied('user', 'Slack could not tell us who you are; try again in a minute.');
    throw error;
  });
  // Only the client's organisation (recorded at bind time) acts as the client; guests of our
  // workspace only when no organisation was recorded. Never our colleagues, never a third party.
  const theirs = client.slackTeam ? profile.team === client.slackTeam : profile.guest && !profile.external;
  if (!theirs) {
    throw denied('user', 'This channel belongs to a client; only their people can use `/support` here.');
  }
  const joined = await call(env.deps, guestSession(slackUserId), 'slack.join', {
    channel,
    name: profile.name,
  });
  const made = joined.kind === 'ok' && joined.id ? await accountById(env.deps.db, joined.id) : undefined;
  if (!made) throw new Error('slack.join made no account');
  return { account: made, session: sessionOf(made, slackUserId) };
}

/**
 * Someone made a client user by writing in a client's bound channel acts as that client only
 * there, not from a direct message or another channel (and so not after leaving it). Users linked
 * by code act anywhere.
 */
async function requireHomeChannel(
  env: SlackDeps,
  account: Account,
  slackUserId: string,
  channel: string | undefined,
): Promise<void> {
  if (!madeInChannel(account, slackUserId)) return;
  const client = account.clientId ? await clientById(env.deps.db, account.clientId) : undefined;
  if (client?.slackChannel && channel === client.slackChannel) return;
  throw denied(
    'user',
    client?.slackChannel
      ? `You act for ${client.name} only in its shared channel <#${client.slackChannel}>: run \`/support\` there.`
      : 'Your access came from a client channel that is no longer bound. Ask support for a link code.',
  );
}

/** Roots may manage staff, channels and bindings. */
export function requireRoot(actor: Actor): void {
  if (actor.account.level !== 'root') throw denied('user', 'Only root accounts can do this.');
}

/** The last word a root adds to post staff work into a Slack Connect channel all the same. */
export const ALLOW_EXTERNAL = 'allow-external';

/** Splits a trailing ALLOW_EXTERNAL off a command's argument. */
export function takeOverride(arg: string): { rest: string; override: boolean } {
  const words = arg.split(/\s+/).filter(Boolean);
  const override = words.at(-1)?.toLowerCase() === ALLOW_EXTERNAL;
  return { rest: (override ? words.slice(0, -1) : words).join(' '), override };
}

/**
 * Department cards and digests show every client's tickets and internal notes: never in a channel
 * another organisation reads (Slack Connect), unless a root insists with ALLOW_EXTERNAL.
 */
export async function requireStaffChannel(
  env: SlackDeps,
  actor: Actor,
  channel: string,
  override: boolean,
): Promise<void> {
  if (!(await env.directory.channel(channel)).externallyShared) return;
  if (!override)
    throw denied(
      'channel',
      `This channel is shared with another organisation (Slack Connect): its people would read every client's tickets and internal notes. Use a staff channel; a root can insist by ending the command with \`${ALLOW_EXTERNAL}\`.`,
    );
  requireRoot(actor);
}

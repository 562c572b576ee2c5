import { invalid, missed } from '../../functions/errors.ts';
import { allowed, call } from '../../functions/registry.ts';
import { findClients } from '../../functions/slack-setup/slack-accounts.ts';
import type { Result } from '../../functions/types.ts';
import { repostCount } from '../../slack-store/card-moves.ts';
import { REPOST_PER_MINUTE, requireStaffOnlyChannel } from '../department-channel.ts';
import type { SlackDeps } from '../directory.ts';
import { type Actor, takeOverride } from '../identity.ts';
import { audienceOf, tell } from '../tell.ts';
import { counted } from '../views/labels.ts';
import { escapeText } from '../views/mrkdwn.ts';
import type { CommandArgs } from './interaction.ts';

/** A user mention as Slack escapes it in command text: `<@U123|name>`. */
function mentioned(text: string): string {
  const [, user] = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/.exec(text) ?? [];
  if (!user) throw missed('user', 'Mention the user: `/ticket staff add @user admin`');
  return user;
}

/** `/ticket bind CLIENT [TEAM_ID]`: the client's name (or id), and optionally their Slack team. */
function bindTarget(arg: string): { query: string; team?: string } {
  const words = arg.split(/\s+/);
  const last = words.at(-1) ?? '';
  return /^[TE][A-Z0-9]{2,}$/.test(last) && words.length > 1
    ? { query: words.slice(0, -1).join(' '), team: last }
    : { query: arg };
}

/**
 * The client's organisation in a channel about to be bound: the one other team a Slack Connect
 * channel is shared with, or the team the root names when there are several; none (guests of our
 * workspace) for a channel of our own.
 */
async function clientTeamOf(env: SlackDeps, channel: string, named?: string): Promise<string | null> {
  const { externalTeams } = await env.directory.channel(channel);
  if (named) {
    if (!externalTeams.includes(named))
      throw invalid('team', `This channel is not shared with Slack team ${named}`);
    return named;
  }
  if (externalTeams.length > 1)
    throw invalid(
      'team',
      `This channel is shared with several organisations (${externalTeams.join(', ')}): name the client's, \`/ticket bind CLIENT TEAM_ID\``,
    );
  return externalTeams[0] ?? null;
}

/**
 * The administrative subcommands: staff, department channels and client channel bindings (roots
 * only: a wrong channel shows staff work to a client), link codes (any staff). Returns false for
 * anything else.
 */
export async function staffCommand(
  env: SlackDeps,
  args: CommandArgs,
  actor: Actor,
  sub: string,
  arg: string,
): Promise<boolean> {
  const say = (text: string) => tell(audienceOf(args), text);
  const run = (func: string, params: Record<string, string>) => call(env.deps, actor.session, func, params);
  const channel = args.command.channel_id;
  const [verb = '', ...rest] = arg.split(/\s+/);
  if (sub === 'staff' && verb === 'add') {
    allowed(actor.session, 'slack.staff.add');
    const slackUserId = mentioned(rest.join(' '));
    const level = (rest[1] ?? 'admin').toLowerCase();
    const profile = await env.directory.profile(slackUserId, `the Slack account of <@${slackUserId}>`);
    if (profile.external) throw invalid('user', 'External (Slack Connect) users cannot be staff');
    const staff = await run('slack.staff.add', {
      slack_user: slackUserId,
      name: profile.name,
      level,
      ...(profile.timezone ? { timezone: profile.timezone } : {}),
    });
    await say(`<@${slackUserId}> (${escapeText(nameOf(staff))}) is now ${level}.`);
    return true;
  }
  if (sub === 'staff' && verb === 'remove') {
    const slackUserId = mentioned(rest.join(' '));
    await run('slack.staff.remove', { slack_user: slackUserId });
    await say(`<@${slackUserId}> is no longer staff.`);
    return true;
  }
  // `allow-external` no longer opens a shared channel to cards: the check below refuses it all the same.
  const { rest: target } = takeOverride(arg);
  if (sub === 'channel' && /^\d+$/.test(target)) {
    allowed(actor.session, 'slack.channel');
    await requireStaffOnlyChannel(env, channel);
    await run('slack.channel', { elid: target, channel });
    const posting = await repostCount(env.deps.db, Number(target), channel);
    await say(
      `Cards of department ${target} now go to this channel: ${counted(posting, 'open ticket')} to post here, ${REPOST_PER_MINUTE} a minute (closed tickets are not posted). If I am not a member yet, invite me: \`/invite @Ticket Ops\`.`,
    );
    return true;
  }
  if (sub === 'link' && arg) {
    const made = await run('slack.linkcode', { login: arg });
    const code = made.kind === 'ok' ? made.code : undefined;
    await say(
      `Link code for ${escapeText(nameOf(made))}: \`${code}\` (valid 24 hours, once). They run \`/support link ${code}\`.`,
    );
    return true;
  }
  if (sub === 'bind' && arg) {
    allowed(actor.session, 'slack.bind');
    const { query, team } = bindTarget(arg);
    const [client, ...more] = await findClients(env.deps.db, query);
    if (!client || more.length > 0)
      throw invalid(
        'client',
        `Name one client: ${more.length ? 'several match' : 'none matches'} "${query}"`,
      );
    const clientTeam = await clientTeamOf(env, channel, team);
    const bound = await run('slack.bind', {
      account: String(client.id),
      channel,
      ...(clientTeam ? { team: clientTeam } : {}),
    });
    await say(
      `This channel now belongs to client ${escapeText(nameOf(bound))}: ${clientTeam ? `members of Slack team ${clientTeam}` : 'guests of our workspace'} act as them with \`/support\` here. \`/ticket unbind\` undoes it.`,
    );
    return true;
  }
  if (sub === 'unbind' && !arg) {
    const unbound = await run('slack.unbind', { channel });
    await say(`This channel no longer belongs to client ${escapeText(nameOf(unbound))}.`);
    return true;
  }
  return false;
}

/** The name a write's result gives for the door's confirmation. */
const nameOf = (result: Result) => (result.kind === 'ok' ? (result.name ?? '') : '');

import { invalid, missed } from '../../functions/errors.ts';
import { setDepartmentChannel } from '../../slack-store/cards.ts';
import {
  bindClientChannel,
  createLinkCode,
  disableStaff,
  findClients,
  unbindClientChannel,
  upsertStaff,
} from '../../slack-store/identity.ts';
import type { SlackDeps } from '../directory.ts';
import { type Actor, requireRoot, requireStaffChannel, takeOverride } from '../identity.ts';
import { audienceOf, tell } from '../tell.ts';
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
  const channel = args.command.channel_id;
  const [verb = '', ...rest] = arg.split(/\s+/);
  if (sub === 'staff' && verb === 'add') {
    requireRoot(actor);
    const slackUserId = mentioned(rest.join(' '));
    const level = (rest[1] ?? 'admin').toLowerCase();
    if (level !== 'admin' && level !== 'root') throw invalid('level', 'The level is admin or root');
    const profile = await env.directory.profile(slackUserId, `the Slack account of <@${slackUserId}>`);
    if (profile.external) throw invalid('user', 'External (Slack Connect) users cannot be staff');
    const staff = await upsertStaff(env.deps.db, {
      slackUserId,
      name: profile.name,
      level,
      timezone: profile.timezone,
    });
    await say(`<@${slackUserId}> (${escapeText(staff.name)}) is now ${level}.`);
    return true;
  }
  if (sub === 'staff' && verb === 'remove') {
    requireRoot(actor);
    const slackUserId = mentioned(rest.join(' '));
    if (!(await disableStaff(env.deps.db, slackUserId))) throw missed('user', 'That user is not staff');
    await say(`<@${slackUserId}> is no longer staff.`);
    return true;
  }
  const { rest: target, override } = takeOverride(arg);
  if (sub === 'channel' && /^\d+$/.test(target)) {
    requireRoot(actor);
    await requireStaffChannel(env, actor, channel, override);
    if (!(await setDepartmentChannel(env.deps, Number(target), channel)))
      throw missed('department', `Department ${target} does not exist`);
    await say(
      `Cards of department ${target} now go to this channel. If I am not a member yet, invite me: \`/invite @Ticket Ops\`.`,
    );
    return true;
  }
  if (sub === 'link' && arg) {
    const { code, name } = await createLinkCode(env.deps.db, arg, env.deps.now());
    await say(
      `Link code for ${escapeText(name)}: \`${code}\` (valid 24 hours, once). They run \`/support link ${code}\`.`,
    );
    return true;
  }
  if (sub === 'bind' && arg) {
    requireRoot(actor);
    const { query, team } = bindTarget(arg);
    const [client, ...more] = await findClients(env.deps.db, query);
    if (!client || more.length > 0)
      throw invalid(
        'client',
        `Name one client: ${more.length ? 'several match' : 'none matches'} "${query}"`,
      );
    const clientTeam = await clientTeamOf(env, channel, team);
    const name = await bindClientChannel(env.deps.db, client.id, channel, clientTeam);
    await say(
      `This channel now belongs to client ${escapeText(name)}: ${clientTeam ? `members of Slack team ${clientTeam}` : 'guests of our workspace'} act as them with \`/support\` here. \`/ticket unbind\` undoes it.`,
    );
    return true;
  }
  if (sub === 'unbind' && !arg) {
    requireRoot(actor);
    const name = await unbindClientChannel(env.deps.db, channel);
    if (!name) throw missed('channel', 'This channel is not bound to a client');
    await say(`This channel no longer belongs to client ${escapeText(name)}.`);
    return true;
  }
  return false;
}

import { invalid, missed } from '../../functions/errors.ts';
import { setDepartmentChannel } from '../../slack-store/cards.ts';
import {
  bindClientChannel,
  createLinkCode,
  disableStaff,
  findClients,
  upsertStaff,
} from '../../slack-store/identity.ts';
import type { SlackEnv } from '../env.ts';
import { type Actor, requireRoot } from '../identity.ts';
import { audienceOf, tell } from '../tell.ts';
import { escapeText } from '../views/mrkdwn.ts';
import type { CommandArgs } from './flow.ts';

/** A user mention as Slack escapes it in command text: `<@U123|name>`. */
function mentioned(text: string): string {
  const match = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/.exec(text);
  if (!match) throw missed('user', 'Mention the user: `/ticket staff add @user admin`');
  return match[1];
}

/**
 * The administrative subcommands: staff, department channels and client channel bindings (roots
 * only: a wrong channel shows staff work to a client), link codes (any staff). Returns false for
 * anything else.
 */
export async function staffCommand(
  env: SlackEnv,
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
    await say(`<@${slackUserId}> is now ${level} (${escapeText(staff.login)}).`);
    return true;
  }
  if (sub === 'staff' && verb === 'remove') {
    requireRoot(actor);
    const slackUserId = mentioned(rest.join(' '));
    if (!(await disableStaff(env.deps.db, slackUserId))) throw missed('user', 'That user is not staff');
    await say(`<@${slackUserId}> is no longer staff.`);
    return true;
  }
  if (sub === 'channel' && /^\d+$/.test(arg)) {
    requireRoot(actor);
    if (!(await setDepartmentChannel(env.deps, Number(arg), channel)))
      throw missed('department', `Department ${arg} does not exist`);
    await say(
      `Cards of department ${arg} now go to this channel. If I am not a member yet, invite me: \`/invite @Ticket Ops\`.`,
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
    const [client, ...more] = await findClients(env.deps.db, arg);
    if (!client || more.length > 0)
      throw invalid('client', `Name one client: ${more.length ? 'several match' : 'none matches'} "${arg}"`);
    const name = await bindClientChannel(env.deps.db, client.id, channel);
    await say(
      `This channel now belongs to client ${escapeText(name)}: their people can use \`/support\` here.`,
    );
    return true;
  }
  return false;
}

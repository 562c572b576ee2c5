import { invalid, missed } from '../../functions/errors.ts';
import { call } from '../../functions/registry.ts';
import type { Row } from '../../functions/types.ts';
import { accountBySlackId } from '../../slack-store/identity.ts';
import type { SlackDeps } from '../directory.ts';
import { type Actor, requireRoot } from '../identity.ts';
import { audienceOf, tell } from '../tell.ts';
import { escapeText } from '../views/mrkdwn.ts';
import type { CommandArgs } from './interaction.ts';

const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>\s*(.*)$/;

/**
 * Provisioning from Slack, for roots, through the same functions as the API:
 * `/ticket department add [PROVIDER_ID:] NAME`, `/ticket staff works @user 1,2` (the departments
 * they see; `none` for none) and `/ticket user link @user LOGIN` (a client user's Slack account).
 * Returns false for anything else.
 */
export async function provisionCommand(
  env: SlackDeps,
  args: CommandArgs,
  actor: Actor,
  sub: string,
  arg: string,
): Promise<boolean> {
  const [verb = '', ...words] = arg.split(/\s+/);
  const rest = words.join(' ');
  const run = (func: string, params: Record<string, string>) => call(env.deps, actor.session, func, params);
  const say = (text: string) => tell(audienceOf(args), text);
  if (sub === 'department' && verb === 'add') {
    requireRoot(actor);
    const [, project, name] = /^(?:(\d+):\s*)?(.+)$/.exec(rest) ?? [];
    if (!name) throw missed('name', 'Name the department: `/ticket department add Billing`');
    const made = await run('department.edit', {
      name,
      ...(project ? { project } : {}),
      sok: 'ok',
    });
    const id = made.kind === 'ok' ? made.id : undefined;
    await say(
      `Department ${escapeText(name)} is ${id}. Send its cards here with \`/ticket channel ${id}\`, give staff to it with \`/ticket staff works @user ${id}\`.`,
    );
    return true;
  }
  if (sub === 'staff' && verb === 'works') {
    requireRoot(actor);
    const [slackUserId, ids] = mention(rest, '`/ticket staff works @user 1,2`');
    const staff = await accountBySlackId(env.deps.db, slackUserId);
    if (!staff || staff.level === 'user')
      throw missed('user', `<@${slackUserId}> is not staff: \`/ticket staff add @user admin\` first`);
    await run('admin.edit', { elid: String(staff.id), departments: ids || 'none', sok: 'ok' });
    await say(
      staff.level === 'root'
        ? `<@${slackUserId}> is root and sees every department anyway; their departments are kept for if that changes.`
        : `<@${slackUserId}> now works departments ${ids || 'none'}.`,
    );
    return true;
  }
  if (sub === 'user' && verb === 'link') {
    requireRoot(actor);
    const [slackUserId, login] = mention(rest, '`/ticket user link @user LOGIN`');
    if (!login) throw missed('login', 'Name the client user: `/ticket user link @user LOGIN`');
    const list = await run('user', { filter: 'on', login, p_cnt: '1000' });
    const user = list.kind === 'list' ? list.rows.find((r: Row) => r.login === login) : undefined;
    if (!user) throw missed('login', `No client user has the login ${login}`, login);
    await run('user.edit', { elid: String(user.id), slack_user: slackUserId, sok: 'ok' });
    await say(
      `<@${slackUserId}> now acts as ${escapeText(login)} of ${escapeText(String(user.account))} in \`/support\`.`,
    );
    return true;
  }
  return false;
}

function mention(text: string, usage: string): [string, string] {
  const [, user, rest = ''] = MENTION.exec(text.trim()) ?? [];
  if (!user) throw invalid('user', `Mention the user: ${usage}`);
  return [user, rest.trim()];
}

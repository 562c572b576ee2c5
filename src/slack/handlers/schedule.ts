import { requireDepartment } from '../../functions/department-scope.ts';
import { denied, invalid, missed } from '../../functions/errors.ts';
import { call } from '../../functions/registry.ts';
import { clientByChannel } from '../../slack-store/identity.ts';
import { departmentOfChannel } from '../../slack-store/scheduled.ts';
import type { SlackDeps } from '../directory.ts';
import { type Actor, requireStaffChannel, staffActor, takeOverride } from '../identity.ts';
import { parseId } from '../ids.ts';
import { digestFor } from '../scheduled/digest.ts';
import { onCallStatus } from '../scheduled/oncall.ts';
import { audienceOf, tell } from '../tell.ts';
import { mentionOrText } from '../views/mrkdwn.ts';
import { settingsFromView, settingsModal } from '../views/settings.ts';
import {
  type ActionArgs,
  actionValue,
  type CommandArgs,
  clickOnce,
  submitView,
  type ViewArgs,
} from './interaction.ts';

/** The department a command means: the one it names, or the one whose cards go to this channel. */
async function departmentOf(env: SlackDeps, arg: string, channel: string): Promise<number> {
  if (arg) {
    const id = parseId(arg.replace(/^#/, ''));
    if (id === null) throw invalid('department', `Give a department id, not "${arg}"`);
    return id;
  }
  const here = await departmentOfChannel(env.deps.db, channel);
  if (here === null)
    throw missed('department', 'No department posts to this channel: give its id, e.g. `/ticket oncall 1`');
  return here;
}

/**
 * `/ticket oncall|digest [DEPARTMENT_ID]`: who is on call (only to the asker), and the department's
 * digest posted to the channel for everyone. Returns false for other subcommands.
 */
export async function scheduleCommand(
  env: SlackDeps,
  args: CommandArgs,
  caller: Actor,
  sub: string,
  arg: string,
): Promise<boolean> {
  if (sub !== 'oncall' && sub !== 'digest') return false;
  const channel = args.command.channel_id;
  const { rest, override } = takeOverride(arg);
  const id = await departmentOf(env, rest, channel);
  if (sub === 'digest') await requireDepartment(env.deps.db, caller.session, id);
  if (sub === 'oncall') {
    const { message } = await onCallStatus(env.deps, id);
    await tell(audienceOf(args), message.text, message.blocks);
    return true;
  }
  // The digest lists staff work: never posted where a client's people read.
  if (await clientByChannel(env.deps.db, channel))
    throw denied('channel', 'This channel belongs to a client: run `/ticket digest` in a staff channel.');
  await requireStaffChannel(env, caller, channel, override);
  const { message } = await digestFor(env.deps, id);
  await args.client.chat.postMessage({ channel, ...message, unfurl_links: false });
  return true;
}

/** `/ticket settings [DEPARTMENT_ID]` (roots): the settings modal, filled in after the loading modal. */
export async function settingsForm(env: SlackDeps, args: CommandArgs, arg: string) {
  const { session } = await staffActor(env, args.body.user_id);
  const id = await departmentOf(env, arg, args.command.channel_id);
  const form = await call(env.deps, session, 'department.schedule', { elid: String(id) });
  if (form.kind !== 'form') throw new Error('department.schedule gave no form');
  return settingsModal(id, String(form.fields.name), form.fields);
}

export function submitSettings(env: SlackDeps) {
  return (args: ViewArgs) =>
    submitView(env, args, async () => {
      const { session } = await staffActor(env, args.body.user.id);
      const { departmentId, values } = settingsFromView(args.body.view);
      await call(env.deps, session, 'department.schedule', {
        elid: String(departmentId),
        ...values,
        sok: 'ok',
      });
      return `Settings of department ${departmentId} saved.`;
    });
}

/** Ack on an on-call page: the first staff member takes the ticket; the pages are updated by the worker. */
export function oncallAck(env: SlackDeps) {
  return (args: ActionArgs) =>
    clickOnce(env, args, async () => {
      const { session } = await staffActor(env, args.body.user.id);
      const escalationId = parseId(actionValue(args));
      if (escalationId === null) throw invalid('escalation', 'This Ack button carries no page');
      const result = await call(env.deps, session, 'oncall.ack', { elid: String(escalationId) });
      if (result.kind !== 'ok' || !result.ack) throw new Error('oncall.ack gave no answer');
      const ticketId = result.tickets[0];
      const by = result.ack.by;
      await tell(
        audienceOf(args),
        result.ack.taken
          ? `:white_check_mark: You took #${ticketId}.`
          : `#${ticketId} was already taken by ${by ? mentionOrText(by) : 'someone else'}.`,
      );
    });
}

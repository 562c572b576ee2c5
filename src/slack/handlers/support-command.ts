import { TicketError } from '../../functions/errors.ts';
import { call } from '../../functions/registry.ts';
import type { Session } from '../../functions/types.ts';
import type { SlackDeps } from '../directory.ts';
import { clientActor, slackSession } from '../identity.ts';
import { audienceOf, tell } from '../tell.ts';
import { CLIENT_PAGE, clientListBlocks, clientNewModal, clientTicketBlocks } from '../views/client.ts';
import { SUPPORT_USAGE } from '../views/help.ts';
import { counted } from '../views/labels.ts';
import { escapeText } from '../views/mrkdwn.ts';
import { type CommandArgs, guarded, modalAfterLoading } from './interaction.ts';

/** Whether the client's provider sells support tickets (the incident form answers without sok). */
async function sellsSupport(env: SlackDeps, session: Session): Promise<boolean> {
  try {
    await call(env.deps, session, 'incident', {});
    return true;
  } catch (error) {
    if (error instanceof TicketError) return false;
    throw error;
  }
}

/** `/support`'s list: a page of the client's tickets with status and wait time. */
export async function clientList(env: SlackDeps, session: Session, page = 1) {
  const list = await call(env.deps, session, 'clientticket', {
    p_num: String(page),
    p_cnt: String(CLIENT_PAGE),
  });
  return {
    text: `Your tickets: ${counted(list.page.elems, 'ticket')}`,
    blocks: clientListBlocks(list, { paidSupport: await sellsSupport(env, session) }),
  };
}

/** A ticket as the client reads it; reading marks it read (clientticket.edit without sok). */
export async function clientTicket(env: SlackDeps, session: Session, ticketId: number, page = 0) {
  const form = await call(env.deps, session, 'clientticket.edit', { elid: String(ticketId) });
  return { text: `Ticket #${ticketId}`, blocks: clientTicketBlocks(form, page) };
}

export async function clientNewForm(env: SlackDeps, slackUserId: string, channel?: string) {
  const { session } = await clientActor(env, slackUserId, channel);
  const form = await call(env.deps, session, 'clientticket.edit', {});
  return clientNewModal(form);
}

/** `/support …`: the clients' door (linked users, or anyone in a channel bound to a client). */
export function supportCommand(env: SlackDeps) {
  return async (args: CommandArgs) => {
    await args.ack();
    const [word = '', ...rest] = args.command.text.trim().split(/\s+/);
    const sub = word.toLowerCase();
    const user = args.body.user_id;
    const channel = args.body.channel_id;
    if (sub === 'new' && rest.length === 0) {
      return guarded(args, () =>
        modalAfterLoading(args, 'New ticket', () => clientNewForm(env, user, channel)),
      );
    }
    const show = (message: { text: string; blocks?: unknown[] }) =>
      args.respond({ response_type: 'ephemeral', ...(message as { text: string }) });
    await guarded(args, async () => {
      if (sub === 'help') return void (await show({ text: SUPPORT_USAGE }));
      const [code] = rest;
      if (sub === 'link' && code !== undefined && rest.length === 1) {
        const linked = await call(env.deps, await slackSession(env, user), 'slack.link', { code });
        const name = linked.kind === 'ok' ? (linked.name ?? '') : '';
        return void (await show({ text: `Linked: you are ${escapeText(name)} now. Try \`/support\`.` }));
      }
      const { session } = await clientActor(env, user, channel);
      if (sub === '') return void (await show(await clientList(env, session)));
      if (/^#?\d+$/.test(sub) && rest.length === 0)
        return void (await show(await clientTicket(env, session, Number(sub.replace('#', '')))));
      await tell(
        audienceOf(args),
        `I did not understand \`/support ${args.command.text.trim()}\`.\n${SUPPORT_USAGE}`,
      );
    });
  };
}

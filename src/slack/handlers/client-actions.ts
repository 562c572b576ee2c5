import { call } from '../../functions/registry.ts';
import type { SlackDeps } from '../directory.ts';
import { clientActor } from '../identity.ts';
import { parseMeta, parsePageValue, parseTicketPageValue, parseTicketValue } from '../ids.ts';
import { buyModal, clientReplyModal } from '../views/client.ts';
import { counted } from '../views/labels.ts';
import {
  type ActionArgs,
  actionValue,
  clickOnce,
  guarded,
  inputValue,
  modalAfterLoading,
  submitView,
  type ViewArgs,
} from './interaction.ts';
import { clientList, clientNewForm, clientTicket } from './support-command.ts';

const channelOf = (args: ActionArgs) => args.body.channel?.id;

export function clientOpen(env: SlackDeps) {
  return async (args: ActionArgs) => {
    await args.ack();
    await guarded(args, async () => {
      const { session } = await clientActor(env, args.body.user.id, channelOf(args));
      const shown = await clientTicket(env, session, parseTicketValue(actionValue(args)));
      await args.respond({ response_type: 'ephemeral', replace_original: false, ...shown });
    });
  };
}

/** ← Earlier / Newer → under a client's ticket: the same ephemeral message shows other messages. */
export function clientTicketPage(env: SlackDeps) {
  return async (args: ActionArgs) => {
    await args.ack();
    await guarded(args, async () => {
      const { session } = await clientActor(env, args.body.user.id, channelOf(args));
      const { ticketId, page } = parseTicketPageValue(actionValue(args));
      await args.respond({ replace_original: true, ...(await clientTicket(env, session, ticketId, page)) });
    });
  };
}

/** Reply opens at once; who may write in the ticket is checked on submit. */
export function clientReply(_env: SlackDeps) {
  return async (args: ActionArgs) => {
    await args.ack();
    await guarded(args, async () => {
      const view = clientReplyModal(parseTicketValue(actionValue(args)), channelOf(args));
      await args.client.views.open({ trigger_id: args.body.trigger_id, view });
    });
  };
}

export function submitClientReply(env: SlackDeps) {
  return (args: ViewArgs) =>
    submitView(env, args, async () => {
      const meta = parseMeta(args.body.view.private_metadata);
      const { session } = await clientActor(env, args.body.user.id, meta.channel);
      await call(env.deps, session, 'clientticket.edit', {
        elid: String(meta.ticketId ?? ''),
        message: inputValue(args, 'message'),
        sok: 'ok',
      });
      return `Your message was added to #${meta.ticketId}.`;
    });
}

/** Previous/Next under the client's list: the same ephemeral message shows the other page. */
export function clientPage(env: SlackDeps) {
  return async (args: ActionArgs) => {
    await args.ack();
    await guarded(args, async () => {
      const { session } = await clientActor(env, args.body.user.id, channelOf(args));
      const { page } = parsePageValue(actionValue(args));
      await args.respond({ replace_original: true, ...(await clientList(env, session, page)) });
    });
  };
}

export function clientArchive(env: SlackDeps) {
  return (args: ActionArgs) =>
    clickOnce(env, args, async () => {
      const { session } = await clientActor(env, args.body.user.id, channelOf(args));
      await call(env.deps, session, 'clientticket.archive', { elid: actionValue(args), sok: 'ok' });
      await args.respond({
        response_type: 'ephemeral',
        replace_original: true,
        ...(await clientList(env, session)),
      });
    });
}

export function clientNew(env: SlackDeps) {
  return async (args: ActionArgs) => {
    await args.ack();
    await guarded(args, () =>
      modalAfterLoading(args, 'New ticket', () => clientNewForm(env, args.body.user.id, channelOf(args))),
    );
  };
}

export function submitClientNew(env: SlackDeps) {
  return (args: ViewArgs) =>
    submitView(env, args, async () => {
      const { session } = await clientActor(
        env,
        args.body.user.id,
        parseMeta(args.body.view.private_metadata).channel,
      );
      const params = Object.fromEntries(
        ['client_department', 'ticket_item', 'name', 'message', 'client_priority'].map((k) => [
          k,
          inputValue(args, k),
        ]),
      );
      const made = await call(env.deps, session, 'clientticket.edit', { ...params, sok: 'ok' });
      return made.id ? `Ticket #${made.id} opened. We will answer here.` : undefined;
    });
}

export function clientBuy(env: SlackDeps) {
  return async (args: ActionArgs) => {
    await args.ack();
    await guarded(args, () =>
      modalAfterLoading(args, 'Buy support tickets', async () => {
        const { session } = await clientActor(env, args.body.user.id, channelOf(args));
        return buyModal(await call(env.deps, session, 'incident', {}));
      }),
    );
  };
}

export function submitBuy(env: SlackDeps) {
  return (args: ViewArgs) =>
    submitView(env, args, async () => {
      const { session } = await clientActor(
        env,
        args.body.user.id,
        parseMeta(args.body.view.private_metadata).channel,
      );
      await call(env.deps, session, 'incident', { count: inputValue(args, 'count'), sok: 'ok' });
      return `Bought ${counted(Number(inputValue(args, 'count')), 'support ticket')}.`;
    });
}

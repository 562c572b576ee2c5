import { call } from '../../functions/registry.ts';
import { ticketCard } from '../../functions/ticket-card.ts';
import type { Session } from '../../functions/types.ts';
import type { SlackDeps } from '../directory.ts';
import { staffActor } from '../identity.ts';
import { parseMessageValue, parseMeta, parseTicketValue } from '../ids.ts';
import { errorText } from '../reply-error.ts';
import { messageEditModal, messagesModal } from '../views/messages-modal.ts';
import {
  type ActionArgs,
  actionValue,
  clickOnce,
  guarded,
  inputValue,
  modalAfterLoading,
  pageStaffModal,
  submitView,
  type ViewArgs,
} from './interaction.ts';

async function messagesView(env: SlackDeps, session: Session, ticketId: number, notice?: string, page = 0) {
  const list = await call(env.deps, session, 'ticket.message', { elid: String(ticketId), p_cnt: '1000' });
  // Split is refused on an archived ticket: the modal does not offer it there.
  const archived = String((await ticketCard(env.deps, ticketId))?.row.tstatus) === '10';
  return messagesModal(ticketId, list.rows, notice, { archived, page });
}

/** Messages button: every message of the ticket with Edit / Hide / Split from here. */
export function openMessages(env: SlackDeps) {
  return async (args: ActionArgs) => {
    await args.ack();
    const ticketId = parseTicketValue(actionValue(args));
    await guarded(args, () =>
      modalAfterLoading(args, 'Messages', async () => {
        const { session } = await staffActor(env, args.body.user.id);
        return messagesView(env, session, ticketId);
      }),
    );
  };
}

/** ← Earlier / Newer → in the Messages modal: the same modal shows another page. */
export const pageMessages = (env: SlackDeps) =>
  pageStaffModal(env, (session, ticketId, page) => messagesView(env, session, ticketId, undefined, page));

/** Edit: the message's text in a modal stacked on the messages modal. */
export function editMessage(env: SlackDeps) {
  return async (args: ActionArgs) => {
    await args.ack();
    const { messageId, ticketId } = parseMessageValue(actionValue(args));
    await guarded(args, () =>
      modalAfterLoading(
        args,
        'Edit message',
        async () => {
          const { session } = await staffActor(env, args.body.user.id);
          const form = await call(env.deps, session, 'ticket.message.edit', {
            plid: String(ticketId),
            elid: String(messageId),
          });
          return messageEditModal(ticketId, messageId, String(form.fields.message ?? ''));
        },
        true,
      ),
    );
  };
}

export function submitMessageEdit(env: SlackDeps) {
  return (args: ViewArgs) =>
    submitView(env, args, async () => {
      const { session } = await staffActor(env, args.body.user.id);
      const meta = parseMeta(args.body.view.private_metadata);
      await call(env.deps, session, 'ticket.message.edit', {
        plid: String(meta.ticketId ?? ''),
        elid: String(meta.messageId ?? ''),
        message: inputValue(args, 'message'),
        sok: 'ok',
      });
      // The messages modal under this one still shows the old text: bring it up to date.
      const under = args.body.view.previous_view_id;
      if (under && meta.ticketId) {
        await args.client.views.update({
          view_id: under,
          view: await messagesView(env, session, meta.ticketId, `Message #${meta.messageId} edited.`),
        });
      }
      return undefined;
    });
}

/** Hide and Split (both confirmed in Slack first): apply, then show the messages as they now are. */
function messageOperation(env: SlackDeps, name: 'ticket.message.delete' | 'ticket.split', done: string) {
  return (args: ActionArgs) =>
    clickOnce(env, args, async () => {
      const { messageId, ticketId } = parseMessageValue(actionValue(args));
      const { session } = await staffActor(env, args.body.user.id);
      let notice: string;
      try {
        const result = await call(env.deps, session, name, {
          elid: String(messageId),
          plid: String(ticketId),
          sok: 'ok',
        });
        notice = `${done.replace('#M', `#${messageId}`)}${result.kind === 'ok' && result.id ? ` New ticket #${result.id}.` : ''}`;
      } catch (error) {
        notice = errorText(error);
      }
      const viewId = args.body.view?.id;
      if (viewId)
        await args.client.views.update({
          view_id: viewId,
          view: await messagesView(env, session, ticketId, notice),
        });
    });
}

export const hideMessage = (env: SlackDeps) =>
  messageOperation(env, 'ticket.message.delete', 'Message #M hidden from the client.');
export const splitMessage = (env: SlackDeps) =>
  messageOperation(env, 'ticket.split', 'Split from message #M.');

import type { KnownBlock, ModalView } from '@slack/types';
import type { Row } from '../../functions/types.ts';
import { ACTION, encodeMeta, messageValue, VIEW } from '../ids.ts';
import { actions, button, confirm, context, modal, section, slackDate, textInput } from './blocks.ts';
import { messageText } from './card.ts';

/**
 * Every message of a ticket (ticket.message rows), each with Edit, Hide from the client and Split
 * from here where they can work (no Hide on notes clients never see or on hidden messages, no
 * Split from the first message); hiding and splitting ask for confirmation first.
 */
export function messagesModal(ticketId: number, rows: Row[], notice?: string): ModalView {
  const blocks: KnownBlock[] = notice ? [context(notice)] : [];
  const first = rows[0]?.id;
  // A modal holds 100 blocks: three per message, the newest ones.
  for (const r of rows.slice(-32)) {
    const id = Number(r.id);
    const value = messageValue(id, ticketId);
    blocks.push(
      section(
        messageText({
          author: String(r.message_user),
          body: String(r.message),
          fromStaff: r.type === 'outcoming',
          internal: Boolean(r.note),
          hidden: Boolean(r.hidden),
        }),
      ),
      context(
        `#${id} · ${r.date_post instanceof Date ? slackDate(r.date_post) : ''}${r.edited ? ' · edited' : ''}`,
      ),
      actions(`message:${id}`, [
        button('Edit', ACTION.messageEdit, value),
        ...(r.hidden || r.note
          ? []
          : [
              button('Hide', ACTION.messageHide, value, {
                confirm: confirm(
                  'Hide message',
                  `Hide message #${id} from the client? Staff still see it.`,
                  'Hide',
                ),
              }),
            ]),
        ...(r.id === first
          ? []
          : [
              button('Split from here', ACTION.messageSplit, value, {
                confirm: confirm(
                  'Split ticket',
                  `Move message #${id} and every later one to a new ticket of the same client?`,
                  'Split',
                  true,
                ),
              }),
            ]),
      ]),
    );
  }
  if (rows.length === 0) blocks.push(section('No messages.'));
  return modal(VIEW.messages, `Messages of #${ticketId}`, blocks, { meta: encodeMeta({ ticketId }) });
}

/** Slack's text input holds 3000 characters: a longer message is edited through the API, never cut. */
const EDITABLE = 3000;

export function messageEditModal(ticketId: number, messageId: number, body: string): ModalView {
  if (body.length > EDITABLE)
    return modal(VIEW.messageEdit, `Edit message #${messageId}`, [
      section(
        `Message #${messageId} is ${body.length} characters long; Slack edits at most ${EDITABLE}. Edit it with \`ticket.message.edit\` through the API.`,
      ),
    ]);
  return modal(
    VIEW.messageEdit,
    `Edit message #${messageId}`,
    [textInput('message', 'Message', { multiline: true, initial: body, max: EDITABLE })],
    {
      submit: 'Save',
      meta: encodeMeta({ ticketId, messageId }),
    },
  );
}

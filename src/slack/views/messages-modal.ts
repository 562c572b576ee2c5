import type { KnownBlock, ModalView } from '@slack/types';
import type { Row } from '../../functions/types.ts';
import { ACTION, encodeMeta, messageValue, ticketPageValue, VIEW } from '../ids.ts';
import { actions, button, confirm, context, modal, section, slackDate, textInput } from './blocks.ts';
import { messageText } from './card.ts';
import { counted } from './labels.ts';
import { messageOffers } from './offers.ts';

/** Messages per page of the Messages modal: three blocks each, with room for the first message and paging. */
export const MESSAGES_PAGE = 30;

/**
 * The messages of a ticket (ticket.message rows), each with Edit, Hide from the client and Split
 * from here where they can work (offers.ts); hiding and splitting ask for confirmation first.
 * A long ticket shows its first message (the original problem), then "N earlier messages" with
 * buttons to page, then a page of messages, the newest page first.
 */
export function messagesModal(
  ticketId: number,
  rows: Row[],
  notice?: string,
  opts: { archived?: boolean; page?: number } = {},
): ModalView {
  const blocks: KnownBlock[] = notice ? [context(notice)] : [];
  const [first, ...rest] = rows;
  const pages = Math.max(1, Math.ceil(rest.length / MESSAGES_PAGE));
  const page = Math.min(Math.max(0, opts.page ?? 0), pages - 1);
  const end = rest.length - page * MESSAGES_PAGE;
  const start = Math.max(0, end - MESSAGES_PAGE);
  const ticket = { archived: opts.archived ?? false, firstMessageId: first ? Number(first.id) : undefined };
  if (first) blocks.push(...messageBlocks(first, ticketId, ticket));
  const earlier = start;
  const newer = rest.length - end;
  if (earlier > 0 || newer > 0) {
    blocks.push(
      context(
        [
          earlier > 0 ? counted(earlier, 'earlier message') : '',
          newer > 0 ? counted(newer, 'newer message') : '',
        ]
          .filter(Boolean)
          .join(' · '),
      ),
      actions('messages:paging', [
        ...(earlier > 0
          ? [button('← Earlier', ACTION.messagesEarlier, ticketPageValue(ticketId, page + 1))]
          : []),
        ...(newer > 0 ? [button('Newer →', ACTION.messagesNewer, ticketPageValue(ticketId, page - 1))] : []),
      ]),
    );
  }
  for (const r of rest.slice(start, end)) blocks.push(...messageBlocks(r, ticketId, ticket));
  if (rows.length === 0) blocks.push(section('No messages.'));
  return modal(VIEW.messages, `Messages of #${ticketId}`, blocks, { meta: encodeMeta({ ticketId }) });
}

function messageBlocks(
  r: Row,
  ticketId: number,
  ticket: { archived: boolean; firstMessageId: number | undefined },
): KnownBlock[] {
  const id = Number(r.id);
  const value = messageValue(id, ticketId);
  const offers = messageOffers({ id, note: Boolean(r.note), hidden: Boolean(r.hidden) }, ticket);
  return [
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
      ...(offers.has(ACTION.messageHide)
        ? [
            button('Hide', ACTION.messageHide, value, {
              confirm: confirm(
                'Hide message',
                `Hide message #${id} from the client? Staff still see it.`,
                'Hide',
              ),
            }),
          ]
        : []),
      ...(offers.has(ACTION.messageSplit)
        ? [
            button('Split from here', ACTION.messageSplit, value, {
              confirm: confirm(
                'Split ticket',
                `Move message #${id} and every later one to a new ticket of the same client?`,
                'Split',
                true,
              ),
            }),
          ]
        : []),
    ]),
  ];
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

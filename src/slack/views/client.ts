import type { KnownBlock, ModalView } from '@slack/types';
import type { FormMessage, FormResult, ListResult, Row } from '../../functions/types.ts';
import { ACTION, encodeMeta, pageValue, ticketPageValue, ticketValue, VIEW } from '../ids.ts';
import {
  actions,
  button,
  confirm,
  context,
  modal,
  option,
  section,
  selectInput,
  slackDate,
  textInput,
} from './blocks.ts';
import { messageText } from './card.ts';
import { counted, PRIORITY_OPTIONS, STATUS_LABEL } from './labels.ts';
import { escapeText, markdownToMrkdwn } from './mrkdwn.ts';

/** A staff reply delivered to the client in Slack (their bound channel or a direct message). */
export function clientReplyText(r: {
  ticketId: number;
  subject: string;
  author: string;
  body: string;
}): string {
  return (
    `*${escapeText(r.author)}* answered your ticket *#${r.ticketId}* ${escapeText(r.subject)}:\n` +
    `${markdownToMrkdwn(r.body)}\n_Reply with_ \`/support ${r.ticketId}\``
  );
}

/** The delivered reply with a Reply button, so the client answers right where they read it. */
export function clientReplyBlocks(r: Parameters<typeof clientReplyText>[0]): KnownBlock[] {
  return [
    section(clientReplyText(r)),
    actions(`client:${r.ticketId}:answer`, [
      button('Reply', ACTION.clientReply, ticketValue(r.ticketId), { style: 'primary' }),
      button('Open', ACTION.clientOpen, ticketValue(r.ticketId)),
    ]),
  ];
}

function clientLine(r: Row): string {
  const waiting = r.wait_time ? ` · waiting ${r.wait_time}` : '';
  return `${r.unread ? ':envelope: ' : ''}*#${r.id}* ${escapeText(String(r.name))}\n${STATUS_LABEL[String(r.tstatus)]}${waiting}`;
}

/** Tickets per page of `/support`: two blocks each stay within Slack's 50 per message. */
export const CLIENT_PAGE = 15;

/** `/support`: a page of the client's tickets with status and wait time, and what they can do next. */
export function clientListBlocks(
  list: ListResult,
  opts: { paidSupport: boolean; readOnly?: boolean },
): KnownBlock[] {
  const { num, elems } = list.page;
  const pages = Math.max(1, Math.ceil(elems / CLIENT_PAGE));
  const blocks: KnownBlock[] = [
    section(`*Your tickets* · ${counted(elems, 'ticket')}${pages > 1 ? ` · page ${num} of ${pages}` : ''}`),
  ];
  for (const r of list.rows.slice(0, CLIENT_PAGE)) {
    const id = Number(r.id);
    blocks.push(
      section(clientLine(r), opts.readOnly ? undefined : button('Open', ACTION.clientOpen, ticketValue(id))),
    );
    if (!opts.readOnly && r.tstatus === '3') {
      blocks.push(
        actions(`client:${id}`, [
          button('Archive', ACTION.clientArchive, ticketValue(id), {
            confirm: confirm('Archive', `Move #${id} to the archive?`, 'Archive'),
          }),
        ]),
      );
    }
  }
  if (list.rows.length === 0) blocks.push(section('You have no open tickets.'));
  if (opts.readOnly) return blocks;
  blocks.push(
    actions('client:list', [
      ...(num > 1 ? [button('← Previous', ACTION.clientPagePrevious, pageValue(num - 1, false))] : []),
      ...(num < pages ? [button('Next →', ACTION.clientPageNext, pageValue(num + 1, false))] : []),
      button('New ticket', ACTION.clientNew, 'new', { style: 'primary' }),
      ...(opts.paidSupport ? [button('Buy support tickets', ACTION.clientBuy, 'buy')] : []),
    ]),
  );
  return blocks;
}

/** Messages per page of a client's ticket: two blocks each, within Slack's 50 per message. */
export const CLIENT_MESSAGES_PAGE = 20;

/**
 * A client's ticket as they see it: their messages and staff replies, never internal notes. A long
 * ticket shows its first message, "N earlier messages" with buttons to page, then a page of the
 * newest (page 0) or older messages.
 */
export function clientTicketBlocks(form: FormResult, page = 0): KnownBlock[] {
  const f = form.fields;
  const id = Number(f.id);
  const blocks: KnownBlock[] = [
    section(
      `*#${id} · ${escapeText(String(f.name))}*\n${STATUS_LABEL[String(f.tstatus)]}${f.delay ? ` · waiting ${f.delay}` : ''}`,
    ),
  ];
  const message = (m: FormMessage): KnownBlock[] => [
    section(
      messageText({ author: m.author, body: m.body, fromStaff: m.type === 'outcoming', internal: false }),
    ),
    context(slackDate(m.datePost)),
  ];
  const [first, ...rest] = form.messages ?? [];
  const pages = Math.max(1, Math.ceil(rest.length / CLIENT_MESSAGES_PAGE));
  const shownPage = Math.min(Math.max(0, page), pages - 1);
  const end = rest.length - shownPage * CLIENT_MESSAGES_PAGE;
  const start = Math.max(0, end - CLIENT_MESSAGES_PAGE);
  if (first) blocks.push(...message(first));
  const newer = rest.length - end;
  if (start > 0 || newer > 0)
    blocks.push(
      context(
        [start > 0 ? counted(start, 'earlier message') : '', newer > 0 ? counted(newer, 'newer message') : '']
          .filter(Boolean)
          .join(' · '),
      ),
      actions(`client:${id}:paging`, [
        ...(start > 0
          ? [button('← Earlier', ACTION.clientTicketEarlier, ticketPageValue(id, shownPage + 1))]
          : []),
        ...(newer > 0
          ? [button('Newer →', ACTION.clientTicketNewer, ticketPageValue(id, shownPage - 1))]
          : []),
      ]),
    );
  for (const m of rest.slice(start, end)) blocks.push(...message(m));
  if (f.tstatus !== '10')
    blocks.push(
      actions(`client:${id}:reply`, [
        button('Reply', ACTION.clientReply, ticketValue(id), { style: 'primary' }),
      ]),
    );
  return blocks;
}

/**
 * "Log in as client": the client's own list, read-only, opened by a staff member (audited), with
 * Previous and Next to page through it (through the same ticket's su).
 */
export function clientViewModal(client: string, list: ListResult, ticketId?: number): ModalView {
  const { num, elems } = list.page;
  const pages = Math.max(1, Math.ceil(elems / CLIENT_PAGE));
  const paging =
    ticketId === undefined
      ? []
      : [
          ...(num > 1
            ? [button('← Previous', ACTION.clientViewPrevious, ticketPageValue(ticketId, num - 1))]
            : []),
          ...(num < pages
            ? [button('Next →', ACTION.clientViewNext, ticketPageValue(ticketId, num + 1))]
            : []),
        ];
  return modal(
    VIEW.clientView,
    'Client view',
    [
      context(`What ${escapeText(client)} sees in /support`),
      ...clientListBlocks(list, { paidSupport: false, readOnly: true }),
      ...(paging.length > 0 ? [actions('clientview:paging', paging)] : []),
    ],
    ticketId === undefined ? {} : { meta: encodeMeta({ ticketId }) },
  );
}

export function clientNewModal(form: FormResult): ModalView {
  const items = form.options?.ticket_item ?? [];
  return modal(
    VIEW.clientNew,
    'New ticket',
    [
      selectInput(
        'client_department',
        'Department',
        (form.options?.client_department ?? []).map((o) => option(o.key, o.label)),
      ),
      ...(items.length > 0
        ? [
            selectInput(
              'ticket_item',
              'Service',
              items.map((o) => option(o.key, o.label)),
              { optional: true },
            ),
          ]
        : []),
      textInput('name', 'Subject', { max: 200 }),
      textInput('message', 'Describe the problem (Markdown)', { multiline: true, max: 3000 }),
      selectInput(
        'client_priority',
        'Priority',
        PRIORITY_OPTIONS.map(([k, v]) => option(k, v)),
        { initial: '1' },
      ),
      context(`Paid support tickets left: ${form.fields.incident_count ?? 0}`),
    ],
    { submit: 'Open ticket' },
  );
}

/** `channel`: where the Reply was pressed, so the submission acts for the client there. */
export function clientReplyModal(ticketId: number, channel?: string): ModalView {
  return modal(
    VIEW.clientReply,
    `Reply to #${ticketId}`,
    [textInput('message', 'Message (Markdown)', { multiline: true, max: 3000 })],
    {
      submit: 'Send',
      meta: encodeMeta({ ticketId, ...(channel ? { channel } : {}) }),
    },
  );
}

export function buyModal(form: FormResult): ModalView {
  const f = form.fields;
  return modal(
    VIEW.buy,
    'Buy support tickets',
    [
      context(
        `Price per ticket: ${f.price} · your balance: ${f.balance} · tickets left: ${f.incident_count}`,
      ),
      textInput('count', 'How many', { initial: '1' }),
    ],
    { submit: 'Buy' },
  );
}

import type { KnownBlock, ModalView } from '@slack/types';
import type { FormResult, ListResult, Row } from '../../functions/types.ts';
import { ACTION, encodeMeta, pageValue, ticketValue, VIEW } from '../ids.ts';
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
  if (opts.readOnly) {
    if (pages > 1) blocks.push(context(`Page ${num} of ${pages}; the client pages with Previous and Next.`));
    return blocks;
  }
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

/** A client's ticket as they see it: their messages and staff replies, never internal notes. */
export function clientTicketBlocks(form: FormResult): KnownBlock[] {
  const f = form.fields;
  const id = Number(f.id);
  const blocks: KnownBlock[] = [
    section(
      `*#${id} · ${escapeText(String(f.name))}*\n${STATUS_LABEL[String(f.tstatus)]}${f.delay ? ` · waiting ${f.delay}` : ''}`,
    ),
  ];
  for (const m of (form.messages ?? []).slice(-12)) {
    blocks.push(
      section(
        messageText({ author: m.author, body: m.body, fromStaff: m.type === 'outcoming', internal: false }),
      ),
      context(slackDate(m.datePost)),
    );
  }
  if (f.tstatus !== '10')
    blocks.push(
      actions(`client:${id}:reply`, [
        button('Reply', ACTION.clientReply, ticketValue(id), { style: 'primary' }),
      ]),
    );
  return blocks;
}

/** "Log in as client": the client's own list, read-only, opened by a staff member (audited). */
export function clientViewModal(client: string, list: ListResult): ModalView {
  return modal(VIEW.clientView, 'Client view', [
    context(`What ${escapeText(client)} sees in /support`),
    ...clientListBlocks(list, { paidSupport: false, readOnly: true }),
  ]);
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

export function clientReplyModal(ticketId: number): ModalView {
  return modal(
    VIEW.clientReply,
    `Reply to #${ticketId}`,
    [textInput('message', 'Message (Markdown)', { multiline: true, max: 3000 })],
    {
      submit: 'Send',
      meta: encodeMeta({ ticketId }),
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

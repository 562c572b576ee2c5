import type { KnownBlock } from '@slack/types';
import { formatRemaining } from '../../domain/sla.ts';
import { countsDown } from '../../domain/tickets.ts';
import { queueTicketState } from '../../functions/queue-rows.ts';
import type { FormMessage, Row } from '../../functions/types.ts';
import { ACTION, ticketValue } from '../ids.ts';
import { actions, button, confirm, context, fields, lockText, section, slackDate } from './blocks.ts';
import { counted, PRIORITY_LABEL, STATUS_LABEL } from './labels.ts';
import { escapeText, markdownToMrkdwn } from './mrkdwn.ts';
import { keepOffered, STAFF_TICKET_ACTIONS, staffOffers } from './offers.ts';

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/**
 * The one-line summary of a ticket, also the notification text of its card: subject and client
 * name are the client's words, escaped so they cannot mention or broadcast.
 */
export function cardText(row: Row): string {
  return `#${row.id} ${escapeText(str(row.name))} (${escapeText(str(row.client))}, ${STATUS_LABEL[str(row.tstatus)] ?? row.tstatus})`;
}

/** A ticket's card: its state at a glance (as of `now`) and a button for every staff function on it. */
export function cardBlocks(row: Row, now: Date, opts: { stale?: boolean } = {}): KnownBlock[] {
  const id = Number(row.id);
  const value = ticketValue(id);
  const status = str(row.tstatus);
  const state = queueTicketState(row);
  const priority = `${PRIORITY_LABEL[str(row.priority)]} (client: ${PRIORITY_LABEL[str(row.client_priority)]})${row.highpriority ? ' ⚡ raised' : ''}`;
  const props = [
    row.premium ? 'premium client' : '',
    row.abuse ? 'abuse registered' : '',
    row.note ? 'has internal notes' : '',
    opts.stale ? 'card may be out of date' : '',
  ].filter(Boolean);
  const blocks: KnownBlock[] = [
    section(`*#${id} · ${escapeText(str(row.name))}*`),
    fields([
      ['Client', escapeText(str(row.client))],
      ['Department', escapeText(str(row.department))],
      ['Status', STATUS_LABEL[status] ?? status],
      ['Priority', priority],
      ['Responsible', escapeText(str(row.responsible))],
      [
        'Deadline',
        state.deadline
          ? `${slackDate(state.deadline)}${countsDown(state) ? ` · ${formatRemaining(state.deadline, now)}` : ''}`
          : '',
      ],
      ['Waiting', str(row.delay)],
      ['Lock', lockText(row)],
    ]),
  ];
  if (props.length > 0) blocks.push(context(props.join(' · ')));
  blocks.push(
    actions(`card:${id}:1`, [
      button('Reply', ACTION.reply, value, { style: 'primary' }),
      button('Priority', ACTION.priority, value),
      button('Assign', ACTION.assign, value),
      button('Deadline', ACTION.deadline, value),
      button('Favorite', ACTION.favorite, value),
      button('Messages', ACTION.messages, value),
    ]),
    actions(`card:${id}:2`, [
      button('Charge', ACTION.charge, value),
      button('Abuse', ACTION.abuse, value),
      button('Log in as client', ACTION.su, value),
      button('Unblock', ACTION.unblock, value, {
        confirm: confirm('Unblock', `Release the lock on #${id}?`, 'Unblock'),
      }),
      button('Close', ACTION.close, value, {
        style: 'danger',
        confirm: confirm(
          'Close ticket',
          `Close #${id}? The client can still write to reopen it.`,
          'Close',
          true,
        ),
      }),
    ]),
  );
  // A shared card is read by every staff member of the channel: only what works for whoever reads it.
  return keepOffered(blocks, staffOffers(row), STAFF_TICKET_ACTIONS);
}

/**
 * A message as the thread mirror and the opened ticket show it; internal notes are unmistakable.
 * `writtenAt` is given when the copy is posted well after the message was written (a moved card, a
 * split, a thread catching up): Slack's own time on the copy would then mislead.
 */
export function messageText(
  m: {
    author: string;
    body: string;
    fromStaff: boolean;
    internal: boolean;
    hidden?: boolean;
  },
  writtenAt?: Date,
): string {
  const who = m.internal
    ? `:lock: *Internal note* by ${escapeText(m.author)} (staff only)`
    : m.fromStaff
      ? `*${escapeText(m.author)}* (staff) replied to the client`
      : `*${escapeText(m.author)}* (client) wrote`;
  const when = writtenAt ? ` · ${slackDate(writtenAt)}` : '';
  return `${who}${when}${m.hidden ? ' · _hidden from the client_' : ''}\n${markdownToMrkdwn(m.body)}`;
}

/** Where a ticket's card went: its department, and that department's channel if it has one. */
export interface MovedTo {
  department: string;
  channel: string | null;
}

function movedLine(to: MovedTo): string {
  const where = to.channel ? `<#${to.channel}>` : 'no Slack channel';
  return `Moved to ${escapeText(to.department)} (${where}): the card and its thread continue there.`;
}

/** The card a ticket left behind when it moved: what it was and where it went, with no buttons. */
export function movedCardText(row: Row, to: MovedTo): string {
  return `#${row.id} ${escapeText(str(row.name))}: ${movedLine(to)}`;
}

export function movedCardBlocks(row: Row, to: MovedTo): KnownBlock[] {
  return [section(`*#${row.id} · ${escapeText(str(row.name))}*`), context(`:arrow_right: ${movedLine(to)}`)];
}

/** A thread copy whose message moved to another ticket by a split: kept, and pointing there. */
export function movedMessageText(copy: string, ticketId: number): string {
  return `${copy}\n:arrow_right_hook: _Moved to ticket #${ticketId} (split)_`;
}

/** `/ticket 123`: the card followed by the newest messages. */
export function openedTicketBlocks(row: Row, messages: FormMessage[], now: Date, limit = 10): KnownBlock[] {
  const shown = messages.slice(-limit);
  const blocks = cardBlocks(row, now);
  if (messages.length > shown.length)
    blocks.push(context(`${counted(messages.length - shown.length, 'earlier message')}: use Messages`));
  for (const m of shown) {
    blocks.push(
      { type: 'divider' },
      section(
        messageText({
          author: m.author,
          body: m.body,
          fromStaff: m.type === 'outcoming',
          internal: m.internal,
          hidden: m.hidden,
        }),
      ),
      context(slackDate(m.datePost)),
    );
  }
  return blocks;
}

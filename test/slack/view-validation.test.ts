import { describe, expect, it } from 'vitest';
import type { Digest, DigestTicket } from '../../src/domain/digest.ts';
import { flatSettings } from '../../src/functions/department-settings.ts';
import type { FormMessage, FormResult, ListResult, Row } from '../../src/functions/types.ts';
import { type Surface, validateBlocks, validateView } from '../../src/sandbox/block-kit.ts';
import { pageMessage, pageTakenMessage } from '../../src/slack/views/alerts.ts';
import { cardBlocks, openedTicketBlocks } from '../../src/slack/views/card.ts';
import {
  buyModal,
  clientListBlocks,
  clientNewModal,
  clientReplyModal,
  clientTicketBlocks,
  clientViewModal,
} from '../../src/slack/views/client.ts';
import { digestMessage } from '../../src/slack/views/digest.ts';
import { filterModal, newTicketModal } from '../../src/slack/views/forms.ts';
import { otherHome, staffHome } from '../../src/slack/views/home.ts';
import { messageEditModal, messagesModal } from '../../src/slack/views/messages-modal.ts';
import { oncallMessage } from '../../src/slack/views/oncall.ts';
import { queueBlocks } from '../../src/slack/views/queue.ts';
import { settingsModal } from '../../src/slack/views/settings.ts';
import {
  abuseModal,
  assignModal,
  chargeModal,
  deadlineModal,
  loadingModal,
  priorityModal,
  refusalModal,
  replyModal,
} from '../../src/slack/views/ticket-modals.ts';

/**
 * Every message, modal and App Home view the bot sends, rendered with realistic and with maximal
 * data (names, subjects and bodies far past Slack's limits, characters that grow when escaped,
 * hundreds of rows) and checked as Slack's Web API checks Block Kit. SLA warnings are plain text.
 */

const NOW = new Date('2026-03-02T12:45:00Z');
type Data = { label: string; text: (n: number) => string; rows: number; id: number };
const realistic: Data = { label: 'realistic', text: () => 'Server <down> & mail', rows: 3, id: 12 };
// `&` and `<` become 4–5 characters when escaped: a text under a limit grows past it.
const maximal: Data = {
  label: 'maximal',
  text: (n) => '&<'.repeat(n).slice(0, n),
  rows: 300,
  id: 2_000_000_000,
};

function row(d: Data, i: number): Row {
  return {
    id: d.id - i,
    name: d.text(5000),
    client: d.text(3000),
    client_id: 7,
    department: d.text(3000),
    department_id: 1,
    tstatus: ['0', '1', '2', '3'][i % 4],
    priority: '2',
    client_priority: '1',
    highpriority: true,
    unread: true,
    favorite: true,
    abuse: true,
    premium: true,
    note: true,
    responsible: d.text(3000),
    responsible_id: 2,
    locked_by_id: 2,
    deadline: new Date(NOW.getTime() - 3_600_000),
    delay: '10d+01:30',
    wait_time: '10d+01:30',
    blocked_by: d.text(3000),
    message: d.text(20_000),
    message_user: d.text(3000),
    type: i % 2 ? 'outcoming' : 'incoming',
    date_post: NOW,
    hidden: i % 3 === 0,
    edited: true,
  };
}
const rows = (d: Data) => Array.from({ length: d.rows }, (_, i) => row(d, i));
const list = (d: Data, num = 2): ListResult => ({
  kind: 'list',
  rows: rows(d).slice(0, 10),
  page: { num, cnt: 10, elems: d.rows * 10, sort: 'queue', order: 'desc' },
});
const messages = (d: Data): FormMessage[] =>
  rows(d).map((_, i) => ({
    id: i + 1,
    type: i % 2 ? 'outcoming' : 'incoming',
    author: d.text(3000),
    body: d.text(20_000),
    datePost: NOW,
    internal: false,
    hidden: false,
    edited: false,
    attachments: [],
  }));
const choices = (d: Data) =>
  Array.from({ length: d.rows }, (_, i) => ({ key: String(i + 1), label: d.text(500) }));
const people = (d: Data) => Array.from({ length: d.rows }, (_, i) => ({ id: i + 1, name: d.text(500) }));
const form = (d: Data): FormResult => ({
  kind: 'form',
  fields: { ...row(d, 0), price: '10.00', balance: '1000000000.00', incident_count: 999_999 },
  messages: messages(d),
  options: { client_department: choices(d), ticket_item: choices(d) },
});
function digestTicket(d: Data, i: number): DigestTicket {
  return {
    id: d.id - i,
    name: d.text(5000),
    status: 1,
    priority: 2,
    highPriority: true,
    waitingSince: new Date(NOW.getTime() - 86_400_000),
    deadline: new Date(NOW.getTime() - 3_600_000),
    premium: true,
    client: d.text(3000),
    responsible: d.text(3000),
  } as DigestTicket;
}
function digest(d: Data): Digest {
  const five = Array.from({ length: 5 }, (_, i) => digestTicket(d, i));
  return {
    localDate: '2026-03-02',
    total: d.rows * 1000,
    byStatus: { new: d.rows, review: d.rows, awaiting: d.rows },
    counts: { overdue: d.rows * 100, dueToday: d.rows * 100 },
    overdue: five,
    dueToday: five,
    longestWaiting: five,
    top: five,
    load: Array.from({ length: d.rows }, (_, i) => ({ responsible: d.text(300), count: i })),
  };
}

const messageViews = (d: Data): [string, { blocks: unknown }][] => [
  ['card', { blocks: cardBlocks(row(d, 0), NOW, { stale: true }) }],
  ['closed card', { blocks: cardBlocks(row(d, 3), NOW) }],
  ['opened ticket', { blocks: openedTicketBlocks(row(d, 0), messages(d), NOW) }],
  ['queue, first page', { blocks: queueBlocks(list(d, 1), [d.text(3000)], false) }],
  ['queue, middle page', { blocks: queueBlocks(list(d, 2), [d.text(3000), d.text(3000)], true) }],
  ['queue, last page', { blocks: queueBlocks(list(d, d.rows), [], false) }],
  ['client list', { blocks: clientListBlocks(list(d), { paidSupport: true }) }],
  [
    'client list, all closed',
    { blocks: clientListBlocks({ ...list(d), rows: rows(d) }, { paidSupport: true }) },
  ],
  ['client ticket', { blocks: clientTicketBlocks(form(d)) }],
  ['page', pageMessage({ id: d.id, name: d.text(5000) }, d.id, 9, '<!subteam^S1>', 100_000)],
  ['page taken', pageTakenMessage({ id: d.id, name: d.text(5000) }, d.text(3000))],
  ['digest', digestMessage(d.text(3000), digest(d), 'Europe/Berlin', NOW)],
  ['on call', oncallMessage(d.text(3000), null, { current: null, next: null }, 'UTC')],
];
const modalViews = (d: Data): [string, unknown][] => {
  const m = { ticketId: d.id, channel: 'C0123456789' };
  return [
    ['loading', loadingModal(d.text(500))],
    ['refusal', refusalModal(d.text(500), d.text(5000))],
    ['reply', replyModal(d.id, m)],
    ['priority', priorityModal(row(d, 0), m)],
    ['abuse', abuseModal(row(d, 0), m)],
    ['deadline', deadlineModal(row(d, 0), m, 'Europe/Berlin')],
    ['assign', assignModal(row(d, 0), choices(d), people(d), m)],
    ['charge', chargeModal(row(d, 0), m)],
    ['new ticket', newTicketModal(form(d))],
    ['filter', filterModal(form(d), choices(d), people(d))],
    ['messages', messagesModal(d.id, rows(d), d.text(500))],
    ['message edit', messageEditModal(d.id, d.id, d.text(20_000))],
    ['client view', clientViewModal(d.text(3000), list(d))],
    ['client new', clientNewModal(form(d))],
    ['client reply', clientReplyModal(d.id)],
    ['buy', buyModal(form(d))],
    ['settings', settingsModal(d.id, d.text(3000), flatSettings(settingsDepartment(d)))],
    ['staff home', staffHome(d.text(3000), 2, rows(d), NOW)],
    ['other home', otherHome(d.text(5000))],
  ];
};

function settingsDepartment(d: Data) {
  return {
    id: 1,
    name: d.text(3000),
    regulation: { '0': 60, '1': 240, '2': 1440 },
    calendar: {
      timezone: 'Europe/Berlin',
      days: [1, 2, 3, 4, 5],
      start: '09:00',
      end: '18:00',
      // 250 dates fill Slack's 3000-character input; the settings' own limit must keep them below.
      holidays: Array.from({ length: Math.min(d.rows, 250) }, () => '2026-12-25'),
    },
    warningStages: [60, 15, 0],
    oncall: null,
    digestTime: '09:00',
  } as never;
}

describe('every view the bot sends is valid Block Kit', () => {
  for (const d of [realistic, maximal]) {
    for (const [name, message] of messageViews(d)) {
      it(`${name} (${d.label} data)`, () => {
        expect(validateBlocks(message.blocks, 'message' satisfies Surface)).toEqual([]);
      });
    }
    for (const [name, view] of modalViews(d)) {
      it(`${name} view (${d.label} data)`, () => {
        expect(validateView(view)).toEqual([]);
      });
    }
  }
});

describe('validateBlocks refuses what Slack refuses', () => {
  const button = (id: string, text = 'Go') => ({
    type: 'button',
    action_id: id,
    text: { type: 'plain_text', text },
  });
  const cases: [string, unknown[], string][] = [
    [
      'duplicate action_id',
      [{ type: 'actions', elements: [button('a'), button('a')] }],
      'duplicate action_id',
    ],
    [
      'duplicate block_id',
      [
        { type: 'divider', block_id: 'x' },
        { type: 'divider', block_id: 'x' },
      ],
      'duplicate block_id',
    ],
    ['long block_id', [{ type: 'divider', block_id: 'x'.repeat(256) }], 'less than 256'],
    ['long button text', [{ type: 'actions', elements: [button('a', 'x'.repeat(76))] }], 'less than 76'],
    [
      'long section text',
      [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }],
      'less than 3001',
    ],
    ['empty text', [{ type: 'section', text: { type: 'mrkdwn', text: '' } }], 'more than 0'],
    ['mrkdwn header', [{ type: 'header', text: { type: 'mrkdwn', text: 'x' } }], 'plain_text'],
    [
      'eleven fields',
      [{ type: 'section', fields: Array(11).fill({ type: 'mrkdwn', text: 'x' }) }],
      'no more than 10',
    ],
    ['input in actions', [{ type: 'actions', elements: [{ type: 'plain_text_input' }] }], 'not allowed'],
    [
      '26 actions',
      [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(`a${i}`)) }],
      'no more than 25',
    ],
    [
      'one overflow option',
      [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: 'x' },
          accessory: { type: 'overflow', options: [{ text: { type: 'plain_text', text: 'a' }, value: 'a' }] },
        },
      ],
      'at least 2',
    ],
    ['51 blocks', Array(51).fill({ type: 'divider' }), 'no more than 50'],
  ];
  for (const [name, blocks, message] of cases) {
    it(name, () => {
      expect(validateBlocks(blocks, 'message').join('\n')).toContain(message);
    });
  }

  it('a modal title past 24 characters, an input without submit, an initial option not offered', () => {
    const errors = validateView({
      type: 'modal',
      title: { type: 'plain_text', text: 'x'.repeat(25) },
      blocks: [
        {
          type: 'input',
          label: { type: 'plain_text', text: 'L' },
          element: {
            type: 'static_select',
            options: [{ text: { type: 'plain_text', text: 'a' }, value: 'a' }],
            initial_option: { text: { type: 'plain_text', text: 'b' }, value: 'b' },
          },
        },
      ],
    }).join('\n');
    expect(errors).toContain('less than 25');
    expect(errors).toContain('must provide submit');
    expect(errors).toContain('must match one of the provided options');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Row } from '../../src/functions/types.ts';
import { ACTION } from '../../src/slack/ids.ts';
import { routes } from '../../src/slack/listeners.ts';
import { cardBlocks, messageText } from '../../src/slack/views/card.ts';
import { messagesModal } from '../../src/slack/views/messages-modal.ts';
import { escapeText, markdownToMrkdwn } from '../../src/slack/views/mrkdwn.ts';
import {
  abuseModal,
  chargeModal,
  deadlineModal,
  priorityModal,
  replyModal,
} from '../../src/slack/views/ticket-modals.ts';

/** 12:45 UTC: the row's deadline (14:00) is 1 h 15 min away. */
const NOW = new Date('2026-03-02T12:45:00Z');

const row: Row = {
  id: 12,
  name: 'Server <down>',
  client: 'ACME & Co',
  department: 'Support',
  department_id: 1,
  tstatus: '1',
  priority: '2',
  client_priority: '1',
  highpriority: true,
  responsible: 'Adam Admin',
  responsible_id: 2,
  deadline: new Date('2026-03-02T14:00:00Z'),
  delay: '0d+01:30',
  blocked_by: 'Adam Admin, 2026-03-02 10:30:00',
  premium: true,
  abuse: false,
  note: true,
};

const ids = (blocks: unknown) =>
  [...JSON.stringify(blocks).matchAll(/"action_id":"([^"]+)"/g)].map((m) => m[1]);

describe('views', () => {
  it('the card: state at a glance, a button for every staff function, text escaped', () => {
    const blocks = cardBlocks(row, NOW);
    expect(blocks.slice(0, 3)).toMatchInlineSnapshot(`
      [
        {
          "text": {
            "text": "*#12 · Server &lt;down&gt;*",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "fields": [
            {
              "text": "*Client*
      ACME &amp; Co",
              "type": "mrkdwn",
            },
            {
              "text": "*Department*
      Support",
              "type": "mrkdwn",
            },
            {
              "text": "*Status*
      Under review",
              "type": "mrkdwn",
            },
            {
              "text": "*Priority*
      High (client: Medium) ⚡ raised",
              "type": "mrkdwn",
            },
            {
              "text": "*Responsible*
      Adam Admin",
              "type": "mrkdwn",
            },
            {
              "text": "*Deadline*
      <!date^1772460000^{date_short_pretty} {time}|2026-03-02 14:00 UTC> · 1 h 15 min left",
              "type": "mrkdwn",
            },
            {
              "text": "*Waiting*
      0d+01:30",
              "type": "mrkdwn",
            },
            {
              "text": "*Lock*
      locked by Adam Admin",
              "type": "mrkdwn",
            },
          ],
          "type": "section",
        },
        {
          "elements": [
            {
              "text": "premium client · has internal notes",
              "type": "mrkdwn",
            },
          ],
          "type": "context",
        },
      ]
    `);
    expect(ids(blocks)).toEqual([
      ACTION.reply,
      ACTION.priority,
      ACTION.assign,
      ACTION.deadline,
      ACTION.favorite,
      ACTION.messages,
      ACTION.charge,
      ACTION.abuse,
      ACTION.su,
      ACTION.unblock,
      ACTION.close,
    ]);
    expect(ids(cardBlocks({ ...row, tstatus: '3', blocked_by: undefined }, NOW))).not.toContain(ACTION.close);
    expect(ids(cardBlocks({ ...row, blocked_by: undefined }, NOW))).not.toContain(ACTION.unblock);
    // ticket.edit refuses a reply to an archived ticket: its card offers none.
    const archived = ids(cardBlocks({ ...row, tstatus: '10', blocked_by: undefined }, NOW));
    expect(archived).not.toContain(ACTION.reply);
    expect(archived).toContain(ACTION.messages);
  });

  it('the card counts down to the deadline while the client waits, and says when it is overdue', () => {
    const deadline = (r: Row, now = NOW) =>
      JSON.stringify(cardBlocks(r, now)[1]).match(/Deadline\*\\n([^"]*)/)?.[1];
    expect(deadline(row)).toMatch(/ · 1 h 15 min left$/);
    expect(deadline(row, new Date('2026-03-02T14:00:30Z'))).toMatch(/ · overdue by 1 min$/);
    // Answered (nobody waits) or closed: the deadline is shown, no countdown.
    expect(deadline({ ...row, delay: '' })).toMatch(/UTC>$/);
    expect(deadline({ ...row, tstatus: '3' })).toMatch(/UTC>$/);
  });

  it('internal notes are unmistakable', () => {
    expect(
      messageText({ author: 'Adam', body: 'ok', fromStaff: true, internal: true }),
    ).toMatchInlineSnapshot(`
      ":lock: *Internal note* by Adam (staff only)
      ok"
    `);
  });

  it('modals: inputs named after the parameters they fill; every submit routed', () => {
    const submitted = Object.keys(routes({} as never).views);
    const modals = [
      replyModal(12, { channel: 'C1' }),
      priorityModal(row, {}),
      abuseModal(row, {}),
      deadlineModal(row, {}, 'Europe/Berlin'),
      chargeModal(row, {}),
    ];
    for (const m of modals) expect(submitted).toContain(m.callback_id);
    const blockIds = modals.map((m) => m.blocks.filter((b) => b.type === 'input').map((b) => b.block_id));
    expect(blockIds).toEqual([
      ['message', 'reply_to', 'close_after'],
      ['priority', 'client_priority', 'high_priority'],
      ['score', 'score_note', 'action'],
      ['deadline_date', 'deadline_time'],
      ['ticket_expense'],
    ]);
    // The deadline pickers show 14:00 UTC in Berlin.
    expect(JSON.stringify(modals[3])).toContain('"initial_date":"2026-03-02"');
    expect(JSON.stringify(modals[3])).toContain('"initial_time":"15:00"');
  });
});

describe('client text in Slack', () => {
  it('renders Markdown with slackify-markdown', () => {
    expect(markdownToMrkdwn('**bold** and [site](https://example.com)')).toContain(
      '<https://example.com|site>',
    );
    expect(markdownToMrkdwn('# Title')).toBe('*Title*');
  });

  it('never lets anybody mention @channel, @here, users, groups or channels', () => {
    const attacks = [
      '<!channel>',
      '<!here>',
      '<@U123>',
      '<!subteam^S1>',
      '<#C1>',
      '[x](!here)',
      '[<!here>](https://e.com)',
      '@channel',
      '@here',
    ];
    for (const a of attacks) {
      const out = markdownToMrkdwn(`hi ${a} there`);
      expect(out).not.toMatch(/<[!@#]/);
      expect(out).not.toMatch(/@(channel|here)\b/);
    }
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(
            '<',
            '>',
            '!',
            '@',
            '#',
            '|',
            '[',
            ']',
            '(',
            ')',
            'h',
            'e',
            'r',
            ' ',
            '&',
            '*',
            'channel',
            'here',
            'https://x.io',
          ),
        }),
        (s) => {
          const out = markdownToMrkdwn(s);
          expect(out).not.toMatch(/<[!@#]/);
          expect(escapeText(s)).not.toMatch(/[<>]/);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('buttons only where they work', () => {
  it('no Split from the first message, no Hide on internal notes or hidden messages', () => {
    const m = (id: number, extra: Row = {}) => ({
      id,
      message: 'x',
      message_user: 'A',
      type: 'incoming',
      ...extra,
    });
    const view = messagesModal(12, [m(1), m(2, { note: true }), m(3, { hidden: true }), m(4)]);
    const buttons = (messageId: number) =>
      view.blocks
        .filter((b) => b.type === 'actions' && b.block_id === `message:${messageId}`)
        .flatMap((b) => (b as { elements: { action_id: string }[] }).elements.map((e) => e.action_id));
    expect(buttons(1)).toEqual([ACTION.messageEdit, ACTION.messageHide]);
    expect(buttons(2)).toEqual([ACTION.messageEdit, ACTION.messageSplit]);
    expect(buttons(3)).toEqual([ACTION.messageEdit, ACTION.messageSplit]);
    expect(buttons(4)).toEqual([ACTION.messageEdit, ACTION.messageHide, ACTION.messageSplit]);
  });
});

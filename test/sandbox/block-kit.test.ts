import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebApi, type WebApi } from '../../src/sandbox/web-api-server.ts';
import { refused } from '../helpers/slack-fake.ts';

/**
 * Every Block Kit rule the tests' Slack enforces, one by one, at its boundary: the payload at Slack's
 * limit is accepted, one step past it is refused (invalid_blocks for messages, invalid_arguments
 * for views), through the Web API the bot calls.
 */
let web: WebApi;
let client: WebClient;
beforeAll(async () => {
  web = await startWebApi({ token: 'xoxb-t' });
  web.addUser({ id: 'UIN', name: 'In' });
  web.addChannel('CIN', { members: ['UBOT', 'UIN'] });
  client = new WebClient('xoxb-t', { slackApiUrl: web.apiUrl, retryConfig: { retries: 0 } });
});
afterAll(() => web.close());

type Json = Record<string, unknown>;
const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const x = (n: number) => 'x'.repeat(n);
const button = (action_id: string, extra: Json = {}) => ({
  type: 'button',
  action_id,
  text: plain('Go'),
  ...extra,
});
const option = (value: string, text = value) => ({ text: plain(text), value });
const options = (n: number) => Array.from({ length: n }, (_, i) => option(`v${i}`));
const section = (extra: Json) => ({ type: 'section', text: mrkdwn('s'), ...extra });
const actions = (...elements: Json[]) => ({ type: 'actions', elements });
const input = (element: Json, extra: Json = {}) => ({ type: 'input', label: plain('L'), element, ...extra });
const modal = (extra: Json) => ({
  type: 'modal',
  title: plain('T'),
  submit: plain('OK'),
  blocks: [],
  ...extra,
});

/** [rule, accepted at the limit, refused past it]; blocks of a message, or a whole view. */
const MESSAGE_RULES: [string, Json[], Json[]][] = [
  ['50 blocks in a message', Array(50).fill({ type: 'divider' }), Array(51).fill({ type: 'divider' })],
  [
    'block_id unique in the message',
    [
      { type: 'divider', block_id: 'a' },
      { type: 'divider', block_id: 'b' },
    ],
    [
      { type: 'divider', block_id: 'a' },
      { type: 'divider', block_id: 'a' },
    ],
  ],
  [
    'action_id unique in its block (the queue paging buttons)',
    [actions(button('page', { value: '1' })), actions(button('page', { value: '3' }))],
    [actions(button('page', { value: '1' }), button('page', { value: '3' }))],
  ],
  ['block_id ≤ 255', [{ type: 'divider', block_id: x(255) }], [{ type: 'divider', block_id: x(256) }]],
  ['action_id ≤ 255', [actions(button(x(255)))], [actions(button(x(256)))]],
  ['section text ≤ 3000', [section({ text: mrkdwn(x(3000)) })], [section({ text: mrkdwn(x(3001)) })]],
  ['section text not empty', [section({ text: mrkdwn('x') })], [section({ text: mrkdwn('') })]],
  ['section text or fields', [{ type: 'section', fields: [mrkdwn('f')] }], [{ type: 'section' }]],
  [
    'section fields ≤ 10',
    [{ type: 'section', fields: Array(10).fill(mrkdwn('f')) }],
    [{ type: 'section', fields: Array(11).fill(mrkdwn('f')) }],
  ],
  [
    'a field ≤ 2000',
    [{ type: 'section', fields: [mrkdwn(x(2000))] }],
    [{ type: 'section', fields: [mrkdwn(x(2001))] }],
  ],
  ['header ≤ 150', [{ type: 'header', text: plain(x(150)) }], [{ type: 'header', text: plain(x(151)) }]],
  ['header plain_text only', [{ type: 'header', text: plain('h') }], [{ type: 'header', text: mrkdwn('h') }]],
  [
    'context elements ≤ 10',
    [{ type: 'context', elements: Array(10).fill(mrkdwn('c')) }],
    [{ type: 'context', elements: Array(11).fill(mrkdwn('c')) }],
  ],
  [
    'actions elements ≤ 25',
    [actions(...Array.from({ length: 25 }, (_, i) => button(`a${i}`)))],
    [actions(...Array.from({ length: 26 }, (_, i) => button(`a${i}`)))],
  ],
  [
    'button text ≤ 75',
    [actions(button('b', { text: plain(x(75)) }))],
    [actions(button('b', { text: plain(x(76)) }))],
  ],
  ['button text plain_text', [actions(button('b'))], [actions(button('b', { text: mrkdwn('Go') }))]],
  [
    'button value ≤ 2000',
    [actions(button('b', { value: x(2000) }))],
    [actions(button('b', { value: x(2001) }))],
  ],
  [
    'button url ≤ 3000',
    [actions(button('b', { url: `https://e.x/${x(2988)}` }))],
    [actions(button('b', { url: `https://e.x/${x(2989)}` }))],
  ],
  [
    'button style primary or danger',
    [actions(button('b', { style: 'danger' }))],
    [actions(button('b', { style: 'red' }))],
  ],
  [
    'overflow: 2 to 5 options',
    [section({ accessory: { type: 'overflow', action_id: 'o', options: options(5) } })],
    [section({ accessory: { type: 'overflow', action_id: 'o', options: options(6) } })],
  ],
  [
    'overflow: at least 2 options',
    [section({ accessory: { type: 'overflow', action_id: 'o', options: options(2) } })],
    [section({ accessory: { type: 'overflow', action_id: 'o', options: options(1) } })],
  ],
  [
    'static_select options ≤ 100',
    [actions({ type: 'static_select', action_id: 's', options: options(100) })],
    [actions({ type: 'static_select', action_id: 's', options: options(101) })],
  ],
  [
    'option text ≤ 75',
    [actions({ type: 'static_select', action_id: 's', options: [option('v', x(75))] })],
    [actions({ type: 'static_select', action_id: 's', options: [option('v', x(76))] })],
  ],
  [
    'option value ≤ 150',
    [actions({ type: 'static_select', action_id: 's', options: [option(x(150), 't')] })],
    [actions({ type: 'static_select', action_id: 's', options: [option(x(151), 't')] })],
  ],
  [
    'option values unique',
    [actions({ type: 'static_select', action_id: 's', options: [option('a'), option('b')] })],
    [actions({ type: 'static_select', action_id: 's', options: [option('a'), option('a')] })],
  ],
  [
    'initial_option among the options',
    [actions({ type: 'static_select', action_id: 's', options: options(2), initial_option: option('v1') })],
    [actions({ type: 'static_select', action_id: 's', options: options(2), initial_option: option('v9') })],
  ],
  [
    'checkboxes ≤ 10 options',
    [actions({ type: 'checkboxes', action_id: 'c', options: options(10) })],
    [actions({ type: 'checkboxes', action_id: 'c', options: options(11) })],
  ],
  [
    'placeholder ≤ 150',
    [actions({ type: 'static_select', action_id: 's', options: options(1), placeholder: plain(x(150)) })],
    [actions({ type: 'static_select', action_id: 's', options: options(1), placeholder: plain(x(151)) })],
  ],
  [
    'confirm title ≤ 100',
    [
      actions(
        button('b', {
          confirm: { title: plain(x(100)), text: plain('t'), confirm: plain('y'), deny: plain('n') },
        }),
      ),
    ],
    [
      actions(
        button('b', {
          confirm: { title: plain(x(101)), text: plain('t'), confirm: plain('y'), deny: plain('n') },
        }),
      ),
    ],
  ],
  [
    'datepicker initial_date YYYY-MM-DD',
    [actions({ type: 'datepicker', action_id: 'd', initial_date: '2026-03-02' })],
    [actions({ type: 'datepicker', action_id: 'd', initial_date: '2.3.2026' })],
  ],
  [
    'timepicker initial_time HH:mm',
    [actions({ type: 'timepicker', action_id: 't', initial_time: '09:30' })],
    [actions({ type: 'timepicker', action_id: 't', initial_time: '9:30:00' })],
  ],
  [
    'emoji only on plain_text',
    [section({ text: { ...plain('s'), emoji: true } })],
    [section({ text: { ...mrkdwn('s'), emoji: true } })],
  ],
  [
    'verbatim only on mrkdwn',
    [section({ text: { ...mrkdwn('s'), verbatim: true } })],
    [section({ text: { ...plain('s'), verbatim: true } })],
  ],
  [
    'inputs go in input blocks',
    [input({ type: 'plain_text_input', action_id: 'i' })],
    [actions({ type: 'plain_text_input', action_id: 'i' })],
  ],
  [
    'plain_text_input max_length ≤ 3000',
    [input({ type: 'plain_text_input', action_id: 'i', max_length: 3000 })],
    [input({ type: 'plain_text_input', action_id: 'i', max_length: 3001 })],
  ],
  [
    'plain_text_input min_length ≤ max_length',
    [input({ type: 'plain_text_input', action_id: 'i', min_length: 10, max_length: 10 })],
    [input({ type: 'plain_text_input', action_id: 'i', min_length: 11, max_length: 10 })],
  ],
  [
    'a multi-select picks at least 1',
    [input({ type: 'multi_static_select', action_id: 'm', options: options(2), max_selected_items: 1 })],
    [input({ type: 'multi_static_select', action_id: 'm', options: options(2), max_selected_items: 0 })],
  ],
  ['known block types only', [{ type: 'divider' }], [{ type: 'banner' }]],
  [
    'image alt_text ≤ 2000',
    [{ type: 'image', image_url: 'https://e.x/i.png', alt_text: x(2000) }],
    [{ type: 'image', image_url: 'https://e.x/i.png', alt_text: x(2001) }],
  ],
];

const VIEW_RULES: [string, Json, Json][] = [
  ['modal title ≤ 24', modal({ title: plain(x(24)) }), modal({ title: plain(x(25)) })],
  ['modal title required', modal({}), { type: 'modal', blocks: [] }],
  ['submit ≤ 24', modal({ submit: plain(x(24)) }), modal({ submit: plain(x(25)) })],
  ['close ≤ 24', modal({ close: plain(x(24)) }), modal({ close: plain(x(25)) })],
  ['private_metadata ≤ 3000', modal({ private_metadata: x(3000) }), modal({ private_metadata: x(3001) })],
  ['callback_id ≤ 255', modal({ callback_id: x(255) }), modal({ callback_id: x(256) })],
  [
    '100 blocks in a modal',
    modal({ blocks: Array(100).fill({ type: 'divider' }) }),
    modal({ blocks: Array(101).fill({ type: 'divider' }) }),
  ],
  [
    'input blocks need a submit button',
    modal({ blocks: [input({ type: 'plain_text_input', action_id: 'i' })] }),
    { type: 'modal', title: plain('T'), blocks: [input({ type: 'plain_text_input', action_id: 'i' })] },
  ],
  [
    'input label ≤ 2000',
    modal({ blocks: [input({ type: 'plain_text_input', action_id: 'i' }, { label: plain(x(2000)) })] }),
    modal({ blocks: [input({ type: 'plain_text_input', action_id: 'i' }, { label: plain(x(2001)) })] }),
  ],
  [
    'a file input dispatches no actions',
    modal({ blocks: [input({ type: 'file_input', action_id: 'f' })] }),
    modal({ blocks: [input({ type: 'file_input', action_id: 'f' }, { dispatch_action: true })] }),
  ],
  ['views.open takes modals only', modal({}), { type: 'home', blocks: [] }],
];

describe('Block Kit in messages: accepted at the limit, invalid_blocks past it', () => {
  for (const [rule, good, bad] of MESSAGE_RULES) {
    it(rule, async () => {
      expect(
        await refused(client.chat.postMessage({ channel: 'CIN', text: 't', blocks: good as never })),
      ).toBe('ok');
      expect(
        await refused(client.chat.postMessage({ channel: 'CIN', text: 't', blocks: bad as never })),
      ).toBe('invalid_blocks');
    });
  }

  it('chat.update and response_urls are held to the same rules; the message stays as it was', async () => {
    const [, , bad] = MESSAGE_RULES[0] ?? [];
    const ts = String((await client.chat.postMessage({ channel: 'CIN', text: 'before' })).ts);
    expect(
      await refused(client.chat.update({ channel: 'CIN', ts, text: 'after', blocks: bad as never })),
    ).toBe('invalid_blocks');
    const answer = await fetch(
      web.responseUrl({ channel: 'CIN', user: 'UIN', message: { ts, ephemeral: false } }),
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ replace_original: true, text: 'after', blocks: bad }),
      },
    );
    expect(await answer.json()).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(web.workspace.find('CIN', ts)?.text).toBe('before');
  });
});

describe('Block Kit in views: accepted at the limit, invalid_arguments past it', () => {
  for (const [rule, good, bad] of VIEW_RULES) {
    it(rule, async () => {
      expect(await refused(client.views.open({ trigger_id: web.trigger('UIN'), view: good as never }))).toBe(
        'ok',
      );
      expect(await refused(client.views.open({ trigger_id: web.trigger('UIN'), view: bad as never }))).toBe(
        'invalid_arguments',
      );
    });
  }

  it('App Home: 100 blocks, and held to the same rules on views.publish and views.update', async () => {
    const home = (n: number) => ({ type: 'home', blocks: Array(n).fill({ type: 'divider' }) }) as never;
    const published = await client.views.publish({ user_id: 'UIN', view: home(100) });
    expect(await refused(client.views.publish({ user_id: 'UIN', view: home(101) }))).toBe(
      'invalid_arguments',
    );
    expect(await refused(client.views.update({ view_id: String(published.view?.id), view: home(101) }))).toBe(
      'invalid_arguments',
    );
  });
});

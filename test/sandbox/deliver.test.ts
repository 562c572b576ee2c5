import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { slackDelivery } from '../../src/sandbox/deliver.ts';
import { startWebApi, type WebApi } from '../../src/sandbox/web-api-server.ts';
import { firstOf, nth } from '../helpers/rows.ts';
import { sign } from '../helpers/slack-signed.ts';

/** What the sandbox sends the bot is what Slack sends: signed, and events retried when not acked. */
const SECRET = 'sandbox-secret';
let web: WebApi;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
let failFirst = 0;
const bot = createServer(async (req, res) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  received.push({ headers: req.headers, body });
  res.statusCode = failFirst-- > 0 ? 500 : 200;
  res.end();
});

beforeAll(async () => {
  web = await startWebApi({ token: 'xoxb-sandbox' });
  web.addUser({ id: 'UANNA', name: 'Anna' });
  web.addChannel('CTECH', { members: ['UBOT', 'UANNA'] });
  bot.listen(0, '127.0.0.1');
  await once(bot, 'listening');
});
afterAll(async () => {
  bot.close();
  await web.close();
});

const botUrl = () => `http://127.0.0.1:${(bot.address() as AddressInfo).port}/slack/events`;

it('signs every request; an event the bot fails on is sent again with Slack retry headers', async () => {
  received.length = 0;
  failFirst = 1;
  const deliver = slackDelivery(web, SECRET, botUrl);
  const channel = web.workspace.channel('CTECH');
  if (!channel) throw new Error('no channel');
  await deliver.message('UANNA', channel, 'hello');
  await expect.poll(() => received.length).toBe(2);
  for (const r of received) {
    const timestamp = Number(r.headers['x-slack-request-timestamp']);
    expect(r.headers['x-slack-signature']).toBe(sign(SECRET, r.body, timestamp)['x-slack-signature']);
  }
  const [first, retry] = received.map((r) => JSON.parse(r.body));
  expect(first.event).toMatchObject({ type: 'message', channel: 'CTECH', user: 'UANNA', text: 'hello' });
  expect(retry.event_id).toBe(first.event_id);
  expect(firstOf(received).headers['x-slack-retry-num']).toBeUndefined();
  expect(nth(received, 1).headers).toMatchObject({
    'x-slack-retry-num': '1',
    'x-slack-retry-reason': 'http_error',
  });
  // The message is in the channel, as the person typed it.
  expect(web.messages.at(-1)).toMatchObject({ channel: 'CTECH', user: 'UANNA', text: 'hello' });
});

it('a slash command carries a fresh trigger_id and response_url; its answer shows only to the person', async () => {
  received.length = 0;
  const deliver = slackDelivery(web, SECRET, botUrl);
  const channel = web.workspace.channel('CTECH');
  if (!channel) throw new Error('no channel');
  await deliver.command('UANNA', channel, '/ticket', 'help');
  const fields = new URLSearchParams(firstOf(received).body);
  expect(fields.get('command')).toBe('/ticket');
  expect(fields.get('response_url')).toMatch(new RegExp(`^${web.url}/response/`));
  const res = await fetch(String(fields.get('response_url')), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'Usage: …' }),
  });
  expect(res.status).toBe(200);
  expect(web.workspace.ephemerals.at(-1)).toMatchObject({
    channel: 'CTECH',
    user: 'UANNA',
    text: 'Usage: …',
  });
});

import { ErrorCode, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWebApi, type WebApi } from '../../src/sandbox/web-api-server.ts';
import { refused } from '../helpers/slack-fake.ts';

/** The failures tests make Slack show, as the bot's WebClient meets them; timed on the workspace clock. */
let web: WebApi;
let client: WebClient;
let now: Date;

beforeEach(async () => {
  now = new Date('2026-03-02T10:00:00Z');
  web = await startWebApi({ token: 'xoxb-t', now: () => now });
  web.addChannel('CA');
  web.addChannel('CB');
  client = new WebClient('xoxb-t', {
    slackApiUrl: web.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
});
afterEach(() => web.close());

const postTo = (channel: string) => client.chat.postMessage({ channel, text: 'x' });
const retryAfter = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (e: { code?: string; retryAfter?: number }) =>
      e.code === ErrorCode.RateLimitedError ? e.retryAfter : e.code,
  );

describe('failures on demand', () => {
  it('a method failing N times, then answering again', async () => {
    web.failNext('chat.postMessage', { error: 'fatal_error' }, { times: 2 });
    expect(await refused(postTo('CA'))).toBe('fatal_error');
    expect(await refused(postTo('CA'))).toBe('fatal_error');
    expect(await refused(postTo('CA'))).toBe('ok');
    expect(web.of('chat.postMessage').map((c) => c.ok)).toEqual([false, false, true]);
  });

  it('a 429 with Retry-After for one channel only', async () => {
    web.failNext('chat.postMessage', { rateLimited: 7 }, { channel: 'CB' });
    expect(await refused(postTo('CA'))).toBe('ok');
    expect(await retryAfter(postTo('CB'))).toBe(7);
    expect(await refused(postTo('CB'))).toBe('ok');
  });

  it('a method rate-limited for a while: Retry-After counts down on the workspace clock', async () => {
    web.rateLimit('chat.update', 30, { channel: 'CA' });
    const ts = String((await postTo('CA')).ts);
    expect(await retryAfter(client.chat.update({ channel: 'CA', ts, text: 'y' }))).toBe(30);
    now = new Date(now.getTime() + 20_000);
    expect(await retryAfter(client.chat.update({ channel: 'CA', ts, text: 'y' }))).toBe(10);
    now = new Date(now.getTime() + 10_000);
    expect(await refused(client.chat.update({ channel: 'CA', ts, text: 'y' }))).toBe('ok');
  });

  it("Slack's own posting limit per channel: a burst passes, then 429 until the channel has room again", async () => {
    web.limitPosts({ perSecond: 1, burst: 3 });
    for (let i = 0; i < 3; i++) expect(await refused(postTo('CA'))).toBe('ok');
    expect(await retryAfter(postTo('CA'))).toBe(1);
    // Another channel has its own allowance.
    expect(await refused(postTo('CB'))).toBe('ok');
    now = new Date(now.getTime() + 1000);
    expect(await refused(postTo('CA'))).toBe('ok');
    expect(await retryAfter(postTo('CA'))).toBe(1);
    web.limitPosts(undefined);
    expect(await refused(postTo('CA'))).toBe('ok');
  });

  it('a dropped connection: the call fails as a request error, with no answer from Slack', async () => {
    web.failNext('chat.postMessage', { network: true });
    const error = await postTo('CA').catch((e) => e);
    expect(error.code).toBe(ErrorCode.RequestError);
    expect(web.workspace.messages).toEqual([]);
    expect(await refused(postTo('CA'))).toBe('ok');
  });

  it('a broken channel refuses every chat call into it until fixed', async () => {
    web.breakChannel('CA', 'is_archived');
    expect(await refused(postTo('CA'))).toBe('is_archived');
    web.fixChannel('CA');
    expect(await refused(postTo('CA'))).toBe('ok');
  });
});

describe('connections', () => {
  it('every answer closes its connection, so no client reuses a socket the server is retiring', async () => {
    // The cause of "fetch failed" under load (src/sandbox/web-api-server.ts): a kept-alive socket.
    const answers = await Promise.all([
      fetch(`${web.apiUrl}auth.test`, { method: 'POST', headers: { authorization: 'Bearer xoxb-t' } }),
      fetch(web.responseUrl({ channel: 'CA', user: 'UBOT' }), { method: 'POST', body: '' }),
    ]);
    web.failNext('chat.postMessage', { rateLimited: 1 });
    const limited = await fetch(`${web.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-t', 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'CA', text: 'x' }),
    });
    expect(limited.status).toBe(429);
    for (const a of [...answers, limited]) expect(a.headers.get('connection')).toBe('close');
  });
});

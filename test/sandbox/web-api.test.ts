import { ErrorCode, WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { nextBusinessMorning } from '../../src/sandbox/clock.ts';
import { startWebApi, type WebApi } from '../../src/sandbox/web-api-server.ts';

/** The sandbox's Web API refuses what Slack refuses, seen through the WebClient the bot uses. */
let web: WebApi;
let client: WebClient;
const modal = { type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [] };

beforeAll(async () => {
  web = await startWebApi({ token: 'xoxb-right' });
  web.addUser({ id: 'UIN', name: 'In' });
  web.addUser({ id: 'UOUT', name: 'Out' });
  web.addChannel('CIN', { members: ['UBOT', 'UIN'] });
  web.addChannel('CNOBOT', { members: ['UIN'] });
  client = new WebClient('xoxb-right', {
    slackApiUrl: web.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
});
afterAll(() => web.close());
afterEach(() => vi.useRealTimers());

/** The Slack error code of a refused call. */
const refused = (call: Promise<unknown>) =>
  call.then(
    () => 'ok',
    (e: { data?: { error?: string }; code?: string }) => e.data?.error ?? e.code,
  );

describe('the sandbox Web API', () => {
  it('posts where the bot is a member; refuses unknown channels, channels without the bot, other tokens', async () => {
    const posted = await client.chat.postMessage({ channel: 'CIN', text: 'hi' });
    expect(web.workspace.find('CIN', String(posted.ts))?.text).toBe('hi');
    expect(await refused(client.chat.postMessage({ channel: 'CNOPE', text: 'x' }))).toBe('channel_not_found');
    expect(await refused(client.chat.postMessage({ channel: 'CNOBOT', text: 'x' }))).toBe('not_in_channel');
    expect(await refused(client.chat.postEphemeral({ channel: 'CIN', user: 'UOUT', text: 'x' }))).toBe(
      'user_not_in_channel',
    );
    const wrong = new WebClient('xoxb-wrong', { slackApiUrl: web.apiUrl, retryConfig: { retries: 0 } });
    expect(await refused(wrong.chat.postMessage({ channel: 'CIN', text: 'x' }))).toBe('invalid_auth');
    // A user id is the bot's DM with them, as in Slack.
    const dm = await client.chat.postMessage({ channel: 'UOUT', text: 'psst' });
    expect(dm.channel).toMatch(/^D/);
  });

  it('refuses Block Kit Slack would: duplicate action_ids, more than 50 blocks in a message', async () => {
    const button = { type: 'button', text: { type: 'plain_text', text: 'b' }, action_id: 'same' };
    const twice = [{ type: 'actions', elements: [button, button] }];
    expect(await refused(client.chat.postMessage({ channel: 'CIN', text: 'x', blocks: twice }))).toBe(
      'invalid_blocks',
    );
    const many = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(await refused(client.chat.postMessage({ channel: 'CIN', text: 'x', blocks: many }))).toBe(
      'invalid_blocks',
    );
    expect(await refused(client.chat.postMessage({ channel: 'CIN', text: '' }))).toBe('no_text');
  });

  it('trigger_ids open one modal within 3 seconds; stacks stop at 3; a stale hash is refused', async () => {
    expect(await refused(client.views.open({ trigger_id: 'made-up', view: modal as never }))).toBe(
      'invalid_trigger_id',
    );
    const trigger = web.trigger('UIN');
    const opened = await client.views.open({ trigger_id: trigger, view: modal as never });
    expect(await refused(client.views.open({ trigger_id: trigger, view: modal as never }))).toBe(
      'exchanged_trigger_id',
    );
    await client.views.push({ trigger_id: web.trigger('UIN'), view: modal as never });
    await client.views.push({ trigger_id: web.trigger('UIN'), view: modal as never });
    expect(await refused(client.views.push({ trigger_id: web.trigger('UIN'), view: modal as never }))).toBe(
      'push_limit_reached',
    );
    const id = String(opened.view?.id);
    await client.views.update({ view_id: id, hash: opened.view?.hash, view: modal as never });
    expect(
      await refused(client.views.update({ view_id: id, hash: opened.view?.hash, view: modal as never })),
    ).toBe('hash_conflict');

    vi.useFakeTimers({ toFake: ['Date'] });
    const late = web.trigger('UIN');
    vi.setSystemTime(Date.now() + 3001);
    expect(await refused(client.views.open({ trigger_id: late, view: modal as never }))).toBe(
      'expired_trigger_id',
    );
  });

  it('rate-limits a method on demand with Retry-After', async () => {
    web.rateLimit('chat.update', 30);
    const error = await client.chat.update({ channel: 'CIN', ts: '1.1', text: 'x' }).catch((e) => e);
    expect(error.code).toBe(ErrorCode.RateLimitedError);
    expect(error.retryAfter).toBeGreaterThanOrEqual(29);
  });

  it('a response_url posts ephemerally to the person, replaces the original, and takes 5 posts', async () => {
    const url = web.responseUrl({ channel: 'CIN', user: 'UIN' });
    const post = (body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post({ text: 'only you' })).status).toBe(200);
    expect(web.workspace.ephemerals.at(-1)).toMatchObject({ channel: 'CIN', user: 'UIN', text: 'only you' });
    for (let i = 0; i < 4; i++) await post({ text: `again ${i}` });
    expect((await post({ text: 'sixth' })).status).toBe(404);

    const { ts } = await client.chat.postMessage({ channel: 'CIN', text: 'original' });
    const replace = web.responseUrl({
      channel: 'CIN',
      user: 'UIN',
      message: { ts: String(ts), ephemeral: false },
    });
    await fetch(replace, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replace_original: true, text: 'replaced' }),
    });
    expect(web.workspace.find('CIN', String(ts))?.text).toBe('replaced');
  });
});

describe('the sandbox clock', () => {
  it('next business morning is the next 09:00 in Berlin on a weekday', () => {
    // Monday 07:30 Berlin → the same morning; Friday evening → Monday.
    expect(nextBusinessMorning(new Date('2026-11-30T06:30:00Z')).toISOString()).toBe(
      '2026-11-30T08:00:00.000Z',
    );
    expect(nextBusinessMorning(new Date('2026-12-04T17:00:00Z')).toISOString()).toBe(
      '2026-12-07T08:00:00.000Z',
    );
    // Summer time: 09:00 Berlin is 07:00 UTC.
    expect(nextBusinessMorning(new Date('2026-07-01T09:00:00Z')).toISOString()).toBe(
      '2026-07-02T07:00:00.000Z',
    );
  });
});

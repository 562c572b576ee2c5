import { WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { nextBusinessMorning } from '../../src/sandbox/clock.ts';
import { startWebApi, type WebApi } from '../../src/sandbox/web-api-server.ts';
import { refused } from '../helpers/slack-fake.ts';

/** The sandbox's Web API (the tests' one Slack) refuses what Slack refuses, seen through the bot's WebClient. */
let web: WebApi;
let client: WebClient;
const modal = { type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [] };

beforeAll(async () => {
  web = await startWebApi({ token: 'xoxb-right' });
  web.addUser({ id: 'UIN', name: 'In' });
  web.addUser({ id: 'UOUT', name: 'Out' });
  web.addChannel('CIN', { members: ['UBOT', 'UIN'] });
  web.addChannel('COTHER', { members: ['UBOT'] });
  web.addChannel('CNOBOT', { members: ['UIN'] });
  web.addChannel('GSECRET', { members: ['UIN'], is_private: true });
  client = new WebClient('xoxb-right', {
    slackApiUrl: web.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
});
afterAll(() => web.close());
afterEach(() => vi.useRealTimers());

const post = async (text = 'x', channel = 'CIN') =>
  String((await client.chat.postMessage({ channel, text })).ts);

describe('channels and tokens', () => {
  it('an unknown channel: channel_not_found', async () => {
    expect(await refused(client.chat.postMessage({ channel: 'CNOPE', text: 'x' }))).toBe('channel_not_found');
  });

  it('a channel the bot is not in: not_in_channel, for posting and for reading history', async () => {
    expect(await refused(client.chat.postMessage({ channel: 'CNOBOT', text: 'x' }))).toBe('not_in_channel');
    expect(await refused(client.conversations.history({ channel: 'CNOBOT' }))).toBe('not_in_channel');
  });

  it('a private channel without the bot does not exist for it: channel_not_found', async () => {
    expect(await refused(client.conversations.info({ channel: 'GSECRET' }))).toBe('channel_not_found');
    expect(await refused(client.conversations.members({ channel: 'GSECRET' }))).toBe('channel_not_found');
    // A public one it is not in: its facts and members are readable.
    expect((await client.conversations.members({ channel: 'CNOBOT' })).members).toEqual(['UIN']);
  });

  it('an ephemeral message to someone not in the channel: user_not_in_channel', async () => {
    expect(await refused(client.chat.postEphemeral({ channel: 'CIN', user: 'UOUT', text: 'x' }))).toBe(
      'user_not_in_channel',
    );
  });

  it('another token: invalid_auth; none: not_authed', async () => {
    const wrong = new WebClient('xoxb-wrong', { slackApiUrl: web.apiUrl, retryConfig: { retries: 0 } });
    expect(await refused(wrong.chat.postMessage({ channel: 'CIN', text: 'x' }))).toBe('invalid_auth');
    const none = await fetch(`${web.apiUrl}auth.test`, { method: 'POST' });
    expect(await none.json()).toEqual({ ok: false, error: 'not_authed' });
  });

  it('a user id as channel is the bot DM with them, as in Slack', async () => {
    const dm = await client.chat.postMessage({ channel: 'UOUT', text: 'psst' });
    expect(dm.channel).toMatch(/^D/);
  });
});

describe('messages', () => {
  it('no text and no blocks: no_text; text past 40 000 characters: msg_too_long', async () => {
    expect(await refused(client.chat.postMessage({ channel: 'CIN', text: '' }))).toBe('no_text');
    expect(await refused(client.chat.postMessage({ channel: 'CIN', text: 'x'.repeat(40_001) }))).toBe(
      'msg_too_long',
    );
  });

  it('metadata without an event type and payload: invalid_metadata_format', async () => {
    const bad = { event_type: 'x' } as never;
    expect(await refused(client.chat.postMessage({ channel: 'CIN', text: 'x', metadata: bad }))).toBe(
      'invalid_metadata_format',
    );
  });

  it('chat.update of a ts Slack never gave: message_not_found', async () => {
    expect(await refused(client.chat.update({ channel: 'CIN', ts: '1700000000.000001', text: 'x' }))).toBe(
      'message_not_found',
    );
  });

  it('chat.update naming another channel than the message is in: message_not_found', async () => {
    const ts = await post('in CIN');
    expect(await refused(client.chat.update({ channel: 'COTHER', ts, text: 'x' }))).toBe('message_not_found');
    expect(web.workspace.find('CIN', ts)?.text).toBe('in CIN');
  });

  it("chat.update of another app's or a person's message: cant_update_message", async () => {
    const other = web.workspace.post({ channel: 'CIN', text: 'theirs', bot_id: 'BOTHER', user: 'UOTHERBOT' });
    expect(await refused(client.chat.update({ channel: 'CIN', ts: other.ts, text: 'x' }))).toBe(
      'cant_update_message',
    );
    const typed = web.userMessage('CIN', 'UIN', 'mine');
    expect(await refused(client.chat.update({ channel: 'CIN', ts: typed, text: 'x' }))).toBe(
      'cant_update_message',
    );
  });

  it("chat.delete of a message not the bot's: cant_delete_message", async () => {
    const typed = web.userMessage('CIN', 'UIN', 'stays');
    expect(await refused(client.chat.delete({ channel: 'CIN', ts: typed }))).toBe('cant_delete_message');
    expect(web.workspace.find('CIN', typed)?.text).toBe('stays');
  });

  it('reactions.add: once per emoji (already_reacted), on a real message, with a valid name', async () => {
    const ts = await post();
    expect(await refused(client.reactions.add({ channel: 'CIN', timestamp: ts, name: 'eyes' }))).toBe('ok');
    expect(await refused(client.reactions.add({ channel: 'CIN', timestamp: ts, name: ':eyes:' }))).toBe(
      'already_reacted',
    );
    expect(await refused(client.reactions.add({ channel: 'CIN', timestamp: '1.2', name: 'eyes' }))).toBe(
      'message_not_found',
    );
    expect(await refused(client.reactions.add({ channel: 'CIN', timestamp: ts, name: 'no way' }))).toBe(
      'invalid_name',
    );
    expect(web.workspace.find('CIN', ts)?.reactions).toEqual([{ name: 'eyes', users: ['UBOT'], count: 1 }]);
  });
});

describe('views', () => {
  it('a made-up trigger_id: invalid_trigger_id', async () => {
    expect(await refused(client.views.open({ trigger_id: 'made-up', view: modal as never }))).toBe(
      'invalid_trigger_id',
    );
  });

  it('a trigger_id used twice: exchanged_trigger_id', async () => {
    const trigger = web.trigger('UIN');
    await client.views.open({ trigger_id: trigger, view: modal as never });
    expect(await refused(client.views.open({ trigger_id: trigger, view: modal as never }))).toBe(
      'exchanged_trigger_id',
    );
  });

  it('a trigger_id older than 3 seconds: expired_trigger_id', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const late = web.trigger('UIN');
    vi.setSystemTime(Date.now() + 3001);
    expect(await refused(client.views.open({ trigger_id: late, view: modal as never }))).toBe(
      'expired_trigger_id',
    );
  });

  it('a fourth stacked modal: push_limit_reached', async () => {
    await client.views.open({ trigger_id: web.trigger('UIN'), view: modal as never });
    await client.views.push({ trigger_id: web.trigger('UIN'), view: modal as never });
    await client.views.push({ trigger_id: web.trigger('UIN'), view: modal as never });
    expect(await refused(client.views.push({ trigger_id: web.trigger('UIN'), view: modal as never }))).toBe(
      'push_limit_reached',
    );
  });

  it('views.update with a stale hash: hash_conflict; of a view that is gone: not_found', async () => {
    const opened = await client.views.open({ trigger_id: web.trigger('UIN'), view: modal as never });
    const id = String(opened.view?.id);
    await client.views.update({ view_id: id, hash: opened.view?.hash, view: modal as never });
    expect(
      await refused(client.views.update({ view_id: id, hash: opened.view?.hash, view: modal as never })),
    ).toBe('hash_conflict');
    expect(await refused(client.views.update({ view_id: 'VGONE', view: modal as never }))).toBe('not_found');
  });

  it('views.publish with a stale hash: hash_conflict', async () => {
    const home = { type: 'home', blocks: [] } as never;
    const first = await client.views.publish({ user_id: 'UIN', view: home });
    await client.views.publish({ user_id: 'UIN', view: home, hash: first.view?.hash });
    expect(await refused(client.views.publish({ user_id: 'UIN', view: home, hash: first.view?.hash }))).toBe(
      'hash_conflict',
    );
  });
});

describe('reading back', () => {
  it('history: newest first, thread replies only when broadcast, metadata only when asked, in pages', async () => {
    web.addChannel('CREAD', { members: ['UBOT'] });
    const meta = { event_type: 'ticket_ops_job', event_payload: { key: 'k1' } };
    const parent = String(
      (await client.chat.postMessage({ channel: 'CREAD', text: 'one', metadata: meta })).ts,
    );
    await client.chat.postMessage({ channel: 'CREAD', text: 'reply', thread_ts: parent });
    await client.chat.postMessage({
      channel: 'CREAD',
      text: 'loud',
      thread_ts: parent,
      reply_broadcast: true,
    });
    await client.chat.postMessage({ channel: 'CREAD', text: 'two' });
    const first = await client.conversations.history({ channel: 'CREAD', limit: 2 });
    expect(first.messages?.map((m) => m.text)).toEqual(['two', 'loud']);
    expect(first.has_more).toBe(true);
    const next = await client.conversations.history({
      channel: 'CREAD',
      limit: 2,
      cursor: first.response_metadata?.next_cursor,
      include_all_metadata: true,
    });
    expect(next.messages).toEqual([
      expect.objectContaining({ text: 'one', thread_ts: parent, reply_count: 2, metadata: meta }),
    ]);
    expect(next.response_metadata?.next_cursor).toBe('');
    const plain = await client.conversations.history({ channel: 'CREAD' });
    expect(plain.messages?.at(-1)).not.toHaveProperty('metadata');
    expect(await refused(client.conversations.history({ channel: 'CREAD', cursor: 'bogus' }))).toBe(
      'invalid_cursor',
    );
  });

  it('a thread: the parent then its replies; an unknown parent: thread_not_found', async () => {
    const parent = await post('parent');
    await client.chat.postMessage({ channel: 'CIN', text: 'r1', thread_ts: parent });
    const thread = await client.conversations.replies({ channel: 'CIN', ts: parent });
    expect(thread.messages?.map((m) => m.text)).toEqual(['parent', 'r1']);
    expect(await refused(client.conversations.replies({ channel: 'CIN', ts: '1.1' }))).toBe(
      'thread_not_found',
    );
  });

  it("a permalink: the workspace's archive link, with the thread for a reply", async () => {
    const parent = await post('parent');
    const reply = String(
      (await client.chat.postMessage({ channel: 'CIN', text: 'r', thread_ts: parent })).ts,
    );
    const link = await client.chat.getPermalink({ channel: 'CIN', message_ts: reply });
    expect(link.permalink).toBe(
      `https://t0ours.slack.com/archives/CIN/p${reply.replace('.', '')}?thread_ts=${parent}&cid=CIN`,
    );
    expect(await refused(client.chat.getPermalink({ channel: 'CIN', message_ts: '1.1' }))).toBe(
      'message_not_found',
    );
  });
});

describe('response_urls', () => {
  it('post ephemerally to the person, replace the original, and take 5 posts', async () => {
    const url = web.responseUrl({ channel: 'CIN', user: 'UIN' });
    const send = (body: unknown, to = url) =>
      fetch(to, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await send({ text: 'only you' })).status).toBe(200);
    expect(web.workspace.ephemerals.at(-1)).toMatchObject({ channel: 'CIN', user: 'UIN', text: 'only you' });
    for (let i = 0; i < 4; i++) await send({ text: `again ${i}` });
    expect((await send({ text: 'sixth' })).status).toBe(404);

    const ts = await post('original');
    await send(
      { replace_original: true, text: 'replaced' },
      web.responseUrl({ channel: 'CIN', user: 'UIN', message: { ts, ephemeral: false } }),
    );
    expect(web.workspace.find('CIN', ts)?.text).toBe('replaced');
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

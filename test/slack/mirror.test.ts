import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { jobs, messages, ticketCards } from '../../db/schema.ts';
import { one } from '../helpers/rows.ts';
import { type Json, useSlackHarness } from '../helpers/slack-harness.ts';

const { db, h } = useSlackHarness();

const cardOf = async (id: number) =>
  one(await db.db.select().from(ticketCards).where(eq(ticketCards.ticketId, id)), 'card');
/** The card's thread as Slack holds it now: the texts, oldest first. */
const threadTexts = async (id: number) => {
  const card = await cardOf(id);
  return h.fake.thread(card.channel, card.ts).map((m) => m.text);
};
const messageIds = async (id: number) =>
  (await db.db.select().from(messages).where(eq(messages.ticketId, id)).orderBy(messages.id)).map(
    (m) => m.id,
  );
const botJoins = () =>
  h.event({
    type: 'member_joined_channel',
    user: 'UBOT',
    channel: 'CSUPPORT',
    channel_type: 'C',
    team: h.fake.team,
  });

describe('thread mirrors follow edits and hides', () => {
  it('editing or hiding a message from the Messages modal updates its copy in the card thread', async () => {
    const id = await h.w.openTicket();
    await h.w.run(h.w.as.alice, 'clientticket.edit', { elid: String(id), message: 'second', sok: 'ok' });
    await h.runJobs();
    expect(await threadTexts(id)).toEqual([
      '*Alice Acme* (client) wrote\nMy VPS does not boot',
      '*Alice Acme* (client) wrote\nsecond',
    ]);
    const [m1, m2] = await messageIds(id);
    const cardBlocks = h.fake.of('chat.postMessage').find((c) => !c.params.thread_ts)?.params
      .blocks as Json[];
    await h.click('UADMIN', cardBlocks, 'card.messages');
    const list = { ...h.lastView(), id: 'VLIST' };
    await h.click('UADMIN', list.blocks, 'message.edit', { view: list }, `${m1}:${id}`);
    await h.submit('UADMIN', { ...h.lastView(), previous_view_id: 'VLIST' }, { message: 'It boots now' });
    await h.click('UADMIN', list.blocks, 'message.hide', { view: list }, `${m2}:${id}`);
    h.fake.clear();
    await h.runJobs();
    // Updated in place (no new posts), the hidden one marked for staff.
    expect(h.fake.of('chat.postMessage')).toHaveLength(0);
    const card = await cardOf(id);
    const mirrorUpdates = h.fake.of('chat.update').filter((c) => c.params.ts !== card.ts);
    expect(mirrorUpdates.map((c) => c.params.metadata)).toEqual([
      { event_type: 'ticket_message', event_payload: { ticket_id: id, message_id: m1 } },
      { event_type: 'ticket_message', event_payload: { ticket_id: id, message_id: m2 } },
    ]);
    expect(await threadTexts(id)).toEqual([
      '*Alice Acme* (client) wrote\nIt boots now',
      '*Alice Acme* (client) wrote · _hidden from the client_\nsecond',
    ]);
  });

  it('a link whose text reads as an address shows where it really goes', async () => {
    const id = await h.w.openTicket();
    await h.w.run(h.w.as.alice, 'clientticket.edit', {
      elid: String(id),
      message:
        'Pay at [https://bank.example](https://evil.example) or [bank.example/pay](https://evil.example/pay), see [the docs](https://docs.example)',
      sok: 'ok',
    });
    await h.runJobs();
    const [, second] = await threadTexts(id);
    expect(second).toContain('<https://evil.example>');
    expect(second).toContain('<https://evil.example/pay>');
    expect(second).not.toContain('bank.example');
    expect(second).toContain('<https://docs.example|the docs>');
  });

  it('edits and hides made outside Slack (the API, any front door) reach the thread too', async () => {
    const id = await h.w.openTicket();
    await h.w.run(h.w.as.alice, 'clientticket.edit', { elid: String(id), message: 'second', sok: 'ok' });
    await h.runJobs();
    const [m1, m2] = await messageIds(id);
    await h.w.run(h.w.as.admin, 'ticket.message.edit', {
      plid: String(id),
      elid: String(m1),
      message: 'Edited by API',
      sok: 'ok',
    });
    await h.w.run(h.w.as.admin, 'ticket.message.delete', { elid: String(m2), plid: String(id), sok: 'ok' });
    h.fake.clear();
    await h.runJobs();
    expect(h.fake.of('chat.postMessage')).toHaveLength(0);
    expect(await threadTexts(id)).toEqual([
      '*Alice Acme* (client) wrote\nEdited by API',
      '*Alice Acme* (client) wrote · _hidden from the client_\nsecond',
    ]);
  });
});

describe('a card catching up after a broken channel', () => {
  it('re-posts the messages that failed to mirror, in order, and updates copies edited meanwhile', async () => {
    const id = await h.w.openTicket();
    await h.runJobs();
    const [m1] = await messageIds(id);
    h.fake.breakChannel('CSUPPORT', 'not_in_channel');
    await h.w.run(h.w.as.alice, 'clientticket.edit', { elid: String(id), message: 'anyone?', sok: 'ok' });
    await h.w.run(h.w.as.admin, 'ticket.edit', {
      elid: String(id),
      note_message: 'looking',
      message: 'On it',
      sok: 'ok',
    });
    await h.w.run(h.w.as.admin, 'ticket.message.delete', { elid: String(m1), plid: String(id), sok: 'ok' });
    await h.runJobs();
    expect((await cardOf(id)).stale).toBe(true);
    expect(await threadTexts(id)).toEqual(['*Alice Acme* (client) wrote\nMy VPS does not boot']);
    const failed = await db.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.kind, 'slack.message'), eq(jobs.state, 'pending')));
    expect(failed).toHaveLength(0);

    h.fake.fixChannel('CSUPPORT');
    await botJoins();
    await h.runJobs();
    expect((await cardOf(id)).stale).toBe(false);
    expect(await threadTexts(id)).toEqual([
      '*Alice Acme* (client) wrote · _hidden from the client_\nMy VPS does not boot',
      '*Alice Acme* (client) wrote\nanyone?',
      ':lock: *Internal note* by Adam Admin (staff only)\nlooking',
      '*Adam Admin* (staff) replied to the client\nOn it',
    ]);
    // Caught up once: a second refresh posts nothing more.
    await botJoins();
    await h.w.run(h.w.as.admin, 'ticket.edit', { elid: String(id), priority: '2', sok: 'ok' });
    await h.runJobs();
    expect(await threadTexts(id)).toHaveLength(4);
  });

  it('a ticket opened while the bot was out of the channel gets its card and thread when it is invited', async () => {
    h.fake.breakChannel('CSUPPORT', 'not_in_channel');
    const id = await h.w.openTicket();
    await h.w.run(h.w.as.alice, 'clientticket.edit', { elid: String(id), message: 'hello?', sok: 'ok' });
    await h.runJobs();
    expect(await cardOf(id)).toBeUndefined();
    h.fake.fixChannel('CSUPPORT');
    await botJoins();
    await h.runJobs();
    expect(await threadTexts(id)).toEqual([
      '*Alice Acme* (client) wrote\nMy VPS does not boot',
      '*Alice Acme* (client) wrote\nhello?',
    ]);
  });

  it('a note a staff member typed in the thread is not posted again, even after its claim is forgotten', async () => {
    const id = await h.w.openTicket();
    await h.runJobs();
    const card = await cardOf(id);
    const ts = h.fake.userMessage('CSUPPORT', 'UADMIN', 'checked the disks', card.ts);
    await h.event({
      type: 'message',
      channel: 'CSUPPORT',
      user: 'UADMIN',
      text: 'checked the disks',
      ts,
      thread_ts: card.ts,
    });
    await h.runJobs();
    expect(await threadTexts(id)).toEqual([
      '*Alice Acme* (client) wrote\nMy VPS does not boot',
      'checked the disks',
    ]);
    // Three days on (event claims purged), the channel breaks and heals.
    h.w.clock.advance(3 * 24 * 60 * 60_000);
    h.fake.breakChannel('CSUPPORT', 'not_in_channel');
    await h.w.run(h.w.as.alice, 'clientticket.edit', { elid: String(id), message: 'and?', sok: 'ok' });
    await h.runJobs();
    h.fake.fixChannel('CSUPPORT');
    await botJoins();
    await h.runJobs();
    expect(await threadTexts(id)).toEqual([
      '*Alice Acme* (client) wrote\nMy VPS does not boot',
      'checked the disks',
      '*Alice Acme* (client) wrote\nand?',
    ]);
  });
});

describe('the card counts down', () => {
  it('is refreshed as the deadline nears, without a ticket change', async () => {
    const id = await h.w.openTicket();
    await h.runJobs();
    const posted = h.fake.of('chat.postMessage').find((c) => !c.params.thread_ts)?.params;
    expect(JSON.stringify(posted?.blocks)).toContain('4 h 00 min left');
    h.w.clock.advance(15 * 60_000);
    await h.runJobs();
    const update = h.fake.last('chat.update').params;
    expect(update.ts).toBe((await cardOf(id)).ts);
    expect(JSON.stringify(update.blocks)).toContain('3 h 45 min left');
    // Next at 10:30: the refresh is one pending job, not one per round.
    const pending = await db.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.kind, 'slack.card'), eq(jobs.state, 'pending')));
    expect(pending.map((j) => j.runAt.toISOString())).toEqual(['2026-03-02T10:30:00.000Z']);
  });
});

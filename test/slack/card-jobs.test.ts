import { and, eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { clients, jobs, messages, ticketCards } from '../../db/schema.ts';
import { enqueue } from '../../src/jobs/queue.ts';
import { firstOf, one } from '../helpers/rows.ts';
import { type Json, useSlackHarness } from '../helpers/slack-harness.ts';

const { db, h } = useSlackHarness();

const cards = () =>
  h.fake.of('chat.postMessage').filter((c) => !c.params.thread_ts && c.params.channel === 'CSUPPORT');
const thread = () => h.fake.of('chat.postMessage').filter((c) => c.params.thread_ts);
const fieldText = (blocks: Json[]) => JSON.stringify(blocks);

describe('ticket cards and threads', () => {
  it('a new ticket posts one card to its department channel and its message into the thread', async () => {
    const id = await h.w.openTicket({ message: 'Help <!channel> **now**' });
    await h.runJobs();
    expect(cards()).toHaveLength(1);
    const card = firstOf(cards()).params;
    expect(card.text).toBe(`#${id} Server down (ACME Ltd, New)`);
    expect(fieldText(card.blocks as Json[])).toContain('card.reply');
    const row = firstOf(await db.db.select().from(ticketCards).where(eq(ticketCards.ticketId, id)));
    expect(row).toMatchObject({ channel: 'CSUPPORT', stale: false });
    expect(thread()).toHaveLength(1);
    expect(firstOf(thread()).params.thread_ts).toBe(row.ts);
    // Client text is Markdown rendered to mrkdwn and cannot mention anybody.
    expect(firstOf(thread()).params.text).toContain('&lt;!channel&gt;');
    expect(firstOf(thread()).params.text).toContain('*now*');
    expect(firstOf(thread()).params.text).not.toContain('<!channel>');
  });

  it("the card's notification text cannot mention anybody through the subject or the client's name", async () => {
    await db.db.update(clients).set({ name: 'ACME <!here>' }).where(eq(clients.id, h.w.ids.acme.id));
    await h.w.openTicket({ name: '<!channel> urgent <@U0BOSS>' });
    await h.runJobs();
    const text = String(firstOf(cards()).params.text);
    for (const mention of ['<!channel>', '<@U0BOSS>', '<!here>']) expect(text).not.toContain(mention);
    expect(text).toContain('&lt;!channel&gt; urgent &lt;@U0BOSS&gt;');
  });

  it('a change updates the card in place; replies and internal notes are mirrored, notes marked', async () => {
    const id = await h.w.openTicket();
    await h.runJobs();
    await h.w.run(h.w.as.admin, 'ticket.edit', {
      elid: String(id),
      priority: '2',
      note_message: 'check RAM',
      message: 'Rebooted',
      sok: 'ok',
    });
    await h.runJobs();
    expect(cards()).toHaveLength(1);
    const update = h.fake.last('chat.update').params;
    const card = firstOf(await db.db.select().from(ticketCards).where(eq(ticketCards.ticketId, id)));
    expect(update).toMatchObject({ channel: 'CSUPPORT', ts: card.ts });
    expect(fieldText(update.blocks as Json[])).toContain('High (client: Medium)');
    expect(fieldText(update.blocks as Json[])).toContain('Awaiting client');
    const texts = thread().map((c) => String(c.params.text));
    expect(texts[1]).toMatch(/^:lock: \*Internal note\* by Adam Admin \(staff only\)\ncheck RAM$/);
    expect(texts[2]).toMatch(/^\*Adam Admin\* \(staff\) replied to the client\nRebooted$/);
  });

  it('a department without a channel gets no card, and the jobs do not pile up', async () => {
    await h.w
      .run(h.w.as.alice, 'clientticket.edit', {
        name: 'Billing question',
        message: 'hi',
        client_department: String(h.w.ids.paid.id),
        sok: 'ok',
      })
      .catch(() => undefined);
    await h.runJobs();
    expect(cards()).toHaveLength(0);
    const left = await db.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.state, 'pending'), like(jobs.kind, 'slack.%')));
    expect(left).toHaveLength(0);
  });

  it('a 429 with Retry-After is retried at that time; the change is kept', async () => {
    const id = await h.w.openTicket();
    await h.runJobs();
    h.fake.failNext('chat.update', { rateLimited: 42 });
    await h.w.run(h.w.as.admin, 'ticket.edit', { elid: String(id), priority: '0', sok: 'ok' });
    await h.runJobs();
    const pending = firstOf(
      await db.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.state, 'pending'), like(jobs.kind, 'slack.%'))),
    );
    expect(pending.kind).toBe('slack.card');
    expect(pending.lastError).toContain('rate limit');
    expect(pending.runAt.getTime() - h.w.clock.now().getTime()).toBe(42_000);
    h.w.clock.advance(42_000);
    await h.runJobs();
    expect(fieldText(h.fake.last('chat.update').params.blocks as Json[])).toContain('Low (client: Medium)');
  });

  it("a client's ticket from Slack whose card cannot be posted tells no client about the staff channel", async () => {
    await h.command('UALICE', 'new', { command: '/support', channel: 'DALICE' });
    await h.submit('UALICE', h.lastView(), {
      client_department: String(h.w.ids.support.id),
      name: 'Urgent',
      message: 'please',
      client_priority: '1',
    });
    h.fake.breakChannel('CSUPPORT', 'not_in_channel');
    await h.runJobs();
    const toAlice = h.fake.of('chat.postMessage').filter((c) => c.params.channel === 'UALICE');
    expect(toAlice.map((c) => c.params.text)).toEqual(['Ticket #1 opened. We will answer here.']);
  });

  it('a card that could never be posted is reported to the staff member once, not per job', async () => {
    h.fake.breakChannel('CSUPPORT', 'not_in_channel');
    await h.w.run({ ...h.w.as.admin, via: 'slack' }, 'ticket.edit', {
      client: String(h.w.ids.acme.id),
      client_department: String(h.w.ids.support.id),
      name: 'Opened by staff',
      message: 'We noticed your disk is full',
      sok: 'ok',
    });
    await h.runJobs();
    const told = h.fake
      .of('chat.postMessage')
      .filter((c) => c.params.channel === 'UADMIN' && String(c.params.text).includes('could not be updated'));
    expect(told).toHaveLength(1);
  });

  it('not_in_channel: card marked stale, the last Slack actor told, the card catches up when the bot joins', async () => {
    const id = await h.w.openTicket();
    await h.runJobs();
    // The admin changes the ticket from Slack (the audit log says so), then the bot is removed.
    await h.w.run({ ...h.w.as.admin, via: 'slack' }, 'ticket.edit', {
      elid: String(id),
      priority: '2',
      sok: 'ok',
    });
    h.fake.failNext('chat.update', { error: 'not_in_channel' });
    await h.runJobs();
    const card = firstOf(await db.db.select().from(ticketCards).where(eq(ticketCards.ticketId, id)));
    expect(card.stale).toBe(true);
    const dm = h.fake.of('chat.postMessage').find((c) => c.params.channel === 'UADMIN');
    expect(dm?.params.text).toContain('not_in_channel');
    expect(
      await db.db
        .select()
        .from(jobs)
        .where(and(eq(jobs.state, 'pending'), like(jobs.kind, 'slack.%'))),
    ).toHaveLength(0);
    await h.event({
      type: 'member_joined_channel',
      user: 'UBOT',
      channel: 'CSUPPORT',
      channel_type: 'C',
      team: h.fake.team,
    });
    await h.runJobs();
    const after = firstOf(await db.db.select().from(ticketCards).where(eq(ticketCards.ticketId, id)));
    expect(after.stale).toBe(false);
    expect(fieldText(h.fake.last('chat.update').params.blocks as Json[])).toContain('High (client: Medium)');
  });

  it('a deleted card is posted again', async () => {
    const id = await h.w.openTicket();
    await h.runJobs();
    const before = firstOf(await db.db.select().from(ticketCards).where(eq(ticketCards.ticketId, id)));
    h.fake.failNext('chat.update', { error: 'message_not_found' });
    await h.w.run(h.w.as.admin, 'ticket.edit', { elid: String(id), priority: '2', sok: 'ok' });
    await h.runJobs();
    expect(cards()).toHaveLength(2);
    const card = one(await db.db.select().from(ticketCards).where(eq(ticketCards.ticketId, id)));
    expect(card.ts).not.toBe(before.ts);
    expect(h.fake.last('chat.update').params.ts).toBe(before.ts);
  });

  it('a message job run twice posts once', async () => {
    const id = await h.w.openTicket();
    await h.runJobs();
    const m = firstOf(await db.db.select().from(messages).where(eq(messages.ticketId, id)));
    await db.db.insert(jobs).values({
      kind: 'slack.message',
      dedupeKey: `again:${m.id}`,
      payload: { ticketId: id, messageId: m.id },
      runAt: h.w.clock.now(),
      updatedAt: h.w.clock.now(),
    });
    await h.runJobs();
    expect(thread()).toHaveLength(1);
  });
});

describe('card job payloads', () => {
  it('a bad payload fails its card, thread, reply or re-post job at once, saying what is wrong', async () => {
    const now = h.w.deps.now();
    const bad: Array<[string, Record<string, unknown>]> = [
      ['slack.card', { ticketId: 'seven' }],
      ['slack.message', { ticketId: 1 }],
      ['slack.reply', {}],
      ['slack.repost', { departmentId: 1, channel: 'CSUPPORT' }],
    ];
    await db.db.transaction(async (tx) => {
      for (const [kind, payload] of bad)
        await enqueue(tx, { kind, dedupeKey: `bad:${kind}`, runAt: now, payload }, now);
    });
    await h.runJobs();
    const rows = await db.db.select().from(jobs).where(like(jobs.dedupeKey, 'bad:%'));
    expect(rows).toHaveLength(4);
    for (const row of rows) {
      expect(row).toMatchObject({ state: 'failed', attempts: 1 });
      expect(row.lastError).toMatch(/has a bad payload/);
    }
    expect(h.fake.of('chat.postMessage')).toEqual([]);
  });
});

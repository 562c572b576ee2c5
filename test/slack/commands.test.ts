import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  departments,
  linkCodes,
  messages,
  savedFilters,
  ticketCards,
  tickets,
  users,
} from '../../db/schema.ts';
import { validateBlocks } from '../../src/sandbox/block-kit.ts';
import { firstOf } from '../helpers/rows.ts';
import { type Json, useSlackHarness } from '../helpers/slack-harness.ts';

const { db, h } = useSlackHarness();

const answer = () => h.fake.last('response_url').params as { text: string; blocks?: Json[] };

describe('/ticket', () => {
  it('lists the queue, paged, with the saved filter shown', async () => {
    for (let i = 0; i < 12; i++) await h.w.openTicket({ name: `T${i}` });
    await h.command('UADMIN', '');
    const first = answer();
    expect(first.text).toBe('Ticket queue: 12 tickets');
    expect(JSON.stringify(first.blocks)).toContain('page 1 of 2');
    expect(JSON.stringify(first.blocks)).toContain('No filter');
    await h.click('UADMIN', first.blocks as Json[], 'queue.page.next');
    const second = answer() as Json;
    expect(second.replace_original).toBe(true);
    expect(JSON.stringify(second.blocks)).toContain('page 2 of 2');
  });

  it('a middle page carries Previous and Next, and Slack accepts it', async () => {
    for (let i = 0; i < 25; i++) await h.w.openTicket({ name: `T${i}` });
    await h.command('UADMIN', '');
    await h.click('UADMIN', answer().blocks as Json[], 'queue.page.next');
    const middle = answer() as Json;
    expect(JSON.stringify(middle.blocks)).toContain('page 2 of 3');
    expect(validateBlocks(middle.blocks, 'message')).toEqual([]);
    await h.click('UADMIN', middle.blocks, 'queue.page.previous');
    expect(JSON.stringify(answer().blocks)).toContain('page 1 of 3');
    await h.click('UADMIN', middle.blocks, 'queue.page.next');
    expect(JSON.stringify(answer().blocks)).toContain('page 3 of 3');
    // Nothing was refused on the way: no "something went wrong".
    expect(h.fake.of('response_url').every((c) => !String(c.params.text).includes('wrong'))).toBe(true);
  });

  it('counts in words: 1 ticket, 2 tickets', async () => {
    await h.w.openTicket();
    await h.command('UADMIN', '');
    expect(answer().text).toBe('Ticket queue: 1 ticket');
  });

  it('/ticket 123 opens the ticket with its messages and takes the lock', async () => {
    const id = await h.w.openTicket();
    await h.command('UADMIN', String(id));
    expect(JSON.stringify(answer().blocks)).toContain('My VPS does not boot');
    const [t] = await db.db.select().from(tickets).where(eq(tickets.id, id));
    expect(t).toMatchObject({ lockedBy: h.w.ids.admin.id, status: 1 });
  });

  it('/ticket new opens the modal before anything else and creates the ticket', async () => {
    await h.command('UADMIN', 'new');
    const calls = h.fake.calls.map((c) => c.method).filter((m) => m.startsWith('views'));
    expect(calls).toEqual(['views.open', 'views.update']);
    const view = h.lastView();
    const res = await h.submit('UADMIN', view, {
      client: String(h.w.ids.acme.id),
      client_department: String(h.w.ids.support.id),
      name: 'Planned maintenance',
      message: 'We will reboot',
      priority: '1',
    });
    expect(res.status).toBe(200);
    const all = await db.db.select().from(tickets);
    expect(all.map((t) => t.name)).toEqual(['Planned maintenance']);
  });

  it('/ticket filter saves the filter; /ticket filter reset clears it', async () => {
    await h.command('UADMIN', 'filter');
    const view = h.lastView();
    expect(view.callback_id).toBe('filter');
    await h.submit('UADMIN', view, { name: 'boot', priority: '2', flags: ['unread'] });
    const saved = firstOf(await db.db.select().from(savedFilters));
    expect(saved.params).toEqual({ name: 'boot', priority: '2', unread: 'on' });
    await h.command('UADMIN', '');
    expect(JSON.stringify(answer().blocks)).toContain(
      'Filter: subject contains “boot” · unread · priority High',
    );
    const bad = await h.submit('UADMIN', view, { client: 'acme' }, 'V-2');
    expect(bad.json()).toMatchObject({ response_action: 'errors', errors: { client: expect.any(String) } });
    await h.command('UADMIN', 'filter reset');
    expect(await db.db.select().from(savedFilters)).toHaveLength(0);
  });

  it('/ticket client NAME filters by client; /ticket favorites; /ticket su CLIENT', async () => {
    await h.w.openTicket();
    await h.command('UADMIN', 'client globex');
    expect(answer().text).toBe('Ticket queue: 0 tickets');
    expect(JSON.stringify(answer().blocks)).toContain('Filter: client Globex');
    await h.command('UADMIN', 'favorites');
    expect(JSON.stringify(answer().blocks)).toContain('Your favorite tickets');
    await h.command('UADMIN', 'su acme');
    expect(answer().text).toBe('What ACME Ltd sees');
    expect(JSON.stringify(answer().blocks)).toContain('Server down');
  });

  it('help and unknown input both get the usage text', async () => {
    await h.command('UADMIN', 'help');
    expect(answer().text).toContain('/ticket filter');
    await h.command('UADMIN', 'dance please');
    expect(answer().text).toContain('I did not understand');
    expect(answer().text).toContain('/ticket new');
  });

  it('refuses unknown users, clients and external users', async () => {
    await h.command('UCOLL', '');
    expect(answer().text).toContain('not registered as staff');
    await h.command('UALICE', '');
    expect(answer().text).toContain('`/ticket` is for staff');
    await db.db.update(users).set({ slackUserId: 'USTRANGER' }).where(eq(users.id, h.w.ids.root.id));
    await h.command('USTRANGER', '');
    expect(answer().text).toContain('External (Slack Connect) users cannot act as staff');
  });

  it('roots add and remove staff; admins cannot; external users never become staff', async () => {
    await h.command('UADMIN', 'staff add <@UCOLL|carl> admin');
    expect(answer().text).toContain('Only root');
    await h.command('UROOT', 'staff add <@USTRANGER|sam> admin');
    expect(answer().text).toContain('External');
    await h.command('UROOT', 'staff add <@UCOLL|carl> admin');
    const [carl] = await db.db.select().from(users).where(eq(users.slackUserId, 'UCOLL'));
    expect(carl).toMatchObject({ level: 'admin', name: 'Carl Colleague', timezone: 'UTC' });
    await h.command('UCOLL', '');
    expect(answer().text).toContain('Ticket queue');
    await h.command('UROOT', 'staff remove <@UCOLL>');
    await h.command('UCOLL', '');
    expect(answer().text).toContain('not registered as staff');
  });

  it('roots send a department to a channel (no SQL); and bind client channels; staff issue link codes', async () => {
    await h.command('UROOT', `channel ${h.w.ids.paid.id}`, { channel: 'CPAID' });
    const dep = firstOf(await db.db.select().from(departments).where(eq(departments.id, h.w.ids.paid.id)));
    expect(dep.slackChannel).toBe('CPAID');
    await h.command('UADMIN', 'link bob');
    const code = firstOf(await db.db.select().from(linkCodes));
    expect(answer().text).toContain(code.code);
    await h.command('UROOT', 'bind globex', { channel: 'CGLOBEX' });
    expect(answer().text).toContain('belongs to client Globex');
  });
});

describe('card threads and events', () => {
  async function cardTs(id: number) {
    await h.runJobs();
    const card = firstOf(await db.db.select().from(ticketCards).where(eq(ticketCards.ticketId, id)));
    return card.ts;
  }

  it('a staff reply in the thread becomes an internal note, is not echoed, and a retried event applies once', async () => {
    const id = await h.w.openTicket();
    const ts = await cardTs(id);
    const event = {
      type: 'message',
      channel: 'CSUPPORT',
      user: 'UADMIN',
      text: 'looks like RAM',
      ts: '1700000001.000100',
      thread_ts: ts,
    };
    await h.event(event, 'Ev-thread');
    await h.event(event, 'Ev-thread', { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    const notes = await db.db.select().from(messages).where(eq(messages.internal, true));
    expect(notes.map((m) => m.body)).toEqual(['looks like RAM']);
    // The author is told, once, privately.
    const told = h.fake.of('chat.postEphemeral');
    expect(told.map((c) => [c.params.user, c.params.channel])).toEqual([['UADMIN', 'CSUPPORT']]);
    expect(String(firstOf(told).params.text)).toContain('internal note');
    h.fake.clear();
    await h.runJobs();
    expect(h.fake.of('chat.postMessage').filter((c) => c.params.thread_ts)).toHaveLength(0);
  });

  it("a client's or stranger's words in a card thread stay in Slack", async () => {
    const id = await h.w.openTicket();
    const ts = await cardTs(id);
    await h.event({
      type: 'message',
      channel: 'CSUPPORT',
      user: 'USTRANGER',
      text: 'hi',
      ts: '1700000001.1',
      thread_ts: ts,
    });
    expect(await db.db.select().from(messages).where(eq(messages.ticketId, id))).toHaveLength(1);
    const told = h.fake.last('chat.postEphemeral').params;
    expect(told).toMatchObject({ user: 'USTRANGER', channel: 'CSUPPORT' });
    expect(String(told.text)).toContain('not added');
  });
});

import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { exactly } from '../../db/rows.ts';
import { clients, messages, tickets, users } from '../../db/schema.ts';
import { firstOf } from '../helpers/rows.ts';
import { findElement, type Json, useSlackHarness } from '../helpers/slack-harness.ts';

const { db, h } = useSlackHarness();

const answer = () => h.fake.last('response_url').params as { text: string; blocks?: Json[] };
const support = (user: string, text: string, channel = 'DALICE') =>
  h.command(user, text, { command: '/support', channel });

describe('/support for clients', () => {
  it('lists tickets with status and wait time; opens one and replies', async () => {
    const id = await h.w.openTicket();
    h.w.clock.advance(90 * 60_000);
    await support('UALICE', '');
    const list = answer();
    expect(list.text).toBe('Your tickets: 1 ticket');
    expect(JSON.stringify(list.blocks)).toContain('New · waiting 0d+01:30');
    await h.click('UALICE', list.blocks as Json[], 'client.open', { channel: 'DALICE' });
    const opened = answer();
    expect(JSON.stringify(opened.blocks)).toContain('My VPS does not boot');
    await h.click('UALICE', opened.blocks as Json[], 'client.reply', { channel: 'DALICE' });
    const view = h.fake.last('views.open').params.view as Json;
    await h.submit('UALICE', view, { message: 'Still down' });
    const all = await db.db.select().from(messages).where(eq(messages.ticketId, id));
    expect(all.map((m) => m.body)).toEqual(['My VPS does not boot', 'Still down']);
  });

  it('/support new opens a ticket; a paid department without support tickets is a field error; buying fixes it', async () => {
    await support('UALICE', 'new');
    const view = h.lastView();
    const paid = await h.submit('UALICE', view, {
      client_department: String(h.w.ids.paid.id),
      name: 'Urgent',
      message: 'please',
      client_priority: '2',
    });
    expect(paid.json()).toMatchObject({
      response_action: 'errors',
      errors: { client_department: expect.stringContaining('paid support') },
    });
    await support('UALICE', '');
    await h.click('UALICE', answer().blocks as Json[], 'client.buy', { channel: 'DALICE' });
    const buy = h.lastView();
    const tooMany = await h.submit('UALICE', buy, { count: '100' });
    expect(tooMany.json()).toMatchObject({ errors: { count: expect.stringContaining('balance') } });
    await h.submit('UALICE', buy, { count: '1' }, 'V-buy-2');
    const acme = firstOf(await db.db.select().from(clients).where(eq(clients.id, h.w.ids.acme.id)));
    expect(acme.incidents).toBe(1);
    await h.submit(
      'UALICE',
      view,
      { client_department: String(h.w.ids.paid.id), name: 'Urgent', message: 'please', client_priority: '2' },
      'V-new-2',
    );
    expect((await db.db.select().from(tickets)).map((t) => t.name)).toEqual(['Urgent']);
  });

  it('archives closed tickets', async () => {
    const id = await h.w.openTicket();
    await h.w.run(h.w.as.admin, 'ticket.delete', { elid: String(id), sok: 'ok' });
    await support('UALICE', '');
    await h.click('UALICE', answer().blocks as Json[], 'client.archive', { channel: 'DALICE' });
    expect(firstOf(await db.db.select().from(tickets).where(eq(tickets.id, id))).status).toBe(10);
  });

  it('a link code links a Slack user to a client user, once', async () => {
    await h.command('UADMIN', 'link bob');
    const code = /`([A-Z0-9_-]+)`/.exec(answer().text)?.[1] as string;
    h.fake.addUser({ id: 'UBOB', name: 'Bob', team_id: 'T0GLOBEX', is_stranger: true });
    await support('UBOB', '');
    expect(answer().text).toContain('not linked');
    await support('UBOB', `link ${code}`);
    expect(answer().text).toContain('Bob Globex');
    await support('UBOB', '');
    expect(answer().text).toBe('Your tickets: 0 tickets');
    await support('UCOLL', `link ${code}`);
    expect(answer().text).toContain('unknown or has expired');
  });

  it('in a bound Slack Connect channel, the client’s people act as the client; our colleagues do not', async () => {
    h.fake.shareChannel('CGLOBEX', ['T0OTHER']);
    await h.command('UROOT', 'bind globex', { channel: 'CGLOBEX' });
    await support('USTRANGER', '', 'CGLOBEX');
    expect(answer().text).toBe('Your tickets: 0 tickets');
    const [sam] = await db.db.select().from(users).where(eq(users.slackUserId, 'USTRANGER'));
    expect(sam).toMatchObject({ level: 'user', clientId: h.w.ids.globex.id });
    await support('UCOLL', '', 'CGLOBEX');
    expect(answer().text).toContain('belongs to a client');
    await support('UADMIN', '', 'CGLOBEX');
    expect(answer().text).toContain('staff use `/ticket`');
  });

  it('a Slack Connect user acts as the client only inside the bound channel, never from a DM', async () => {
    h.fake.shareChannel('CGLOBEX', ['T0OTHER']);
    await h.command('UROOT', 'bind globex', { channel: 'CGLOBEX' });
    await support('USTRANGER', '', 'CGLOBEX');
    expect(answer().text).toBe('Your tickets: 0 tickets');
    await support('USTRANGER', '', 'DSTRANGER');
    expect(answer().text).toContain('only in its shared channel');
    await support('USTRANGER', 'new', 'DSTRANGER');
    expect(JSON.stringify(h.lastView())).toContain('only in its shared channel');
    // Alice, linked by code to a client without a channel, still works anywhere.
    await support('UALICE', '', 'DALICE');
    expect(answer().text).toBe('Your tickets: 0 tickets');
  });

  it('in a channel shared with several organisations, only the bound client’s team acts as the client', async () => {
    h.fake.shareChannel('CGLOBEX', ['T0OTHER', 'T0ACME']);
    await h.command('UROOT', 'bind globex', { channel: 'CGLOBEX' });
    expect(answer().text).toContain('several organisations');
    await h.command('UROOT', 'bind globex T0OTHER', { channel: 'CGLOBEX' });
    expect(answer().text).toContain('members of Slack team T0OTHER');
    // Alice's organisation shares the channel too, but she is not Globex.
    await db.db.update(users).set({ slackUserId: null }).where(eq(users.slackUserId, 'UALICE'));
    await support('UALICE', '', 'CGLOBEX');
    expect(answer().text).toContain('belongs to a client');
    expect(await db.db.select().from(users).where(eq(users.slackUserId, 'UALICE'))).toEqual([]);
    await support('USTRANGER', '', 'CGLOBEX');
    expect(answer().text).toBe('Your tickets: 0 tickets');
  });

  it('help and unknown input get the usage', async () => {
    await support('UALICE', 'what');
    expect(answer().text).toContain('/support new');
  });
});

describe('messages modal', () => {
  it('edits, hides and splits from a message', async () => {
    const id = await h.w.openTicket();
    await h.w.run(h.w.as.alice, 'clientticket.edit', { elid: String(id), message: 'second', sok: 'ok' });
    await h.w.run(h.w.as.alice, 'clientticket.edit', { elid: String(id), message: 'third', sok: 'ok' });
    await h.runJobs();
    const card = h.fake.of('chat.postMessage').find((c) => !c.params.thread_ts)?.params.blocks as Json[];
    await h.click('UADMIN', card, 'card.messages');
    const list = { ...h.lastView(), id: 'VLIST' };
    const [m1, m2, m3] = exactly(
      await db.db.select().from(messages).where(eq(messages.ticketId, id)).orderBy(messages.id),
      3,
      'message',
    );
    await h.click('UADMIN', list.blocks, 'message.edit', { view: list }, `${m1.id}:${id}`);
    expect(h.fake.last('views.push')).toBeDefined();
    const edit = { ...h.lastView(), previous_view_id: 'VLIST' };
    await h.submit('UADMIN', edit, { message: 'first, edited' });
    expect(h.fake.last('views.update').params.view_id).toBe('VLIST');
    await h.click('UADMIN', list.blocks, 'message.hide', { view: list }, `${m2.id}:${id}`);
    const afterHide = await db.db.select().from(messages).where(eq(messages.id, m2.id));
    expect(firstOf(afterHide).hidden).toBe(true);
    await h.click('UADMIN', list.blocks, 'message.split', { view: list }, `${m3.id}:${id}`);
    expect(JSON.stringify(h.lastView())).toContain('New ticket #');
    const moved = await db.db.select().from(messages).where(eq(messages.id, m3.id));
    expect(firstOf(moved).ticketId).not.toBe(id);
    expect(firstOf(await db.db.select().from(messages).where(eq(messages.id, m1.id))).body).toBe(
      'first, edited',
    );
    // The first message offers no split: it would leave the ticket empty.
    expect(() => findElement(list.blocks, 'message.split', `${m1.id}:${id}`)).toThrow();
  });
});

describe('App Home', () => {
  it("shows a staff member's own queue: locked, assigned, favorites, overdue", async () => {
    const locked = await h.w.openTicket({ name: 'Locked one' });
    const assigned = await h.w.openTicket({ name: 'Assigned one' });
    await h.w.run(h.w.as.admin, 'ticket.edit', { elid: String(locked) });
    await h.w.run(h.w.as.root, 'ticket.edit', {
      elid: String(assigned),
      responsible: String(h.w.ids.admin.id),
      sok: 'ok',
    });
    h.w.clock.advance(3 * 24 * 3600_000);
    await h.event({ type: 'app_home_opened', user: 'UADMIN', channel: 'DADMIN', tab: 'home' });
    const home = h.fake.last('views.publish').params as Json;
    expect(home.user_id).toBe('UADMIN');
    const text = JSON.stringify(home.view.blocks);
    expect(text).toContain('Locked by me* (0)'); // the lock expired with the clock
    expect(text).toContain('Assigned to me* (1)');
    expect(text).toContain('Overdue* (2)');
    await h.click('UADMIN', home.view.blocks, 'home.refresh', { view: { id: 'VHOME' } });
    expect(h.fake.of('views.publish')).toHaveLength(2);
  });

  it('clients get directions instead', async () => {
    await h.event({ type: 'app_home_opened', user: 'UALICE', channel: 'DALICE', tab: 'home' });
    expect(JSON.stringify(h.fake.last('views.publish').params)).toContain('/support');
  });
});

import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { clients, messages, ticketCards } from '../../db/schema.ts';
import { type Json, useSlackHarness } from '../helpers/slack-harness.ts';

/** Clients and outsiders are told where they stand, never left in silence or given staff tools. */
const { db, h } = useSlackHarness();
let id: number;
let card: Json[];
const at = { channel: 'CSUPPORT', ts: '1.1' };
beforeEach(async () => {
  id = await h.w.openTicket();
  await h.runJobs();
  card = h.fake.of('chat.postMessage').find((c) => !c.params.thread_ts)?.params.blocks as Json[];
  h.fake.clear();
});

describe('non-staff in Slack', () => {
  it('when users.info fails, a client in a bound channel is asked to try again, ephemerally', async () => {
    await db.db
      .update(clients)
      .set({ slackChannel: 'CACME', slackTeam: 'T0ACME' })
      .where(eq(clients.id, h.w.ids.acme.id));
    h.fake.addUser({ id: 'UBOB', name: 'Bob Acme', team_id: 'T0ACME', is_stranger: true });
    h.fake.failNext('users.info', { error: 'fatal_error' });
    await h.command('UBOB', '', { command: '/support', channel: 'CACME' });
    const told = h.fake.last('response_url').params;
    expect(told.response_type).toBe('ephemeral');
    expect(told.text).toContain('Slack could not tell us who you are; try again in a minute');
  });

  it("the card's Reply pressed by a client is refused at once, ephemerally, without the staff modal", async () => {
    await h.click('UALICE', card, 'card.reply', at);
    expect(h.fake.of('views.open')).toHaveLength(0);
    const told = h.fake.last('response_url').params;
    expect(told.response_type).toBe('ephemeral');
    expect(told.text).toContain('for staff');
  });

  it("the card's Reply pressed by a client in their direct message opens the client's reply modal", async () => {
    await h.click('UALICE', card, 'card.reply', { channel: 'DALICE', ts: '2.2' });
    const view = h.fake.last('views.open').params.view as Json;
    expect(view.callback_id).toBe('client_reply');
    await h.submit('UALICE', view, { message: 'from my DM' });
    const all = await db.db.select().from(messages).where(eq(messages.ticketId, id));
    expect(all.at(-1)).toMatchObject({ body: 'from my DM', fromStaff: false });
  });

  it("the card's Reply pressed by an outsider is refused", async () => {
    await h.click('USTRANGER', card, 'card.reply', at);
    expect(h.fake.of('views.open')).toHaveLength(0);
    expect(h.fake.last('response_url').params.text).toContain('not registered as staff');
  });

  it("a client's message in a card's thread is refused visibly, to that client only", async () => {
    const [posted] = await db.db.select().from(ticketCards).where(eq(ticketCards.ticketId, id));
    await h.event({
      type: 'message',
      channel: 'CSUPPORT',
      user: 'UALICE',
      text: 'can I write here?',
      ts: '5.5',
      thread_ts: posted?.ts,
    });
    const refusal = h.fake.last('chat.postEphemeral').params;
    expect(refusal).toMatchObject({ channel: 'CSUPPORT', user: 'UALICE' });
    expect(String(refusal.text)).toContain('not added');
    const all = await db.db.select().from(messages).where(eq(messages.ticketId, id));
    expect(all.map((m) => m.body)).not.toContain('can I write here?');
  });
});

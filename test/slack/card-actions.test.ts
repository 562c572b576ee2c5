import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { auditLog, clients, expenses, messages, tickets, violations } from '../../db/schema.ts';
import { firstOf, one } from '../helpers/rows.ts';
import { type Json, useSlackHarness } from '../helpers/slack-harness.ts';

const { db, h } = useSlackHarness();
let id: number;
let card: { blocks: Json[]; ts: string };
beforeEach(async () => {
  id = await h.w.openTicket();
  await h.runJobs();
  const posted = h.fake.of('chat.postMessage').find((c) => !c.params.thread_ts);
  card = { blocks: posted?.params.blocks as Json[], ts: '1.1' };
  h.fake.clear();
});

const ticket = async () => one(await db.db.select().from(tickets).where(eq(tickets.id, id)));
const at = { channel: 'CSUPPORT', ts: '1.1' };
/** Clicks a card button that opens a loading modal, and returns the modal it became. */
async function openModal(user: string, action: string): Promise<Json> {
  const res = await h.click(user, card.blocks, action, at);
  expect(res.status).toBe(200);
  expect(h.fake.of('views.open')).toHaveLength(1);
  return h.fake.of('views.update').at(-1)?.params.view ?? h.fake.last('views.open').params.view;
}

describe('card buttons and modals', () => {
  it('Reply to the client, then close: message sent, ticket closed, user told', async () => {
    const view = await openModal('UADMIN', 'card.reply');
    expect(view.callback_id).toBe('reply');
    const res = await h.submit('UADMIN', view, {
      message: 'Fixed **it**',
      reply_to: 'client',
      close_after: ['close'],
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    const t = await ticket();
    expect(t.status).toBe(3);
    const all = await db.db.select().from(messages).where(eq(messages.ticketId, id));
    expect(all.at(-1)).toMatchObject({ body: 'Fixed **it**', internal: false, fromStaff: true });
    expect(h.fake.last('chat.postEphemeral').params).toMatchObject({ channel: 'CSUPPORT', user: 'UADMIN' });
  });

  it('Reply then close on a ticket closed meanwhile: the reply is sent once, the user told, a resubmit does nothing', async () => {
    const view = await openModal('UADMIN', 'card.reply');
    // A colleague closes the ticket right after the reply commits, before the modal's own close.
    const database = h.w.deps.db;
    const transaction = database.transaction.bind(database);
    let raced = false;
    database.transaction = (async (work: never) => {
      const result = await transaction(work);
      const replied = await database.select().from(messages).where(eq(messages.body, 'Done here'));
      if (!raced && replied.length > 0) {
        raced = true;
        await h.w.run(h.w.as.root, 'ticket.delete', { elid: String(id), sok: 'ok' });
      }
      return result;
    }) as typeof database.transaction;
    const values = { message: 'Done here', reply_to: 'client', close_after: ['close'] };
    try {
      const res = await h.submit('UADMIN', view, values);
      expect(res.text).toBe('');
    } finally {
      database.transaction = transaction;
    }
    expect(raced).toBe(true);
    expect((await ticket()).status).toBe(3);
    const told = String(h.fake.last('chat.postEphemeral').params.text);
    expect(told).toContain('Reply sent');
    expect(told).toContain('already closed');
    await h.submit('UADMIN', view, values);
    const sent = await db.db.select().from(messages).where(eq(messages.body, 'Done here'));
    expect(sent).toHaveLength(1);
  });

  it('Reply as internal note never reaches the client', async () => {
    const view = await openModal('UADMIN', 'card.reply');
    await h.submit('UADMIN', view, { message: 'between us', reply_to: 'note' });
    const all = await db.db.select().from(messages).where(eq(messages.ticketId, id));
    expect(all.at(-1)).toMatchObject({ body: 'between us', internal: true });
    const seen = await h.w.run(h.w.as.alice, 'clientticket.edit', { elid: String(id) });
    expect(seen.kind === 'form' && seen.messages?.map((m) => m.body)).toEqual(['My VPS does not boot']);
  });

  it('Reply while another staff member holds the lock: field error on the message', async () => {
    await h.w.run(h.w.as.root, 'ticket.edit', { elid: String(id) });
    const view = await openModal('UADMIN', 'card.reply');
    const res = await h.submit('UADMIN', view, { message: 'hello', reply_to: 'client' });
    expect(res.json()).toEqual({
      response_action: 'errors',
      errors: { message: expect.stringContaining('is being answered by Rita Root') },
    });
  });

  it('Priority: raise, set priorities; bad input comes back on its field', async () => {
    const view = await openModal('UADMIN', 'card.priority');
    expect(view.callback_id).toBe('priority');
    await h.submit('UADMIN', view, { priority: '2', client_priority: '0', high_priority: 'raise' });
    expect(await ticket()).toMatchObject({ priority: 2, clientPriority: 0, highPriority: true });
    const res = await h.submit('UADMIN', view, { priority: '7', high_priority: 'reset' }, 'V-other');
    expect(res.json()).toMatchObject({
      response_action: 'errors',
      errors: { priority: expect.stringContaining('must be 0') },
    });
    expect((await ticket()).highPriority).toBe(true);
  });

  it('Abuse registers a violation; a bad score is a field error', async () => {
    const view = await openModal('UADMIN', 'card.abuse');
    const bad = await h.submit('UADMIN', view, { score: 'lots', action: 'warn' });
    expect(bad.json()).toMatchObject({ response_action: 'errors', errors: { score: expect.any(String) } });
    await h.submit('UADMIN', view, { score: '10', score_note: 'spam', action: 'warn' }, 'V-2');
    const [v] = await db.db.select().from(violations);
    expect(v).toMatchObject({ score: 10, note: 'spam', action: 'warn', ticketId: id });
  });

  it("Deadline is read in the staff member's time zone", async () => {
    const view = await openModal('UADMIN', 'card.deadline');
    expect(JSON.stringify(view)).toContain('Europe/Berlin');
    await h.submit('UADMIN', view, { deadline_date: '2026-03-05', deadline_time: '12:00' });
    expect((await ticket()).deadline?.toISOString()).toBe('2026-03-05T11:00:00.000Z');
  });

  it('Assign to a staff member; a department of another provider is refused on its field', async () => {
    const view = await openModal('UADMIN', 'card.assign');
    await h.submit('UADMIN', view, {
      client_department: String(h.w.ids.support.id),
      responsible: String(h.w.ids.root.id),
    });
    expect((await ticket()).responsibleId).toBe(h.w.ids.root.id);
    const res = await h.submit(
      'UADMIN',
      view,
      { client_department: String(h.w.ids.foreign.id), responsible: '0' },
      'V-2',
    );
    expect(res.json()).toMatchObject({
      response_action: 'errors',
      errors: { client_department: expect.any(String) },
    });
  });

  it('Charge debits the client, past the balance too (as BILLmanager); a bad amount is a field error', async () => {
    const view = await openModal('UADMIN', 'card.charge');
    const res = await h.submit('UADMIN', view, { ticket_expense: 'lots' });
    expect(res.json()).toMatchObject({ errors: { ticket_expense: expect.stringContaining('amount') } });
    await h.submit('UADMIN', view, { ticket_expense: '125.50' }, 'V-2');
    const c = firstOf(await db.db.select().from(clients).where(eq(clients.id, h.w.ids.acme.id)));
    expect(c.balance).toBe('-25.50');
    expect(await db.db.select().from(expenses)).toHaveLength(1);
  });

  it('the same modal submitted twice is applied once', async () => {
    const view = await openModal('UADMIN', 'card.charge');
    await h.submit('UADMIN', view, { ticket_expense: '10' }, 'V-same');
    await h.submit('UADMIN', view, { ticket_expense: '10' }, 'V-same');
    expect(await db.db.select().from(expenses)).toHaveLength(1);
  });

  it('Close (after Slack asked for confirmation); a double click closes once, silently', async () => {
    const close = card.blocks
      .flatMap((b: Json) => b.elements ?? [])
      .find((e: Json) => e.action_id === 'card.close');
    expect(close.confirm.title.text).toBe('Close ticket');
    await h.click('UADMIN', card.blocks, 'card.close', at);
    await h.click('UADMIN', card.blocks, 'card.close', at);
    expect((await ticket()).status).toBe(3);
    const closes = await db.db.select().from(auditLog).where(eq(auditLog.func, 'ticket.delete'));
    expect(closes).toHaveLength(1);
    expect(h.fake.of('response_url').map((c) => c.params.text)).toEqual([`#${id} closed.`]);
  });

  it('Favorite toggles per staff member and says which way', async () => {
    await h.click('UADMIN', card.blocks, 'card.favorite', at);
    expect(h.fake.last('response_url').params.text).toContain('is one of your favorites');
    h.w.clock.advance(10_000);
    await h.click('UADMIN', card.blocks, 'card.favorite', at);
    expect(h.fake.last('response_url').params.text).toContain('no longer a favorite');
  });

  it('Unblock releases the lock', async () => {
    await h.w.run(h.w.as.root, 'ticket.edit', { elid: String(id) });
    await h.runJobs();
    // The card shows Unblock only while the ticket is locked.
    const locked = h.fake.last('chat.update').params.blocks as Json[];
    expect(JSON.stringify(card.blocks)).not.toContain('card.unblock');
    await h.click('UADMIN', locked, 'card.unblock', at);
    expect((await ticket()).lockedBy).toBeNull();
  });

  it("Log in as client shows the client's own list, and is audited", async () => {
    const view = await openModal('UADMIN', 'card.su');
    expect(view.callback_id).toBe('client_view');
    expect(JSON.stringify(view.blocks)).toContain('Server down');
    const su = await db.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.func, 'ticket.su'), eq(auditLog.ticketId, id)));
    expect(su).toHaveLength(1);
  });

  it('clients and external users clicking staff buttons are refused', async () => {
    const view = await openModal('UALICE', 'card.priority');
    expect(JSON.stringify(view)).toContain('/ticket` is for staff');
    h.fake.clear();
    await h.click('USTRANGER', card.blocks, 'card.close', at);
    expect(h.fake.last('response_url').params.text).toContain('not registered as staff');
    expect((await ticket()).status).toBe(0);
  });
});

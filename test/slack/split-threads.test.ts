import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { messages, ticketCards, tickets } from '../../db/schema.ts';
import { nth, one } from '../helpers/rows.ts';
import { type Json, useSlackHarness } from '../helpers/slack-harness.ts';

const { db, h } = useSlackHarness();

const cardOf = async (id: number) =>
  one(await db.db.select().from(ticketCards).where(eq(ticketCards.ticketId, id)), 'card');
const threadOf = async (id: number) => {
  const card = await cardOf(id);
  return h.fake.thread(card.channel, card.ts);
};

describe('a split leaves complete threads on both sides', () => {
  it("the new ticket's thread has the moved messages; the old thread marks them moved, pointing there", async () => {
    const id = await h.w.openTicket();
    await h.w.run(h.w.as.alice, 'clientticket.edit', { elid: String(id), message: 'Also my DNS', sok: 'ok' });
    await h.w.run(h.w.as.admin, 'ticket.edit', { elid: String(id), note_message: 'DNS is ours', sok: 'ok' });
    await h.runJobs();
    const all = await db.db.select().from(messages).where(eq(messages.ticketId, id)).orderBy(messages.id);
    const [m1, m2, m3] = [nth(all, 0), nth(all, 1), nth(all, 2)];
    h.w.clock.advance(30 * 60_000);

    // Split from the second message, from the card's Messages modal.
    const card = h.fake.workspace.find('CSUPPORT', (await cardOf(id)).ts);
    await h.click('UADMIN', card?.blocks as Json[], 'card.messages');
    const list = { ...h.lastView(), id: 'VLIST' };
    await h.click('UADMIN', list.blocks, 'message.split', { view: list }, `${m2.id}:${id}`);
    await h.runJobs();

    const created = one(await db.db.select().from(tickets).where(eq(tickets.splitFrom, id)), 'split ticket');
    const newThread = (await threadOf(created.id)).map((m) => m.text);
    expect(newThread).toHaveLength(2);
    expect(newThread[0]).toMatch(
      /^\*Alice Acme\* \(client\) wrote · <!date.*\|2026-03-02 10:00 UTC>\nAlso my DNS$/,
    );
    expect(newThread[1]).toMatch(
      /^:lock: \*Internal note\* by Adam Admin \(staff only\) · <!date.*\nDNS is ours$/,
    );

    const oldThread = await threadOf(id);
    expect(oldThread.map((m) => m.text)).toEqual([
      '*Alice Acme* (client) wrote\nMy VPS does not boot',
      `*Alice Acme* (client) wrote\nAlso my DNS\n:arrow_right_hook: _Moved to ticket #${created.id} (split)_`,
      `:lock: *Internal note* by Adam Admin (staff only)\nDNS is ours\n:arrow_right_hook: _Moved to ticket #${created.id} (split)_`,
    ]);
    // The marked copies are no longer the old ticket's: its thread catching up leaves them be.
    expect(oldThread.map((m) => m.metadata?.event_type)).toEqual([
      'ticket_message',
      'ticket_message_moved',
      'ticket_message_moved',
    ]);
    expect(m1.id).toBeLessThan(m3.id);

    // Later edits of a moved message reach its copy in the new thread, not the marked one.
    await h.w.run(h.w.as.admin, 'ticket.message.edit', {
      plid: String(created.id),
      elid: String(m2.id),
      message: 'Also my DNS (edited)',
      sok: 'ok',
    });
    await h.runJobs();
    expect((await threadOf(created.id))[0]?.text).toContain('Also my DNS (edited)');
    expect((await threadOf(id))[1]?.text).not.toContain('(edited)');
  });
});

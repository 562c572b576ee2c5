import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { departments, staffDepartments, ticketCards } from '../../db/schema.ts';
import { firstOf, one, present } from '../helpers/rows.ts';
import { type Json, useSlackHarness } from '../helpers/slack-harness.ts';
import { WEEKDAYS_9_TO_18 } from '../helpers/world.ts';

const { db, h } = useSlackHarness();

const cardOf = async (id: number) =>
  one(await db.db.select().from(ticketCards).where(eq(ticketCards.ticketId, id)), 'card');
const cardsIn = (channel: string) =>
  h.fake.messages.filter((m) => m.channel === channel && !m.thread_ts && m.bot_id && m.blocks);
const hasButtons = (blocks: Json[] | undefined) => (blocks ?? []).some((b) => b.type === 'actions');
const answer = () => h.fake.last('response_url').params as { text: string };
/** A channel only staff are in (the test channels start with everybody). */
const staffOnly = (channel: string) => {
  for (const outsider of ['UALICE', 'USTRANGER']) h.fake.workspace.channel(channel)?.members.delete(outsider);
};

async function billing(channel: string | null) {
  const rows = await db.db
    .insert(departments)
    .values({
      providerId: h.w.ids.provider.id,
      name: 'Billing',
      regulation: { '0': 480, '1': 240, '2': 60 },
      calendar: WEEKDAYS_9_TO_18,
      slackChannel: channel,
    })
    .returning();
  const dep = one(rows, 'department');
  await db.db.insert(staffDepartments).values({ userId: h.w.ids.admin.id, departmentId: dep.id });
  return dep;
}

describe("a ticket's card follows its department", () => {
  it('moving a ticket to another department marks the old card moved and posts a new card with the whole thread', async () => {
    const dep = await billing('C1');
    const id = await h.w.openTicket();
    await h.w.run(h.w.as.admin, 'ticket.edit', {
      elid: String(id),
      note_message: 'looks like billing',
      message: 'Passing you on',
      sok: 'ok',
    });
    await h.runJobs();
    const old = await cardOf(id);
    expect(old.channel).toBe('CSUPPORT');

    h.w.clock.advance(10 * 60_000);
    await h.w.run(h.w.as.root, 'ticket.edit', {
      elid: String(id),
      client_department: String(dep.id),
      sok: 'ok',
    });
    await h.runJobs();

    const moved = await cardOf(id);
    expect(moved.channel).toBe('C1');
    // The old card says where the ticket went, with no buttons left to press.
    const left = h.fake.workspace.find('CSUPPORT', old.ts);
    expect(left?.text).toContain(`#${id} Server down: Moved to Billing (<#C1>)`);
    expect(hasButtons(left?.blocks as Json[])).toBe(false);
    // The new card has its buttons and the whole thread, in order, each with author and time.
    const [card] = cardsIn('C1');
    expect(card?.ts).toBe(moved.ts);
    expect(JSON.stringify(card?.blocks)).toContain('card.reply');
    const thread = h.fake.thread('C1', moved.ts).map((m) => m.text);
    expect(thread).toHaveLength(3);
    expect(thread[0]).toMatch(
      /^\*Alice Acme\* \(client\) wrote · <!date\^\d+\^.*\|2026-03-02 10:00 UTC>\nMy VPS does not boot$/,
    );
    expect(thread[1]).toMatch(
      /^:lock: \*Internal note\* by Adam Admin \(staff only\) · <!date.*\nlooks like billing$/,
    );
    expect(thread[2]).toMatch(/^\*Adam Admin\* \(staff\) replied to the client · <!date.*\nPassing you on$/);

    // Later changes reach the new card only; new messages go to the new thread.
    h.fake.clear();
    await h.w.run(h.w.as.alice, 'clientticket.edit', { elid: String(id), message: 'thanks', sok: 'ok' });
    await h.runJobs();
    expect(h.fake.of('chat.update').every((c) => c.params.channel === 'C1')).toBe(true);
    expect(h.fake.thread('C1', moved.ts).map((m) => m.text)).toHaveLength(4);
    expect(h.fake.thread('CSUPPORT', old.ts)).toHaveLength(3);
  });

  it('moving to a department without a channel leaves the old card saying so', async () => {
    const dep = await billing(null);
    const id = await h.w.openTicket();
    await h.runJobs();
    const old = await cardOf(id);
    await h.w.run(h.w.as.root, 'ticket.edit', {
      elid: String(id),
      client_department: String(dep.id),
      sok: 'ok',
    });
    await h.runJobs();
    const left = h.fake.workspace.find('CSUPPORT', old.ts);
    expect(left?.text).toContain('Moved to Billing (no Slack channel)');
    expect(hasButtons(left?.blocks as Json[])).toBe(false);
    expect(await db.db.select().from(ticketCards).where(eq(ticketCards.ticketId, id))).toEqual([]);
  });
});

describe('an import that changes the department', () => {
  it('moves a card the ticket already has, and posts none for a ticket without one', async () => {
    const dep = await billing('C1');
    const imported = (external_id: string, department: number) =>
      h.w.run(h.w.as.root, 'ticket.import', {
        external_id,
        account: String(h.w.ids.acme.id),
        department: String(department),
        name: `Imported ${external_id}`,
        tstatus: '0',
        messages: JSON.stringify([
          {
            external_id: `${external_id}-m1`,
            type: 'incoming',
            body: 'From the old system',
            date: '2026-03-01 09:00:00',
          },
        ]),
      });
    const worked = await imported('T-1', h.w.ids.support.id);
    await imported('T-2', h.w.ids.support.id);
    const id = worked.kind === 'ok' ? Number(worked.id) : 0;
    await h.w.run(h.w.as.admin, 'ticket.edit', { elid: String(id), priority: '2', sok: 'ok' });
    await h.runJobs();
    const old = await cardOf(id);
    expect(old.channel).toBe('CSUPPORT');

    await imported('T-1', dep.id);
    await imported('T-2', dep.id);
    await h.runJobs();
    expect((await cardOf(id)).channel).toBe('C1');
    expect(h.fake.workspace.find('CSUPPORT', old.ts)?.text).toContain('Moved to Billing (<#C1>)');
    expect(h.fake.thread('C1', (await cardOf(id)).ts).map((m) => m.text)).toEqual([
      expect.stringContaining('From the old system'),
    ]);
    // The other imported ticket was never worked: still no card anywhere.
    expect(cardsIn('C1')).toHaveLength(1);
    expect(cardsIn('CSUPPORT').filter((m) => String(m.text).includes('T-2'))).toHaveLength(0);
  });
});

describe("a department's cards follow its channel", () => {
  // Twelve tickets and their cards twice over: slow on a loaded machine.
  it('/ticket channel re-posts the open tickets there, ten a minute, skips closed ones and says how many', {
    timeout: 120_000,
  }, async () => {
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) ids.push(await h.w.openTicket({ name: `Ticket ${i}` }));
    const closed = firstOf(ids);
    await h.w.run(h.w.as.admin, 'ticket.delete', { elid: String(closed), sok: 'ok' });
    await h.runJobs();
    const before = new Map(await Promise.all(ids.map(async (id) => [id, await cardOf(id)] as const)));
    staffOnly('C2');

    await h.command('UROOT', `channel ${h.w.ids.support.id}`, { channel: 'C2' });
    expect(answer().text).toContain('11 open tickets to post here, 10 a minute');
    // Nothing is posted by the command itself: the cards are jobs.
    expect(cardsIn('C2')).toHaveLength(0);
    await h.runJobs();
    expect(cardsIn('C2')).toHaveLength(10);
    h.w.clock.advance(60_000);
    await h.runJobs();
    expect(cardsIn('C2')).toHaveLength(11);
    h.w.clock.advance(60_000);
    await h.runJobs();

    const notices = h.fake.messages.filter((m) => m.channel === 'C2' && !m.blocks && !m.thread_ts);
    expect(notices.map((m) => m.text)).toEqual([
      'Cards of Support now come here: posted 11 open tickets. Closed and archived tickets were not posted.',
    ]);
    for (const id of ids.slice(1)) {
      const now = await cardOf(id);
      expect(now.channel).toBe('C2');
      // Each new card has its thread; each old one says it moved.
      expect(h.fake.thread('C2', now.ts)).toHaveLength(1);
      expect(h.fake.workspace.find('CSUPPORT', present(before.get(id), 'old card').ts)?.text).toContain(
        'Moved to Support (<#C2>)',
      );
    }
    // The closed ticket's card stays where it was, as it was.
    expect((await cardOf(closed)).channel).toBe('CSUPPORT');
    expect(cardsIn('C2').some((m) => String(m.text).startsWith(`#${closed} `))).toBe(false);
  });
});

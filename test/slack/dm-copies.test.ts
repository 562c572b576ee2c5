import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { messages, replyCopies, ticketCards } from '../../db/schema.ts';
import { type Json, useSlackHarness } from '../helpers/slack-harness.ts';

const { db, h } = useSlackHarness();

/** The copies the client holds now, as Slack shows them: in Alice's DM and the bound channel. */
const copiesIn = (channel: string) =>
  h.fake.messages.filter((m) => m.channel === channel && m.bot_id).map((m) => m as Json);

async function replied(id: number, text: string) {
  await h.w.run(h.w.as.admin, 'ticket.edit', { elid: String(id), message: text, sok: 'ok' });
  await h.runJobs();
  const [reply] = await db.db.select().from(messages).where(eq(messages.body, text));
  return reply as NonNullable<typeof reply>;
}

/** The card's Messages modal, as the admin opens it. */
async function messagesModal(id: number) {
  const [card] = await db.db.select().from(ticketCards).where(eq(ticketCards.ticketId, id));
  const posted = h.fake.workspace.find('CSUPPORT', card?.ts ?? '');
  await h.click('UADMIN', posted?.blocks as Json[], 'card.messages');
  return { ...h.lastView(), id: 'VLIST' };
}

describe("the client's copy of a staff reply follows the reply", () => {
  it('an edit from the Messages modal updates the DM copy, marked edited; the mapping is kept', async () => {
    const id = await h.w.openTicket();
    const reply = await replied(id, 'Rebooted it');
    const [dm] = copiesIn('DALICE');
    expect(dm?.text).toContain('Rebooted it');
    expect(await db.db.select().from(replyCopies)).toEqual([
      { messageId: reply.id, channel: 'DALICE', ts: dm?.ts },
    ]);

    const list = await messagesModal(id);
    await h.click('UADMIN', list.blocks, 'message.edit', { view: list }, `${reply.id}:${id}`);
    await h.submit(
      'UADMIN',
      { ...h.lastView(), previous_view_id: 'VLIST' },
      { message: 'Rebooted it twice' },
    );
    await h.runJobs();

    const [after] = copiesIn('DALICE');
    expect(copiesIn('DALICE')).toHaveLength(1);
    expect(after?.ts).toBe(dm?.ts);
    expect(after?.text).toContain('Rebooted it twice');
    expect(after?.text).toContain('(edited)');
    expect(JSON.stringify(after?.blocks)).toContain('(edited)');
    // The copy keeps its Reply button.
    expect(JSON.stringify(after?.blocks)).toContain('client.reply');
  });

  it('hiding the reply withdraws every copy: the DM and the bound channel', async () => {
    h.fake.shareChannel('CACME', ['T0ACME']);
    await h.command('UROOT', 'bind acme', { channel: 'CACME' });
    const id = await h.w.openTicket();
    const reply = await replied(id, 'Sent to the wrong client');
    expect(copiesIn('CACME').map((m) => m.text)).toHaveLength(1);
    expect(copiesIn('DALICE')).toHaveLength(1);

    const list = await messagesModal(id);
    await h.click('UADMIN', list.blocks, 'message.hide', { view: list }, `${reply.id}:${id}`);
    await h.runJobs();

    for (const channel of ['CACME', 'DALICE']) {
      const [copy] = copiesIn(channel);
      expect(copy?.text).toBe('(this message was withdrawn)');
      expect(JSON.stringify(copy?.blocks)).not.toContain('wrong client');
    }
  });

  it('an edit made through the API reaches the copy too; a client message edit touches no copy', async () => {
    const id = await h.w.openTicket();
    const reply = await replied(id, 'Try now');
    h.fake.clear();
    const [first] = await db.db.select().from(messages).where(eq(messages.ticketId, id)).orderBy(messages.id);
    await h.w.run(h.w.as.admin, 'ticket.message.edit', {
      plid: String(id),
      elid: String(first?.id),
      message: 'My VPS does not boot at all',
      sok: 'ok',
    });
    await h.runJobs();
    expect(h.fake.of('chat.update').filter((c) => c.params.channel === 'DALICE')).toHaveLength(0);
    await h.w.run(h.w.as.admin, 'ticket.message.edit', {
      plid: String(id),
      elid: String(reply.id),
      message: 'Try now, please',
      sok: 'ok',
    });
    await h.runJobs();
    expect(copiesIn('DALICE')[0]?.text).toContain('Try now, please');
  });
});

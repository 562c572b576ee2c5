import { desc } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { messages } from '../../db/schema.ts';
import { type Json, useSlackHarness } from '../helpers/slack-harness.ts';

const { db, h } = useSlackHarness();

/** What the bot sent to a channel or user other than the staff channel. */
const sentTo = (channel: string) =>
  h.fake
    .of('chat.postMessage')
    .filter((c) => c.params.channel === channel)
    .map((c) => String(c.params.text));

describe('staff replies reach the client in Slack', () => {
  it('a reply is sent to the linked client user directly; notes and hidden replies never are', async () => {
    const id = await h.w.openTicket();
    await h.w.run(h.w.as.admin, 'ticket.edit', {
      elid: String(id),
      note_message: 'internal <!channel>',
      message: 'We **rebooted** it <!channel>',
      sok: 'ok',
    });
    await h.runJobs();
    const dms = sentTo('UALICE');
    expect(dms).toHaveLength(1);
    expect(dms[0]).toContain(`*Adam Admin* answered your ticket *#${id}* Server down:`);
    expect(dms[0]).toContain('*rebooted*');
    expect(dms[0]).not.toContain('<!channel>');
    expect(dms.join('\n')).not.toContain('internal');
    // The job running again (a retry) sends nothing more.
    await h.runJobs();
    expect(sentTo('UALICE')).toHaveLength(1);
  });

  it('a reply hidden before its job runs is not delivered', async () => {
    const id = await h.w.openTicket();
    await h.w.run(h.w.as.admin, 'ticket.edit', {
      elid: String(id),
      message: 'to the wrong client',
      sok: 'ok',
    });
    const list = await h.w.run(h.w.as.admin, 'ticket.message', { elid: String(id) });
    const reply = list.kind === 'list' ? list.rows.at(-1)?.id : undefined;
    await h.w.run(h.w.as.admin, 'ticket.message.delete', {
      elid: String(reply),
      plid: String(id),
      sok: 'ok',
    });
    await h.runJobs();
    expect(sentTo('UALICE')).toEqual([]);
  });

  it('a client bound to a Slack Connect channel gets the reply there, and users linked by code by DM', async () => {
    h.fake.shareChannel('CACME', ['T0ACME']);
    await h.command('UROOT', 'bind acme', { channel: 'CACME' });
    h.fake.addUser({ id: 'UBOB', name: 'Bob Acme', team_id: 'T0ACME', is_stranger: true });
    await h.command('UBOB', '', { command: '/support', channel: 'CACME' });
    const id = await h.w.openTicket();
    await h.w.run(h.w.as.admin, 'ticket.edit', { elid: String(id), message: 'Done', sok: 'ok' });
    await h.runJobs();
    const text = `*Adam Admin* answered your ticket *#${id}* Server down:\nDone\n_Reply with_ \`/support ${id}\``;
    expect(sentTo('CACME')).toEqual([text]);
    // Alice was linked by code and is not in the channel: she is not cut off.
    expect(sentTo('UALICE')).toEqual([text]);
    // Bob became a client user by writing in the channel: he reads the reply there.
    expect(sentTo('UBOB')).toEqual([]);
    // Alice answers from her DM; Bob cannot act for ACME outside the channel.
    const dm = h.fake.of('chat.postMessage').find((c) => c.params.channel === 'UALICE');
    await h.click('UALICE', dm?.params.blocks as Json[], 'client.reply', { channel: 'DALICE' });
    await h.submit('UALICE', h.fake.last('views.open').params.view as Json, { message: 'From my DM' });
    await h.command('UBOB', '', { command: '/support', channel: 'DBOB' });
    expect(h.fake.last('response_url').params.text).toContain('only in its shared channel');
    const [last] = await db.db.select().from(messages).orderBy(desc(messages.id)).limit(1);
    expect(last).toMatchObject({ ticketId: id, body: 'From my DM' });
  });

  it('the delivered reply carries a Reply button that works from the DM', async () => {
    const id = await h.w.openTicket();
    await h.w.run(h.w.as.admin, 'ticket.edit', { elid: String(id), message: 'Try now', sok: 'ok' });
    await h.runJobs();
    const dm = h.fake.of('chat.postMessage').find((c) => c.params.channel === 'UALICE');
    await h.click('UALICE', dm?.params.blocks as Json[], 'client.reply', { channel: 'DALICE' });
    const modal = h.fake.last('views.open').params.view as Json;
    expect(modal.callback_id).toBe('client_reply');
    await h.submit('UALICE', modal, { message: 'Works, thanks' });
    const [last] = await db.db.select().from(messages).orderBy(desc(messages.id)).limit(1);
    expect(last).toMatchObject({ ticketId: id, body: 'Works, thanks', fromStaff: false });
  });
});

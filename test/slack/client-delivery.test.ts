import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { clients } from '../../db/schema.ts';
import { useSlackHarness } from '../helpers/slack-harness.ts';

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

  it('a client bound to a Slack Connect channel gets the reply there instead of DMs', async () => {
    await db.db.update(clients).set({ slackChannel: 'CACME' }).where(eq(clients.id, h.w.ids.acme.id));
    const id = await h.w.openTicket();
    await h.w.run(h.w.as.admin, 'ticket.edit', { elid: String(id), message: 'Done', sok: 'ok' });
    await h.runJobs();
    expect(sentTo('CACME')).toEqual([
      `*Adam Admin* answered your ticket *#${id}* Server down:\nDone\n_Reply with_ \`/support ${id}\``,
    ]);
    expect(sentTo('UALICE')).toEqual([]);
  });
});

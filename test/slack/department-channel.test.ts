import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { departments, ticketCards } from '../../db/schema.ts';
import { useSlackHarness } from '../helpers/slack-harness.ts';

const { db, h } = useSlackHarness();

const answer = () => h.fake.last('response_url').params as { text: string };
const channelOf = async (departmentId: number) =>
  (await db.db.select().from(departments).where(eq(departments.id, departmentId)))[0]?.slackChannel;
const members = (channel: string) => {
  const c = h.fake.workspace.channel(channel);
  if (!c) throw new Error(`no channel ${channel}`);
  return c.members;
};
/** A channel only staff are in (the test channels start with everybody). */
const staffOnly = (channel: string) => {
  for (const outsider of ['UALICE', 'USTRANGER']) members(channel).delete(outsider);
};
const addGuest = () => h.fake.addUser({ id: 'UGUEST', name: 'Gina Guest', is_restricted: true });

describe('a department channel is a channel only staff read', () => {
  it('/ticket channel is refused where a linked client user, an external user or a guest is a member', async () => {
    const paid = h.w.ids.paid.id;
    await h.command('UROOT', `channel ${paid}`, { channel: 'C1' });
    expect(answer().text).toContain('<@UALICE> (a user of client ACME Ltd) is a member of this channel');

    staffOnly('C2');
    members('C2').add('USTRANGER');
    await h.command('UROOT', `channel ${paid}`, { channel: 'C2' });
    expect(answer().text).toContain('<@USTRANGER> (from another organisation (Slack Connect))');

    staffOnly('C2');
    addGuest();
    members('C2').add('UGUEST');
    await h.command('UROOT', `channel ${paid}`, { channel: 'C2' });
    expect(answer().text).toContain('<@UGUEST> (a guest of the workspace)');
    expect(await channelOf(paid)).toBeNull();

    members('C2').delete('UGUEST');
    await h.command('UROOT', `channel ${paid}`, { channel: 'C2' });
    expect(answer().text).toContain('now go to this channel');
    expect(await channelOf(paid)).toBe('C2');
  });

  it('every page of members is checked', async () => {
    staffOnly('CSTAFF');
    for (let i = 0; i < 230; i++) {
      const id = `UCOL${String(i).padStart(3, '0')}`;
      h.fake.addUser({ id, name: `Colleague ${i}` });
      members('CSTAFF').add(id);
    }
    addGuest();
    members('CSTAFF').add('UGUEST');
    await h.command('UROOT', `channel ${h.w.ids.paid.id}`, { channel: 'CSTAFF' });
    expect(answer().text).toContain('<@UGUEST> (a guest of the workspace)');
    const pages = h.fake.of('conversations.members');
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.at(-1)?.params.cursor).toBeTruthy();
    expect(await channelOf(h.w.ids.paid.id)).toBeNull();
  });

  it('a Slack Connect channel is refused even when a root insists', async () => {
    staffOnly('C2');
    h.fake.shareChannel('C2', ['T0OTHER']);
    await h.command('UROOT', `channel ${h.w.ids.paid.id} allow-external`, { channel: 'C2' });
    expect(answer().text).toContain('shared with another organisation');
    expect(await channelOf(h.w.ids.paid.id)).toBeNull();
  });
});

describe('someone who must not read a department channel joins it', () => {
  it('posting there stops, the roots are told, and a root checking the channel again resumes it', async () => {
    staffOnly('CSUPPORT');
    const id = await h.w.openTicket();
    await h.runJobs();
    const [card] = await db.db.select().from(ticketCards).where(eq(ticketCards.ticketId, id));

    // A colleague joining changes nothing.
    await h.event({ type: 'member_joined_channel', user: 'UCOLL', channel: 'CSUPPORT', channel_type: 'C' });
    expect(h.fake.of('chat.postMessage').filter((c) => c.params.channel === 'UROOT')).toHaveLength(0);

    addGuest();
    members('CSUPPORT').add('UGUEST');
    await h.event({ type: 'member_joined_channel', user: 'UGUEST', channel: 'CSUPPORT', channel_type: 'C' });
    const told = h.fake.of('chat.postMessage').filter((c) => c.params.channel === 'UROOT');
    expect(told).toHaveLength(1);
    expect(told[0]?.params.text).toContain(
      '<@UGUEST> (a guest of the workspace) joined <#CSUPPORT>, the channel of Support. I stopped posting ticket cards and threads there',
    );
    expect(told[0]?.params.text).toContain(`\`/ticket channel ${h.w.ids.support.id}\``);

    h.fake.clear();
    await h.w.run(h.w.as.alice, 'clientticket.edit', {
      elid: String(id),
      message: 'secret details',
      sok: 'ok',
    });
    await h.w.run(h.w.as.admin, 'ticket.edit', { elid: String(id), note_message: 'internal', sok: 'ok' });
    await h.w.openTicket({ name: 'Another one' });
    await h.runJobs();
    const intoChannel = h.fake.calls.filter(
      (c) => c.method.startsWith('chat.') && c.params.channel === 'CSUPPORT',
    );
    expect(intoChannel).toHaveLength(0);

    // Still there: the check refuses. Gone: posting resumes and the thread catches up.
    await h.command('UROOT', `channel ${h.w.ids.support.id}`, { channel: 'CSUPPORT' });
    expect(answer().text).toContain('a guest of the workspace');
    members('CSUPPORT').delete('UGUEST');
    await h.command('UROOT', `channel ${h.w.ids.support.id}`, { channel: 'CSUPPORT' });
    expect(answer().text).toContain('now go to this channel');
    await h.runJobs();
    expect(h.fake.thread('CSUPPORT', card?.ts ?? '').map((m) => m.text)).toEqual([
      '*Alice Acme* (client) wrote\nMy VPS does not boot',
      '*Alice Acme* (client) wrote\nsecret details',
      ':lock: *Internal note* by Adam Admin (staff only)\ninternal',
    ]);
    const cards = h.fake.messages.filter((m) => m.channel === 'CSUPPORT' && !m.thread_ts && m.blocks);
    expect(cards.map((m) => m.text)).toContain(`#${id + 1} Another one (ACME Ltd, New)`);
  });

  it('a department channel shared with another organisation is held too', async () => {
    staffOnly('CSUPPORT');
    const id = await h.w.openTicket();
    await h.runJobs();
    h.fake.shareChannel('CSUPPORT', ['T0OTHER']);
    await h.event({
      type: 'channel_shared',
      connected_team_id: 'T0OTHER',
      channel: 'CSUPPORT',
      event_ts: '1.1',
    });
    const [told] = h.fake.of('chat.postMessage').filter((c) => c.params.channel === 'UROOT');
    expect(told?.params.text).toContain(
      'Another organisation (Slack Connect) was given access to <#CSUPPORT>, the channel of Support.',
    );
    h.fake.clear();
    await h.w.run(h.w.as.alice, 'clientticket.edit', { elid: String(id), message: 'private', sok: 'ok' });
    await h.runJobs();
    expect(
      h.fake.calls.filter((c) => c.method.startsWith('chat.') && c.params.channel === 'CSUPPORT'),
    ).toEqual([]);
  });
});

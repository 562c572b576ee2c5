import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { departments, escalations, tickets } from '../../db/schema.ts';
import { ACTION, VIEW } from '../../src/slack/ids.ts';
import { firstOf, one } from '../helpers/rows.ts';
import { type Json, useSlackHarness } from '../helpers/slack-harness.ts';

const { db, h } = useSlackHarness({ schedule: true });

const answer = () => h.fake.last('response_url').params as { text: string; blocks?: Json[] };
const supportDep = async () =>
  one(await db.db.select().from(departments).where(eq(departments.id, h.w.ids.support.id)));
const onCall = () =>
  db.db
    .update(departments)
    .set({ oncall: { usergroup: 'S0ONCALL', chain: ['UROOT'], ackMinutes: 10 } })
    .where(eq(departments.id, h.w.ids.support.id));
const pages = () => h.fake.of('chat.postMessage').filter((c) => String(c.params.text).includes('Press Ack'));

describe('on-call Ack', () => {
  it('the first staff member to press Ack takes the ticket; a later press learns who did', async () => {
    await onCall();
    const id = await h.w.openTicket({ priority: '2' });
    await h.runJobs();
    expect(pages()).toHaveLength(1);
    const page = firstOf(pages()).params;
    expect(page.text).toContain('<!subteam^S0ONCALL>');
    const blocks = page.blocks as Json[];

    await h.click('UADMIN', blocks, ACTION.oncallAck);
    expect(answer().text).toBe(`:white_check_mark: You took #${id}.`);
    await h.runJobs();
    const updated = h.fake.last('chat.update').params;
    const esc = firstOf(await db.db.select().from(escalations));
    expect(esc.messages).toEqual([{ channel: 'CSUPPORT', ts: updated.ts }]);
    expect(String(updated.text)).toContain('was taken by <@UADMIN>');

    await h.click('UROOT', blocks, ACTION.oncallAck);
    expect(answer().text).toBe(`#${id} was already taken by <@UADMIN>.`);
    // The chain stopped: no escalation to UROOT later.
    h.w.clock.advance(30 * 60_000);
    await h.runJobs();
    expect(pages()).toHaveLength(1);
  });

  it('refuses people who are not staff, and a page whose ticket no longer needs on-call', async () => {
    await onCall();
    const id = await h.w.openTicket({ priority: '2' });
    await h.runJobs();
    const blocks = firstOf(pages()).params.blocks as Json[];
    await h.click('UALICE', blocks, ACTION.oncallAck);
    expect(answer().text).toMatch(/^:warning: .*staff/);
    await h.w.run(h.w.as.admin, 'ticket.edit', { elid: String(id), priority: '0', sok: 'ok' });
    await h.click('UADMIN', blocks, ACTION.oncallAck);
    expect(answer().text).toBe(`:warning: Ticket ${id} no longer needs on-call`);
  });
});

describe('/ticket oncall and /ticket digest', () => {
  it('/ticket oncall shows who is on call for the channel’s department, or the one named', async () => {
    await onCall();
    await h.command('UADMIN', 'oncall');
    expect(answer().text).toContain('*On call in Support now:* <!subteam^S0ONCALL>');
    expect(answer().text).toContain('<@UROOT>');
    await h.command('UADMIN', `oncall ${h.w.ids.paid.id}`);
    expect(answer().text).toBe('Premium has no on-call target configured.');
    await h.command('UADMIN', 'oncall', { channel: 'CELSEWHERE' });
    expect(answer().text).toMatch(/^:warning: No department posts to this channel/);
    await h.command('UADMIN', 'oncall 999');
    expect(answer().text).toBe(':warning: Department 999 does not exist');
    await h.command('UALICE', 'oncall');
    expect(answer().text).toMatch(/^:warning: /);
  });

  it('/ticket digest posts the digest to the channel; its Open button opens the ticket like the queue', async () => {
    const id = await h.w.openTicket({ name: 'Disk full' });
    h.fake.clear();
    await h.command('UADMIN', 'digest');
    const posted = h.fake.last('chat.postMessage').params;
    expect(posted.channel).toBe('CSUPPORT');
    expect(String(posted.text)).toMatch(/^Queue digest for Support, 2026-03-02: 1 open/);
    await h.click('UADMIN', posted.blocks as Json[], ACTION.digestOpen, {}, String(id));
    expect(answer().text).toBe(`Ticket #${id}`);
    expect(JSON.stringify(answer().blocks)).toContain('Disk full');
    const t = firstOf(await db.db.select().from(tickets).where(eq(tickets.id, id)));
    expect(t.lockedBy).toBe(h.w.ids.admin.id);
  });
});

describe('/ticket settings', () => {
  it('opens the loading modal first, then the settings; saving applies them, bad values are field errors', async () => {
    await h.command('UROOT', 'settings');
    expect(h.fake.calls.map((c) => c.method).filter((m) => m.startsWith('views'))).toEqual([
      'views.open',
      'views.update',
    ]);
    const view = h.lastView();
    expect(view.callback_id).toBe(VIEW.scheduleSettings);
    const values = Object.fromEntries(
      view.blocks
        .filter((b: Json) => b.type === 'input')
        .map((b: Json) => [b.block_id, b.element.initial_value ?? '']),
    );
    expect(values.regulation_0).toBe('480');

    const bad = await h.submit('UROOT', view, { ...values, work_start: '9 am' }, 'V-bad');
    expect(bad.json()).toEqual({
      response_action: 'errors',
      errors: { work_start: 'Working hours start must be a time HH:MM' },
    });
    expect((await supportDep()).calendar.start).toBe('09:00');

    const ok = await h.submit('UROOT', view, { ...values, regulation_2: '30', digest_time: '08:30' }, 'V-ok');
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('');
    const dep = await supportDep();
    expect(dep.regulation['2']).toBe(30);
    expect(dep.digestTime).toBe('08:30');
  });

  it('names a department explicitly; non-root staff see a refusal in the modal', async () => {
    await h.command('UROOT', `settings ${h.w.ids.paid.id}`);
    expect(JSON.stringify(h.lastView().blocks)).toContain('Premium');
    await h.command('UADMIN', 'settings');
    const refused = h.lastView();
    expect(refused.callback_id).not.toBe(VIEW.scheduleSettings);
    expect(JSON.stringify(refused.blocks)).toContain('You do not have access to department.schedule');
  });
});

import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, departments, escalations, jobs, tickets } from '../../db/schema.ts';
import { claim, complete } from '../../src/jobs/queue.ts';
import { oncallPageHandler } from '../../src/slack/scheduled/oncall.ts';
import { firstOf, nth } from '../helpers/rows.ts';
import { ROTATION, useScheduleWorld } from './fixture.ts';

// Monday 2 March, 11:00 in Berlin: Anna is on call; a high-priority ticket is due in an hour.
const { db, slack, w } = useScheduleWorld(new Date('2026-03-02T10:00:00Z'));
const texts = () => slack.posts().map((p) => String(p.text));
const pages = () => texts().filter((t) => t.includes('Press Ack'));
const escalationId = async () => firstOf(await db.db.select().from(escalations)).id;

describe('on-call pages an on-call team can trust', () => {
  it('Ack assigns the ticket to the acker, and the warnings then mention them, not the rotation', async () => {
    const id = await w.openTicket({ priority: '2' });
    await w.card(id);
    await w.drain();
    expect(texts()).toEqual([
      expect.stringContaining(':hourglass_flowing_sand: <@UANNA>'),
      expect.stringContaining('<@UANNA> High-priority'),
    ]);
    w.clock.set(new Date('2026-03-02T10:05:00Z'));
    expect(await w.ack({ ...w.as.admin, via: 'slack' }, await escalationId())).toEqual({
      taken: true,
      ticketId: id,
    });
    const t = firstOf(await db.db.select().from(tickets).where(eq(tickets.id, id)));
    expect(t.responsibleId).toBe(w.ids.admin.id);
    const [audit] = await db.db.select().from(auditLog).where(eq(auditLog.func, 'oncall.ack'));
    expect(audit).toMatchObject({ actor: 'admin', via: 'slack', ticketId: id });
    await w.at('2026-03-02T10:45:00Z');
    expect(texts()[2]).toMatch(/^:hourglass_flowing_sand: <@UADMIN> .* 15 min left\.$/);
  });

  it('a page that no longer applies says so, with no live Ack button', async () => {
    const id = await w.openTicket({ priority: '2' });
    await w.card(id);
    await w.drain();
    const page = firstOf(slack.posts().filter((p) => String(p.text).includes('Press Ack')));
    await w.run(w.as.admin, 'ticket.edit', { elid: String(id), priority: '1', sok: 'ok' });
    await w.drain();
    const updated = slack.updates().filter((u) => u.ts === slack.messageTs(page));
    expect(updated).toEqual([
      expect.objectContaining({
        text: `:white_check_mark: Ticket #${id} “Server down” no longer needs someone on call (no longer high priority, or closed).`,
      }),
    ]);
    expect(JSON.stringify(firstOf(updated).blocks)).not.toContain('oncall_ack');
    await w.at('2026-03-02T11:00:00Z');
    expect(pages()).toHaveLength(1);
  });

  it('an escalation step waits for the step before it while that one is on its way', async () => {
    const id = await w.openTicket({ priority: '2' });
    await w.card(id);
    // A slow replica takes everything due at 10:00 and is still busy with it at 10:10.
    const slow = await db.db.transaction((tx) => claim(tx, 'slow', w.clock.now(), 3_600_000));
    await w.at('2026-03-02T10:10:00Z');
    expect(pages()).toEqual([]);
    const [step1] = (await w.jobsOf('oncall.page')).filter((j) => j.payload.step === 1);
    expect(step1).toMatchObject({ state: 'pending', attempts: 0, lastError: null });
    // The slow replica finishes its page; the next step follows it.
    const step0 = slow.find((j) => j.kind === 'oncall.page');
    if (!step0) throw new Error('step 0 was not claimed');
    await oncallPageHandler(slack.client())(step0, w.deps);
    await db.db.transaction((tx) => complete(tx, step0, 'slow', w.clock.now()));
    await w.at('2026-03-02T10:10:02Z');
    expect(pages().map((t) => t.split(' ')[1])).toEqual(['<@UANNA>', '<@UBACKUP>']);
  });

  it('a page that cannot be posted is told to the department; the chain does not wait for it', async () => {
    await db.db
      .update(departments)
      .set({
        oncall: {
          ...ROTATION,
          rotation: { ...(ROTATION.rotation as NonNullable<typeof ROTATION.rotation>), members: [] },
        },
      })
      .where(eq(departments.id, w.ids.support.id));
    const id = await w.openTicket({ priority: '2' });
    await w.card(id);
    for (const t of ['10:00:00', '10:00:30', '10:01:30']) await w.at(`2026-03-02T${t}Z`);
    expect(texts().slice(1)).toEqual([
      `:warning: The on-call page for ticket #${id} could not be posted after 3 attempts: Department ${w.ids.support.id} has nobody on call. It is still being retried; check the channel and the bot's access.`,
    ]);
    expect(slack.posts()[1]).toMatchObject({ channel: 'C_SUPPORT' });
    expect(nth(slack.posts(), 1).thread_ts).toBeUndefined();
    await w.at('2026-03-02T10:10:00Z');
    expect(pages()).toEqual([expect.stringContaining('<@UBACKUP> Escalation')]);
    const [step0] = await db.db
      .select()
      .from(jobs)
      .where(eq(jobs.dedupeKey, `oncall:${id}:${await escalationId()}:0`));
    expect(step0).toMatchObject({ state: 'failed', attempts: 4 });
  });
});

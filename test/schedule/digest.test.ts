import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { departments, digests } from '../../db/schema.ts';
import { ensureDigests } from '../../src/functions/planners/digest.ts';
import { enqueue } from '../../src/jobs/queue.ts';
import { digestFor } from '../../src/slack/scheduled/digest.ts';
import { holdChannel } from '../../src/slack-store/channel-holds.ts';
import { firstOf, one } from '../helpers/rows.ts';
import { WEEKDAYS_9_TO_18 } from '../helpers/world.ts';
import { useScheduleWorld } from './fixture.ts';

// Sunday 8 March 2026, 13:00 in Berlin, 08:00 in New York (clocks went forward there at 02:00).
const { db, slack, w } = useScheduleWorld(new Date('2026-03-08T12:00:00Z'));
beforeEach(async () => {
  await db.db.update(departments).set({ digestTime: '09:00' }).where(eq(departments.id, w.ids.support.id));
  await db.db
    .update(departments)
    .set({
      digestTime: '21:30',
      slackChannel: 'C_PREMIUM',
      calendar: { ...WEEKDAYS_9_TO_18, timezone: 'America/New_York' },
    })
    .where(eq(departments.id, w.ids.paid.id));
  await ensureDigests(w.deps);
});

// Digests only: the warnings and pages of the tickets created here go to the same channel.
const postsIn = (channel: string) =>
  slack.posts().filter((p) => p.channel === channel && String(p.text).startsWith('Queue digest'));

describe('daily digest', () => {
  it('is not posted to a held channel (a non-staff member reads it): it lists client tickets', async () => {
    await holdChannel(db.db, 'C_PREMIUM', 'a guest joined', w.deps.now());
    await w.at('2026-03-09T08:00:00Z');
    expect(postsIn('C_PREMIUM')).toEqual([]);
    expect(postsIn('C_SUPPORT')).toHaveLength(1);
  });

  it('goes out at the local time on the right local day in two time zones, once a day', async () => {
    const pending = (await w.jobsOf('digest.post')).map((j) => [j.dedupeKey, j.runAt.toISOString()]);
    expect(pending).toEqual([
      [`digest:${w.ids.support.id}:2026-03-09:09:00`, '2026-03-09T08:00:00.000Z'],
      // 21:30 EDT on the 8th is already the 9th in UTC.
      [`digest:${w.ids.paid.id}:2026-03-08:21:30`, '2026-03-09T01:30:00.000Z'],
    ]);
    await ensureDigests(w.deps);
    expect(await w.jobsOf('digest.post')).toHaveLength(2);
    await w.at('2026-03-09T01:29:59Z');
    expect(slack.posts()).toEqual([]);
    await w.at('2026-03-09T01:30:00Z');
    expect(postsIn('C_PREMIUM')).toEqual([
      expect.objectContaining({
        text: 'Queue digest for Premium, 2026-03-08: 0 open, 0 overdue, 0 due today',
      }),
    ]);
    await w.at('2026-03-09T08:00:00Z');
    expect(postsIn('C_SUPPORT')).toEqual([
      expect.objectContaining({
        text: 'Queue digest for Support, 2026-03-09: 0 open, 0 overdue, 0 due today',
      }),
    ]);
    // A week later: one digest per department and local day, none twice.
    for (let day = 9; day <= 15; day++) {
      await w.at(`2026-03-${String(day).padStart(2, '0')}T12:00:00Z`);
      await w.at(`2026-03-${String(day + 1).padStart(2, '0')}T03:00:00Z`);
    }
    const dates = (channel: string) =>
      postsIn(channel).map((p) => String(p.text).match(/\d{4}-\d\d-\d\d/)?.[0]);
    expect(dates('C_SUPPORT')).toEqual(['09', '10', '11', '12', '13', '14', '15'].map((d) => `2026-03-${d}`));
    expect(dates('C_PREMIUM')).toEqual(
      ['08', '09', '10', '11', '12', '13', '14', '15'].map((d) => `2026-03-${d}`),
    );
  });

  it('is refreshed in place during the day; a retried run updates, a later digest time posts anew', async () => {
    await w.at('2026-03-09T08:00:00Z');
    expect(postsIn('C_SUPPORT')).toHaveLength(1);
    const posted = firstOf(
      await db.db.select().from(digests).where(eq(digests.departmentId, w.ids.support.id)),
    );
    expect(posted).toMatchObject({ localDate: '2026-03-09', channel: 'C_SUPPORT', ts: expect.any(String) });
    slack.clear();
    w.clock.set(new Date('2026-03-09T09:00:00Z'));
    const id = await w.openTicket({ priority: '2' });
    await w.drain();
    expect(slack.updates().filter((u) => u.channel === 'C_SUPPORT' && u.ts === posted.ts)).toEqual([]);
    await w.at('2026-03-09T09:01:00Z');
    const refreshed = slack.updates().filter((u) => u.ts === posted.ts);
    expect(refreshed).toEqual([
      expect.objectContaining({
        text: 'Queue digest for Support, 2026-03-09: 1 open, 0 overdue, 1 due today',
      }),
    ]);
    expect(JSON.stringify(firstOf(refreshed).blocks)).toContain(
      `"action_id":"digest_open_ticket","text":{"type":"plain_text","text":"Open"},"value":"${id}"`,
    );
    // The job of the day runs again (a retry after it was done): the posted digest is updated.
    const dep = one(await db.db.select().from(departments).where(eq(departments.id, w.ids.support.id)));
    await db.db.transaction((tx) =>
      enqueue(
        tx,
        {
          kind: 'digest.post',
          dedupeKey: `digest:${dep.id}:2026-03-09:09:00`,
          runAt: w.clock.now(),
          payload: { departmentId: dep.id, localDate: '2026-03-09', time: '09:00' },
        },
        w.clock.now(),
      ),
    );
    await w.drain();
    expect(postsIn('C_SUPPORT')).toEqual([]);
    expect(slack.updates().filter((u) => u.ts === posted.ts)).toHaveLength(2);
    // The digest time moves later the same day: the new time posts the day's digest anew.
    await w.settings(w.as.root, dep.id, { digest_time: '15:00' });
    await w.at('2026-03-09T13:59:59Z');
    expect(postsIn('C_SUPPORT')).toEqual([]);
    await w.at('2026-03-09T14:00:00Z');
    expect(postsIn('C_SUPPORT')).toEqual([
      expect.objectContaining({
        text: 'Queue digest for Support, 2026-03-09: 1 open, 1 overdue, 0 due today',
      }),
    ]);
    const [now] = await db.db.select().from(digests).where(eq(digests.departmentId, w.ids.support.id));
    expect(now).toMatchObject({ digestTime: '15:00', ts: expect.not.stringMatching(posted.ts ?? '') });
  });

  it('is refreshed when its counts change with time alone: a deadline passing makes a ticket overdue', async () => {
    // Opened at 08:00 Berlin, before opening hours: due 13:00 Berlin (12:00 UTC), the day of the digest.
    w.clock.set(new Date('2026-03-09T07:00:00Z'));
    await w.openTicket();
    await w.at('2026-03-09T08:00:00Z');
    const [posted] = postsIn('C_SUPPORT');
    expect(posted).toMatchObject({ text: expect.stringContaining('1 open, 0 overdue, 1 due today') });
    const row = firstOf(await db.db.select().from(digests).where(eq(digests.departmentId, w.ids.support.id)));
    await w.at('2026-03-09T11:59:59Z');
    expect(slack.updates().filter((u) => u.ts === row.ts)).toEqual([]);
    await w.at('2026-03-09T12:00:00Z');
    expect(slack.updates().filter((u) => u.ts === row.ts)).toEqual([
      expect.objectContaining({
        text: 'Queue digest for Support, 2026-03-09: 1 open, 1 overdue, 0 due today',
      }),
    ]);
  });

  it('on demand: the digest as it stands, with overdue, due today, waiting longest, top and load', async () => {
    w.clock.set(new Date('2026-03-09T08:00:00Z'));
    const a = await w.openTicket({ priority: '2' });
    w.clock.set(new Date('2026-03-09T10:00:00Z'));
    await w.openTicket({ name: 'Mail bounces' });
    await w.run(w.as.admin, 'ticket.edit', {
      elid: String(a),
      responsible: String(w.ids.admin.id),
      sok: 'ok',
    });
    const { message } = await digestFor(w.deps, w.ids.support.id);
    expect(message.text).toBe('Queue digest for Support, 2026-03-09: 2 open, 1 overdue, 1 due today');
    const lines = (message.blocks as { text?: { text: string } }[]).map((b) => b.text?.text).filter(Boolean);
    expect(lines).toEqual([
      'Queue digest: Support, 2026-03-09',
      '*Overdue*',
      `#${a} Server down · ACME Ltd · Adam Admin · overdue by 1 h 00 min`,
      '*Due today*',
      `#${a + 1} Mail bounces · ACME Ltd · 4 h 00 min left`,
      '*Waiting longest*',
      `#${a} Server down · ACME Ltd · Adam Admin · waiting 2 h 00 min`,
      `#${a + 1} Mail bounces · ACME Ltd · waiting 0 min`,
      '*Top of the queue*',
      `#${a} Server down · ACME Ltd · Adam Admin · high priority`,
      `#${a + 1} Mail bounces · ACME Ltd`,
    ]);
    expect(JSON.stringify(message.blocks)).toContain('*Load* Adam Admin: 1 · Unassigned: 1');
  });
});

import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { departments, jobs, tickets } from '../../db/schema.ts';
import { claim } from '../../src/jobs/queue.ts';
import { slaWarningHandler } from '../../src/slack/scheduled/sla-warning.ts';
import { holdChannel } from '../../src/slack-store/channel-holds.ts';
import { firstOf, nth, one } from '../helpers/rows.ts';
import { WEEKDAYS_9_TO_18 } from '../helpers/world.ts';
import { makeScheduleWorld, type ScheduleWorld, useScheduleWorld } from './fixture.ts';

const { db, slack } = useScheduleWorld();
// Each test builds the world with the clock it needs.
let w: ScheduleWorld;

const ticketRow = async (id: number) => one(await db.db.select().from(tickets).where(eq(tickets.id, id)));
const texts = () => slack.posts().map((p) => String(p.text));

describe('SLA warnings', () => {
  it('fire at 60, 15 and 0 minutes before a deadline that crosses a night, a weekend, a holiday and DST', async () => {
    // Friday 16:00 in Berlin (CET); Monday 30 March is a holiday; clocks go forward on Sunday 29 March.
    w = await makeScheduleWorld(db.db, slack, new Date('2026-03-27T15:00:00Z'));
    await db.db
      .update(departments)
      .set({ calendar: { ...WEEKDAYS_9_TO_18, holidays: ['2026-03-30'] } })
      .where(eq(departments.id, w.ids.support.id));
    const id = await w.openTicket();
    const card = await w.card(id);
    // 240 business minutes: Fri 16–18 (120), then Tuesday 09:00–11:00 CEST (120) = 09:00 UTC.
    expect((await ticketRow(id)).deadline?.toISOString()).toBe('2026-03-31T09:00:00.000Z');
    const pending = await w.jobsOf('sla.warning');
    expect(pending.map((j) => [j.runAt.toISOString(), j.state])).toEqual([
      ['2026-03-31T08:00:00.000Z', 'pending'],
      ['2026-03-31T08:45:00.000Z', 'pending'],
      ['2026-03-31T09:00:00.000Z', 'pending'],
    ]);
    await w.at('2026-03-31T07:59:59Z');
    expect(slack.posts()).toEqual([]);
    await w.at('2026-03-31T08:00:00Z');
    // Nobody is responsible: the rotation's member of the day (Ben, on Tuesdays from 09:00) is mentioned.
    expect(slack.posts()).toEqual([expect.objectContaining({ channel: 'C_SUPPORT', thread_ts: card })]);
    expect(texts()[0]).toBe(
      `:hourglass_flowing_sand: <@UBEN> Ticket #${id} “Server down” must be answered by Tue 31 Mar 11:00 (Europe/Berlin): 1 h 00 min left.`,
    );
    await w.run(w.as.admin, 'ticket.edit', {
      elid: String(id),
      responsible: String(w.ids.admin.id),
      sok: 'ok',
    });
    await w.at('2026-03-31T08:45:00Z');
    expect(texts()[1]).toContain('<@UADMIN>');
    expect(texts()[1]).toContain('15 min left');
    await w.at('2026-03-31T09:00:30Z');
    expect(texts()[2]).toBe(
      `:rotating_light: <@UADMIN> The response deadline of ticket #${id} “Server down” has passed: it was due Tue 31 Mar 11:00 (Europe/Berlin), overdue by 1 min.`,
    );
    await w.at('2026-03-31T12:00:00Z');
    expect(slack.posts()).toHaveLength(3);
  });

  it('a held channel (a non-staff member reads it) gets no warning; the job says why', async () => {
    w = await makeScheduleWorld(db.db, slack, new Date('2026-03-02T10:00:00Z'));
    const id = await w.openTicket();
    await w.card(id);
    await holdChannel(db.db, 'C_SUPPORT', 'a guest joined', w.deps.now());
    await w.at('2026-03-02T13:00:00Z');
    await w.at('2026-03-02T16:00:00Z');
    expect(slack.posts().filter((p) => p.channel === 'C_SUPPORT')).toEqual([]);
    const warnings = await w.jobsOf('sla.warning');
    expect(warnings.some((j) => j.lastError?.includes('C_SUPPORT is held'))).toBe(true);
  });

  it('a reply a second before a warning cancels it and every later one', async () => {
    w = await makeScheduleWorld(db.db, slack, new Date('2026-03-02T10:00:00Z'));
    const id = await w.openTicket();
    expect((await ticketRow(id)).deadline?.toISOString()).toBe('2026-03-02T14:00:00.000Z');
    w.clock.set(new Date('2026-03-02T12:59:59Z'));
    await w.run(w.as.admin, 'ticket.edit', { elid: String(id), message: 'Looking into it', sok: 'ok' });
    await w.at('2026-03-02T13:00:01Z');
    await w.at('2026-03-02T15:00:00Z');
    expect(slack.posts()).toEqual([]);
    expect((await w.jobsOf('sla.warning')).map((j) => j.state)).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
  });

  it('a new deadline moves the warnings; closing cancels them', async () => {
    w = await makeScheduleWorld(db.db, slack, new Date('2026-03-02T10:00:00Z'));
    const id = await w.openTicket();
    // The admin works in Berlin: 12:30 local = 11:30 UTC.
    await w.run(w.as.admin, 'ticket.edit', {
      elid: String(id),
      deadline_date: '2026-03-02',
      deadline_time: '12:30:00',
      sok: 'ok',
    });
    const all = await w.jobsOf('sla.warning');
    expect(all.filter((j) => j.state === 'pending').map((j) => j.runAt.toISOString())).toEqual([
      '2026-03-02T10:30:00.000Z',
      '2026-03-02T11:15:00.000Z',
      '2026-03-02T11:30:00.000Z',
    ]);
    await w.at('2026-03-02T10:30:00Z');
    expect(texts()).toEqual([expect.stringContaining('by Mon 2 Mar 12:30 (Europe/Berlin): 1 h 00 min left')]);
    await w.run(w.as.admin, 'ticket.delete', { elid: String(id), sok: 'ok' });
    await w.at('2026-03-02T13:00:00Z');
    expect(slack.posts()).toHaveLength(1);
    expect((await w.jobsOf('sla.warning')).filter((j) => j.state === 'pending')).toEqual([]);
  });

  it('a warning already claimed by a worker is not sent when the ticket was answered meanwhile', async () => {
    w = await makeScheduleWorld(db.db, slack, new Date('2026-03-02T10:00:00Z'));
    const id = await w.openTicket();
    w.clock.set(new Date('2026-03-02T13:00:00Z'));
    const claimed = await db.db.transaction((tx) => claim(tx, 'slow', w.clock.now(), 60_000));
    const warning = claimed.find((j) => j.kind === 'sla.warning');
    expect(warning?.payload).toMatchObject({ ticketId: id, stage: 60 });
    await w.run(w.as.admin, 'ticket.edit', { elid: String(id), message: 'Done', sok: 'ok' });
    await slaWarningHandler(slack.client())(warning as NonNullable<typeof warning>, w.deps);
    expect(slack.posts()).toEqual([]);
  });

  it('Slack failing: a 429 waits for Retry-After without spending an attempt, errors back off, the last failure stays visible', async () => {
    w = await makeScheduleWorld(db.db, slack, new Date('2026-03-02T10:00:00Z'));
    const id = await w.openTicket();
    slack.failNext('chat.postMessage', { rateLimited: 7 });
    slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    await w.at('2026-03-02T13:00:00Z');
    let job = firstOf((await w.jobsOf('sla.warning')).filter((j) => j.payload.stage === 60));
    expect(job).toMatchObject({ state: 'pending', attempts: 0, lastError: 'Slack rate limit' });
    expect(job.runAt.toISOString()).toBe('2026-03-02T13:00:07.000Z');
    await w.at('2026-03-02T13:00:06Z');
    await w.at('2026-03-02T13:00:07Z');
    job = firstOf((await w.jobsOf('sla.warning')).filter((j) => j.payload.stage === 60));
    // The first real failure is the first attempt spent: the first back-off, 30 s.
    expect(job).toMatchObject({ state: 'pending', attempts: 1, lastError: 'Slack: channel_not_found' });
    expect(job.runAt.toISOString()).toBe('2026-03-02T13:00:37.000Z');
    expect(slack.posts()).toEqual([]);
    await w.at('2026-03-02T13:00:37Z');
    expect(texts()).toEqual([expect.stringContaining(`Ticket #${id}`)]);
    job = firstOf((await w.jobsOf('sla.warning')).filter((j) => j.payload.stage === 60));
    expect(job.state).toBe('done');
    // The 15-minute warning fails on every attempt: after the fourth it is kept as failed.
    slack.breakChannel('C_SUPPORT', 'not_in_channel');
    for (const t of ['13:45:00', '13:45:30', '13:46:30', '13:48:30']) await w.at(`2026-03-02T${t}Z`);
    job = firstOf((await w.jobsOf('sla.warning')).filter((j) => j.payload.stage === 15));
    expect(job).toMatchObject({ state: 'failed', attempts: 4, lastError: 'Slack: not_in_channel' });
    // After the third failure the roots were told by direct message: the channel itself is the problem.
    expect(texts().slice(1)).toEqual([
      `:warning: The SLA warning for ticket #${id} could not be posted after 3 attempts: Slack: not_in_channel. It is still being retried; check the channel and the bot's access.`,
    ]);
    expect(nth(slack.posts(), 1).channel).toBe('UROOT');
    await w.at('2026-03-02T14:00:00Z');
    expect(texts()).toHaveLength(2);
    expect(await db.db.select().from(jobs).where(eq(jobs.state, 'running'))).toEqual([]);
  });
});

import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, departments, tickets } from '../../db/schema.ts';
import { pickSettings } from '../../src/functions/department-settings.ts';
import type { Session } from '../../src/functions/types.ts';
import { settingsFromView, settingsModal } from '../../src/slack/views/settings.ts';
import { firstOf, one, present } from '../helpers/rows.ts';
import { ROTATION, useScheduleWorld } from './fixture.ts';

const { db, w } = useScheduleWorld(new Date('2026-03-02T10:00:00Z'));

/** The settings form as `department.schedule` without `sok` gives it. */
const form = async (who: Session, id: number) => {
  const r = await w.run(who, 'department.schedule', { elid: String(id) });
  if (r.kind !== 'form') throw new Error('department.schedule gave no form');
  return r.fields;
};

const support = async () =>
  one(await db.db.select().from(departments).where(eq(departments.id, w.ids.support.id)));

describe('department settings without SQL', () => {
  it('root changes the regulation and stages: waiting tickets get new deadlines and warnings at once', async () => {
    const id = await w.openTicket();
    await w.settings(w.as.root, w.ids.support.id, {
      regulation_1: '30',
      warning_stages: '10, 0',
      digest_time: '08:30',
    });
    const t = firstOf(await db.db.select().from(tickets).where(eq(tickets.id, id)));
    expect(t.deadline?.toISOString()).toBe('2026-03-02T10:30:00.000Z');
    const pending = (await w.jobsOf('sla.warning')).filter((j) => j.state === 'pending');
    expect(pending.map((j) => [j.payload.stage, j.runAt.toISOString()])).toEqual([
      [10, '2026-03-02T10:20:00.000Z'],
      [0, '2026-03-02T10:30:00.000Z'],
    ]);
    expect((await w.jobsOf('digest.post')).map((j) => j.runAt.toISOString())).toEqual([
      '2026-03-03T07:30:00.000Z',
    ]);
    const [audit] = await db.db.select().from(auditLog).where(eq(auditLog.func, 'department.schedule'));
    expect(audit).toMatchObject({
      actor: 'root',
      params: { regulation_1: '30', elid: String(w.ids.support.id) },
    });
  });

  it('on-call as a user group or a rotation; bad values are refused by name and nothing changes', async () => {
    await w.settings(w.as.root, w.ids.support.id, {
      oncall_members: '',
      oncall_usergroup: 'S0ONCALL',
      oncall_chain: 'ULEAD',
      oncall_ack_minutes: '5',
    });
    expect((await support()).oncall).toEqual({ usergroup: 'S0ONCALL', chain: ['ULEAD'], ackMinutes: 5 });
    const refusals: [Record<string, string>, string, string][] = [
      [{ timezone: 'Mars/Olympus' }, 'timezone', 'time zone'],
      [
        { work_start: '18:00', work_end: '09:00' },
        'work_end',
        'Working hours end must be after Working hours start',
      ],
      [{ oncall_members: 'UANNA' }, 'oncall_members', 'not both'],
      [{ oncall_chain: '@lead' }, 'oncall_chain', 'Slack user ids'],
      [{ digest_time: '25:00' }, 'digest_time', 'HH:MM'],
      [{ work_start: '24:00' }, 'work_start', 'HH:MM'],
      [{ work_end: '24:30' }, 'work_end', 'up to 24:00'],
      [{ regulation_2: '0' }, 'regulation_2', 'at least 1'],
    ];
    for (const [params, object, message] of refusals) {
      const error = await w.settings(w.as.root, w.ids.support.id, params).catch((e: Error) => e);
      expect(error, JSON.stringify(params)).toMatchObject({ type: 'value', object });
      expect((error as Error).message).toContain(message);
    }
    expect((await support()).oncall).toEqual({ usergroup: 'S0ONCALL', chain: ['ULEAD'], ackMinutes: 5 });
    await w.settings(w.as.root, w.ids.support.id, {
      oncall_ack_minutes: '',
      oncall_usergroup: '',
      oncall_chain: '',
    });
    expect((await support()).oncall).toBeNull();
  });

  it('a round-the-clock calendar: every day from 00:00 to 24:00; deadlines count real time', async () => {
    await w.settings(w.as.root, w.ids.support.id, {
      workdays: '1,2,3,4,5,6,7',
      work_start: '00:00',
      work_end: '24:00',
    });
    expect((await support()).calendar).toMatchObject({ start: '00:00', end: '24:00' });
    // Saturday 23:30 in Berlin: 240 minutes later is Sunday 03:30, no opening hours in between.
    w.clock.set(new Date('2026-03-07T22:30:00Z'));
    const id = await w.openTicket();
    const t = firstOf(await db.db.select().from(tickets).where(eq(tickets.id, id)));
    expect(t.deadline?.toISOString()).toBe('2026-03-08T02:30:00.000Z');
  });

  it('every bad field is refused at once, each by its label, with its own message per parameter', async () => {
    const error = await w
      .settings(w.as.root, w.ids.support.id, {
        regulation_0: '0',
        timezone: 'Mars/Olympus',
        digest_time: '25:00',
        work_end: '08:00',
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ type: 'value', object: 'regulation_0' });
    expect(error).toHaveProperty('fields', {
      regulation_0: 'Response time, low priority (business minutes) must be at least 1',
      timezone: 'Calendar time zone must be a time zone such as Europe/Berlin',
      work_end: 'Working hours end must be after Working hours start',
      digest_time: 'Daily digest time must be a time HH:MM',
    });
    for (const sentence of Object.values((error as { fields: Record<string, string> }).fields))
      expect((error as Error).message).toContain(sentence);
    expect((await support()).regulation['0']).toBe(480);
  });

  it('a parameter that is no setting is ignored, as the API sends its own along', async () => {
    await w.settings(w.as.root, w.ids.support.id, { color: 'red', digest_time: '09:30' });
    expect((await support()).digestTime).toBe('09:30');
  });

  it('an API request passes only its settings on', async () => {
    const params = { func: 'department.schedule', out: 'json', elid: '1', sok: 'ok', digest_time: '09:15' };
    expect(pickSettings(params)).toEqual({ digest_time: '09:15' });
    await w.settings(w.as.root, w.ids.support.id, pickSettings(params));
    expect((await support()).digestTime).toBe('09:15');
  });

  it('only root may read or change them', async () => {
    await expect(w.settings(w.as.admin, w.ids.support.id, { digest_time: '09:00' })).rejects.toMatchObject({
      type: 'access',
    });
    await expect(form(w.as.alice, w.ids.support.id)).rejects.toMatchObject({
      type: 'access',
    });
    await expect(form(w.as.root, 999)).rejects.toMatchObject({ type: 'missed' });
  });

  it('the Slack modal shows the current values and its submission round-trips', async () => {
    const fields = await form(w.as.root, w.ids.support.id);
    expect(fields).toMatchObject({
      regulation_1: '240',
      workdays: '1,2,3,4,5',
      warning_stages: '60,15,0',
      oncall_members: 'UANNA,UBEN',
      oncall_chain: 'UBACKUP,subteam:SLEADS',
      digest_time: '',
    });
    const modal = settingsModal(w.ids.support.id, String(fields.name), fields);
    expect(modal.callback_id).toBe('schedule_settings');
    const inputs = modal.blocks.filter((b) => b.type === 'input') as {
      block_id: string;
      element: { action_id: string; initial_value?: string };
    }[];
    const state = Object.fromEntries(
      inputs.map((b) => [b.block_id, { [b.element.action_id]: { value: b.element.initial_value ?? null } }]),
    );
    present(state.digest_time, 'the digest time input').value = { value: '07:45' };
    const submitted = settingsFromView({
      private_metadata: modal.private_metadata,
      state: { values: state },
    });
    expect(submitted.departmentId).toBe(w.ids.support.id);
    await w.settings(w.as.root, submitted.departmentId, submitted.values);
    const dep = await support();
    expect(dep.digestTime).toBe('07:45');
    expect(dep.oncall).toEqual(ROTATION);
    expect(dep.calendar).toEqual(w.ids.support.calendar);
  });
});

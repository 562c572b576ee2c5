import { desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, departments } from '../../db/schema.ts';
import { errorOf, t, useApi } from '../helpers/api.ts';
import { one } from '../helpers/rows.ts';

const { db, api } = useApi();

const department = async (id: number) =>
  one(await db.db.select().from(departments).where(eq(departments.id, id)), 'department');

describe('func=department.schedule', () => {
  it('without sok: the settings as form fields, the same in json and xml', async () => {
    const elid = String(api.w.ids.support.id);
    const json = await api.as('root').json('department.schedule', { elid });
    expect(t(json.elid)).toBe(elid);
    expect(t(json.name)).toBe('Support');
    expect(t(json.regulation_0)).toBe('480');
    expect(t(json.regulation_2)).toBe('60');
    expect(t(json.workdays)).toBe('1,2,3,4,5');
    expect(t(json.warning_stages)).toBe('60,15,0');
    expect(t(json.oncall_ack_minutes)).toBe('');
    const xml = await api.as('root').xml('department.schedule', { elid });
    expect(t(xml.regulation_1)).toBe('240');
    expect(t(xml.work_start)).toBe(t(json.work_start));
    expect(t(xml.timezone)).toBe(t(json.timezone));
  });

  it('with sok=ok: only the given settings change, audited; json and xml', async () => {
    const id = api.w.ids.support.id;
    const json = await api.as('root').json('department.schedule', {
      elid: String(id),
      regulation_2: '30',
      digest_time: '08:30',
      sok: 'ok',
    });
    expect(json).toEqual({ ok: {} });
    let dep = await department(id);
    expect(dep.regulation).toEqual({ '0': 480, '1': 240, '2': 30 });
    expect(dep.digestTime).toBe('08:30');
    const xml = await api.as('root').xml('department.schedule', {
      elid: String(id),
      oncall_usergroup: 'S0ONCALL',
      oncall_ack_minutes: '10',
      sok: 'ok',
    });
    expect(xml.ok).toEqual({ $: '' });
    dep = await department(id);
    expect(dep.oncall).toEqual({ chain: [], ackMinutes: 10, usergroup: 'S0ONCALL' });
    expect(dep.regulation['2']).toBe(30);
    const [audit] = await db.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    expect(audit).toMatchObject({ func: 'department.schedule', actor: 'root', via: 'api' });
  });

  it('refuses non-root staff and clients with an access error, changing nothing', async () => {
    const elid = String(api.w.ids.support.id);
    for (const who of ['admin', 'alice'] as const) {
      const json = errorOf(
        await api.as(who).json('department.schedule', { elid, regulation_0: '5', sok: 'ok' }),
      );
      expect(json.type).toBe('access');
      const xml = errorOf(await api.as(who).xml('department.schedule', { elid }));
      expect(xml.type).toBe('access');
    }
    expect((await department(api.w.ids.support.id)).regulation['0']).toBe(480);
  });

  it('a bad value is a value error naming the parameter; a missing or unknown department is refused', async () => {
    const elid = String(api.w.ids.support.id);
    const json = errorOf(
      await api.as('root').json('department.schedule', { elid, work_start: '25:00', sok: 'ok' }),
    );
    expect(json).toMatchObject({ type: 'value', object: 'work_start' });
    expect(json.msg).toContain('HH:MM');
    const xml = errorOf(
      await api.as('root').xml('department.schedule', { elid, oncall_members: 'nobody', sok: 'ok' }),
    );
    expect(xml).toMatchObject({ type: 'value', object: 'oncall_members' });
    expect((await department(api.w.ids.support.id)).calendar.start).toBe('09:00');
    expect(errorOf(await api.as('root').json('department.schedule', {}))).toMatchObject({
      type: 'missed',
      object: 'elid',
    });
    expect(errorOf(await api.as('root').xml('department.schedule', { elid: '999999' }))).toMatchObject({
      type: 'missed',
      object: 'elid',
    });
    expect(errorOf(await api.as('root').json('department.schedule', { elid: 'x' }))).toMatchObject({
      type: 'value',
      object: 'elid',
    });
  });
});

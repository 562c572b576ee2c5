import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { departments } from '../../db/schema.ts';
import { useTestWorld } from '../helpers/setup.ts';
import { WEEKDAYS_9_TO_18 } from '../helpers/world.ts';
import { form, ok, refused, ticketRow } from './support.ts';

const { db, w } = useTestWorld();

const deadlineOf = async (id: number) => (await ticketRow(db.db, id)).deadline?.toISOString();

describe('regulation deadlines, in business hours of the department', () => {
  it('Friday 17:00 Berlin + 240 business minutes is Monday 12:00 Berlin', async () => {
    w.clock.set(new Date('2026-02-27T16:00:00Z'));
    const id = await w.openTicket();
    expect(await deadlineOf(id)).toBe('2026-03-02T11:00:00.000Z');
  });

  it('across the spring DST change the hours stay on the wall clock', async () => {
    w.clock.set(new Date('2026-03-27T16:00:00Z')); // Friday 17:00 CET
    const id = await w.openTicket();
    expect(await deadlineOf(id)).toBe('2026-03-30T10:00:00.000Z'); // Monday 12:00 CEST
  });

  it('skips the department’s holidays', async () => {
    await db.db
      .update(departments)
      .set({ calendar: { ...WEEKDAYS_9_TO_18, holidays: ['2026-03-02'] } })
      .where(eq(departments.id, w.ids.support.id));
    w.clock.set(new Date('2026-02-27T16:00:00Z'));
    const id = await w.openTicket();
    expect(await deadlineOf(id)).toBe('2026-03-03T11:00:00.000Z');
  });

  it('moving the ticket to another department applies that department’s regulation', async () => {
    const id = await w.openTicket();
    ok(
      await w.run(w.as.root, 'ticket.edit', {
        elid: String(id),
        client_department: String(w.ids.paid.id),
        sok: 'ok',
      }),
    );
    // Premium: 60 minutes at medium priority, from Monday 11:00 Berlin.
    expect(await deadlineOf(id)).toBe('2026-03-02T11:00:00.000Z');
  });

  it('a new client message after a reply starts a new regulation period', async () => {
    const id = await w.openTicket();
    await w.run(w.as.admin, 'ticket.edit', { elid: String(id), message: 'Done', sok: 'ok' });
    w.clock.set(new Date('2026-03-03T16:30:00Z')); // Tuesday 17:30 Berlin
    await w.run(w.as.alice, 'clientticket.edit', { elid: String(id), message: 'Not done', sok: 'ok' });
    // 30 minutes on Tuesday, 210 on Wednesday from 09:00: 12:30 Berlin.
    expect(await deadlineOf(id)).toBe('2026-03-04T11:30:00.000Z');
    // A second client message does not restart the clock.
    w.clock.advance(3_600_000);
    await w.run(w.as.alice, 'clientticket.edit', { elid: String(id), message: 'Hello?', sok: 'ok' });
    expect(await deadlineOf(id)).toBe('2026-03-04T11:30:00.000Z');
  });
});

describe('manual deadlines, typed in the staff member’s time zone', () => {
  it('an admin in Berlin sets 12:00 Berlin; the form shows it back the same way', async () => {
    const id = await w.openTicket();
    ok(
      await w.run(w.as.admin, 'ticket.edit', {
        elid: String(id),
        deadline_date: '2026-03-30',
        deadline_time: '12:00:00',
        sok: 'ok',
      }),
    );
    expect(await deadlineOf(id)).toBe('2026-03-30T10:00:00.000Z'); // CEST by then
    const f = form(await w.run(w.as.admin, 'ticket.edit', { elid: String(id) }));
    expect(f.fields).toMatchObject({ deadline_date: '2026-03-30', deadline_time: '12:00:00' });
    // Root's zone is UTC.
    expect(form(await w.run(w.as.root, 'ticket.edit', { elid: String(id) })).fields).toMatchObject({
      deadline_date: '2026-03-30',
      deadline_time: '10:00:00',
    });
  });

  it('a manual deadline survives priority changes and new client messages', async () => {
    const id = await w.openTicket();
    await w.run(w.as.root, 'ticket.edit', {
      elid: String(id),
      deadline_date: '2026-03-05',
      deadline_time: '08:00',
      sok: 'ok',
    });
    await w.run(w.as.root, 'ticket.edit', { elid: String(id), priority: '2', sok: 'ok' });
    await w.run(w.as.alice, 'clientticket.edit', { elid: String(id), message: 'ping', sok: 'ok' });
    expect(await deadlineOf(id)).toBe('2026-03-05T08:00:00.000Z');
  });

  it('refuses impossible dates; a time alone keeps the current deadline’s date', async () => {
    const elid = String(await w.openTicket());
    await refused(
      w.run(w.as.admin, 'ticket.edit', { elid, deadline_date: '2026-02-30', sok: 'ok' }),
      'value',
      'deadline_date',
    );
    await refused(
      w.run(w.as.admin, 'ticket.edit', {
        elid,
        deadline_date: '2026-03-05',
        deadline_time: '25:00',
        sok: 'ok',
      }),
      'value',
      'deadline_time',
    );
    expect(await deadlineOf(Number(elid))).toBe('2026-03-02T14:00:00.000Z');
    // 15:00 Berlin today; a time alone moves it to 10:00 Berlin on the same day.
    await w.run(w.as.admin, 'ticket.edit', { elid, deadline_time: '10:00', sok: 'ok' });
    expect(await deadlineOf(Number(elid))).toBe('2026-03-02T09:00:00.000Z');
  });
});

import { describe, expect, it } from 'vitest';
import type { Session } from '../../src/functions/types.ts';
import { firstOf, nth } from '../helpers/rows.ts';
import { useTestWorld } from '../helpers/setup.ts';
import { auditRows, footprint, form, list, messagesOf, ok, refused, ticketRow } from './support.ts';

const { db, w } = useTestWorld();

describe('clientticket', () => {
  it('lists only the caller’s tickets; last_message never shows notes or hidden messages', async () => {
    const id = await w.openTicket();
    const bobs = ok(
      await w.run(w.as.bob, 'clientticket.edit', {
        name: 'Billing',
        message: 'Invoice?',
        client_department: String(w.ids.support.id),
        sok: 'ok',
      }),
    ).id;
    await w.run(w.as.admin, 'ticket.edit', { elid: String(id), message: 'Rebooted', sok: 'ok' });
    let rows = list(await w.run(w.as.alice, 'clientticket')).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id,
      last_message: 'Rebooted',
      unread: true,
      tstatus: '2',
      create_user: 'Alice Acme',
    });
    expect(list(await w.run(w.as.bob, 'clientticket')).rows.map((r) => r.id)).toEqual([bobs]);

    await w.run(w.as.admin, 'ticket.edit', { elid: String(id), note_message: 'secret note', sok: 'ok' });
    const reply = nth(await messagesOf(db.db, id), 1);
    await w.run(w.as.admin, 'ticket.message.delete', {
      elid: String(reply.id),
      plid: String(id),
      sok: 'ok',
    });
    rows = list(await w.run(w.as.alice, 'clientticket')).rows;
    expect(rows[0]).toMatchObject({
      last_message: 'My VPS does not boot',
      unread: false,
      wait_time: '0d+00:00',
    });
  });

  it('reading the ticket clears unread', async () => {
    const id = await w.openTicket();
    await w.run(w.as.admin, 'ticket.edit', { elid: String(id), message: 'Rebooted', sok: 'ok' });
    form(await w.run(w.as.alice, 'clientticket.edit', { elid: String(id) }));
    expect(firstOf(list(await w.run(w.as.alice, 'clientticket')).rows).unread).toBe(false);
  });

  it('archived tickets show only through the filter; clientticket.filter saves and resets', async () => {
    const a = await w.openTicket({ name: 'Alpha' });
    const b = await w.openTicket({ name: 'Beta' });
    await w.run(w.as.admin, 'ticket.delete', { elid: String(a), sok: 'ok' });
    await w.run(w.as.alice, 'clientticket.archive', { elid: String(a), sok: 'ok' });
    expect(list(await w.run(w.as.alice, 'clientticket')).rows.map((r) => r.id)).toEqual([b]);
    ok(await w.run(w.as.alice, 'clientticket.filter', { tstatus: '10', sok: 'ok' }));
    expect(list(await w.run(w.as.alice, 'clientticket')).rows.map((r) => r.id)).toEqual([a]);
    expect(form(await w.run(w.as.alice, 'clientticket.filter')).fields).toEqual({ tstatus: '10' });
    ok(await w.run(w.as.alice, 'clientticket.filter', { name: 'bet', sok: 'ok' }));
    expect(list(await w.run(w.as.alice, 'clientticket')).rows.map((r) => r.id)).toEqual([b]);
    ok(await w.run(w.as.alice, 'clientticket.filter', { reset: 'on' }));
    expect(form(await w.run(w.as.alice, 'clientticket.filter')).fields).toEqual({});
    expect(list(await w.run(w.as.alice, 'clientticket')).rows).toHaveLength(1);
    await refused(w.run(w.as.alice, 'clientticket.filter', { tstatus: '4', sok: 'ok' }), 'value', 'tstatus');
    // Bob's filter is his own.
    expect(form(await w.run(w.as.bob, 'clientticket.filter')).fields).toEqual({});
  });

  it('inline filters reach archived tickets and every column', async () => {
    const a = await w.openTicket({ name: 'Alpha' });
    const b = await w.openTicket({ name: 'Beta' });
    await w.run(w.as.admin, 'ticket.delete', { elid: String(a), sok: 'ok' });
    await w.run(w.as.alice, 'clientticket.archive', { elid: String(a), sok: 'ok' });
    const ids = async (params: Record<string, string>) =>
      list(await w.run(w.as.alice, 'clientticket', params)).rows.map((r) => r.id);
    expect(await ids({ filter: 'on', tstatus: '10' })).toEqual([a]);
    expect(await ids({ filter: 'on', tstatus: '1' })).toEqual([]);
    expect(await ids({ filter: 'on', tstatus: '0' })).toEqual([b]);
    expect(await ids({ filter: 'on', create_user: 'alice' })).toEqual([b]);
    expect(await ids({ filter: 'on', last_message: 'VPS', tstatus: '10' })).toEqual([a]);
    expect(await ids({ filter: 'on', date: '2026-03-02 10:00' })).toEqual([b]);
    expect(await ids({ filter: 'on', wait_time: '0d+' })).toEqual([b]);
  });
});

describe('clientticket.edit', () => {
  it('opens a ticket: new, waiting, with the regulation deadline', async () => {
    const id = await w.openTicket({ ticket_item: String(w.ids.server.id), client_priority: '2' });
    const t = await ticketRow(db.db, id);
    expect(t).toMatchObject({
      status: 0,
      clientPriority: 2,
      priority: 2,
      serviceId: w.ids.server.id,
      createdBy: w.ids.alice.id,
    });
    expect(t.waitingSince?.toISOString()).toBe('2026-03-02T10:00:00.000Z');
    // High priority in Support: 60 business minutes.
    expect(t.deadline?.toISOString()).toBe('2026-03-02T11:00:00.000Z');
  });

  it('the new-ticket form offers only the client’s provider and services', async () => {
    const f = form(await w.run(w.as.alice, 'clientticket.edit'));
    expect(f.options?.client_department?.map((o) => o.key)).toEqual([
      String(w.ids.support.id),
      String(w.ids.paid.id),
    ]);
    expect(f.options?.ticket_item?.map((o) => o.key)).toEqual([String(w.ids.server.id)]);
    expect(form(await w.run(w.as.bob, 'clientticket.edit')).options?.ticket_item).toEqual([]);
  });

  it('bad and missing parameters when opening', async () => {
    const base = { name: 'n', message: 'm', client_department: String(w.ids.support.id), sok: 'ok' };
    // client_department is optional (the provider's default department; tested in test/conformance).
    for (const key of ['name', 'message'] as const) {
      const { [key]: _, ...rest } = base;
      await refused(w.run(w.as.alice, 'clientticket.edit', rest), 'missed', key);
    }
    const dep = (id: number) => ({ ...base, client_department: String(id) });
    await refused(
      w.run(w.as.alice, 'clientticket.edit', dep(w.ids.foreign.id)),
      'value',
      'client_department',
    );
    await refused(w.run(w.as.alice, 'clientticket.edit', dep(4242)), 'missed', 'client_department');
    await refused(
      w.run(w.as.bob, 'clientticket.edit', { ...base, item: String(w.ids.server.id) }),
      'missed',
      'ticket_item',
    );
    await refused(
      w.run(w.as.alice, 'clientticket.edit', { ...base, priority: 'urgent' }),
      'value',
      'priority',
    );
    await refused(w.run(w.as.alice, 'clientticket.edit', { ...base, elid: '0' }), 'value', 'elid');
  });

  it('a client cannot touch another client’s ticket', async () => {
    const id = String(await w.openTicket());
    const before = await footprint(db.db);
    await refused(w.run(w.as.bob, 'clientticket.edit', { elid: id }), 'access', 'elid');
    await refused(
      w.run(w.as.bob, 'clientticket.edit', { elid: id, message: 'hi', sok: 'ok' }),
      'access',
      'elid',
    );
    await refused(w.run(w.as.bob, 'clientticket.archive', { elid: id, sok: 'ok' }), 'access', 'elid');
    await refused(
      w.run(w.as.bob, 'clientticket.edit', { elid: '999', message: 'hi', sok: 'ok' }),
      'missed',
      'elid',
    );
    expect(await footprint(db.db)).toEqual(before);
  });

  it.each([
    ['note_message', 'psst'],
    ['ticket_expense', '5'],
    ['high_priority', 'on'],
    ['low_priority', 'on'],
    ['incident_count', '9'],
    ['show_abuse', 'on'],
    ['score', '3'],
    ['score_note', 'x'],
    ['action', 'warn'],
    ['deadline_date', '2026-03-10'],
    ['deadline_time', '10:00:00'],
  ])('refuses the staff-only parameter %s from a client', async (param, value) => {
    const id = String(await w.openTicket());
    const before = await footprint(db.db);
    await refused(
      w.run(w.as.alice, 'clientticket.edit', { elid: id, message: 'm', [param]: value, sok: 'ok' }),
      'access',
      param,
    );
    await refused(
      w.run(w.as.alice, 'clientticket.edit', {
        name: 'n',
        message: 'm',
        client_department: '1',
        [param]: value,
        sok: 'ok',
      }),
      'access',
      param,
    );
    expect(await footprint(db.db)).toEqual(before);
  });

  it('an admin acting as the client (su) may use staff parameters; the audit log names both', async () => {
    const id = await w.openTicket();
    const su: Session = { ...w.as.alice, suBy: { userId: w.ids.admin.id, login: 'admin' } };
    ok(
      await w.run(su, 'clientticket.edit', {
        elid: String(id),
        high_priority: 'on',
        note_message: 'via su',
        sok: 'ok',
      }),
    );
    expect((await ticketRow(db.db, id)).highPriority).toBe(true);
    expect((await auditRows(db.db)).at(-1)).toMatchObject({
      actor: 'admin as alice',
      func: 'clientticket.edit',
      ticketId: id,
    });
    // The note is written, under the admin's own name, and stays internal: the client's view does not show it.
    const staffView = await w.run(w.as.root, 'ticket.message', { elid: String(id) });
    expect(
      staffView.kind === 'list' && staffView.rows.map((r) => [r.message, r.message_user, r.note]),
    ).toEqual([
      ['My VPS does not boot', 'Alice Acme', false],
      ['via su', 'Adam Admin', true],
    ]);
    const f = form(await w.run(w.as.alice, 'clientticket.edit', { elid: String(id) }));
    expect(f.messages?.map((m) => m.body)).toEqual(['My VPS does not boot']);
  });

  it('the form never shows internal notes or hidden messages', async () => {
    const id = await w.openTicket();
    await w.run(w.as.admin, 'ticket.edit', {
      elid: String(id),
      note_message: 'internal',
      message: 'public',
      sok: 'ok',
    });
    await w.run(w.as.alice, 'clientticket.edit', { elid: String(id), message: 'thanks', sok: 'ok' });
    await w.run(w.as.admin, 'ticket.edit', { elid: String(id), message: 'oops, wrong text', sok: 'ok' });
    const oops = (await messagesOf(db.db, id)).at(-1);
    await w.run(w.as.admin, 'ticket.message.delete', { elid: String(oops?.id), plid: String(id), sok: 'ok' });
    const f = form(await w.run(w.as.alice, 'clientticket.edit', { elid: String(id) }));
    expect(f.messages?.map((m) => m.body)).toEqual(['My VPS does not boot', 'public', 'thanks']);
    expect(f.messages?.every((m) => !m.internal && !m.hidden)).toBe(true);
    const staff = form(await w.run(w.as.admin, 'ticket.edit', { elid: String(id) }));
    expect(staff.messages).toHaveLength(5);
  });

  it('a client message re-opens a closed ticket; an archived one is refused', async () => {
    const id = await w.openTicket();
    await w.run(w.as.admin, 'ticket.edit', { elid: String(id), message: 'done', sok: 'ok' });
    await w.run(w.as.admin, 'ticket.delete', { elid: String(id), sok: 'ok' });
    w.clock.advance(3_600_000);
    ok(
      await w.run(w.as.alice, 'clientticket.edit', {
        elid: String(id),
        message: 'again',
        client_priority: '0',
        sok: 'ok',
      }),
    );
    const t = await ticketRow(db.db, id);
    expect(t).toMatchObject({ status: 0, clientPriority: 0 });
    expect(t.waitingSince?.toISOString()).toBe('2026-03-02T11:00:00.000Z');
    await w.run(w.as.admin, 'ticket.delete', { elid: String(id), sok: 'ok' });
    await w.run(w.as.alice, 'clientticket.archive', { elid: String(id), sok: 'ok' });
    await refused(
      w.run(w.as.alice, 'clientticket.edit', { elid: String(id), message: 'x', sok: 'ok' }),
      'value',
      'elid',
    );
  });
});

describe('clientticket.archive', () => {
  it('archives closed tickets only, all listed or none', async () => {
    const open = await w.openTicket();
    const closed = await w.openTicket();
    await w.run(w.as.admin, 'ticket.delete', { elid: String(closed), sok: 'ok' });
    await refused(
      w.run(w.as.alice, 'clientticket.archive', { elid: `${closed},${open}`, sok: 'ok' }),
      'value',
      'elid',
    );
    expect((await ticketRow(db.db, closed)).status).toBe(3);
    ok(await w.run(w.as.alice, 'clientticket.archive', { elid: String(closed), sok: 'ok' }));
    expect(await ticketRow(db.db, closed)).toMatchObject({ status: 10, waitingSince: null });
    await refused(w.run(w.as.alice, 'clientticket.archive', { elid: String(closed) }), 'missed', 'sok');
    await refused(w.run(w.as.alice, 'clientticket.archive', { sok: 'ok' }), 'missed', 'elid');
  });
});

import { describe, expect, it } from 'vitest';
import { useTestWorld } from '../helpers/setup.ts';
import { form, list, messagesOf, ok, refused, ticketRow } from './support.ts';

const { db, w } = useTestWorld();

const MIN = 60_000;

describe('ticket.edit: opening and the lock', () => {
  it('opening shows the form, puts a new ticket under review and locks it to the opener', async () => {
    const id = await w.openTicket();
    const f = form(await w.run(w.as.admin, 'ticket.edit', { elid: String(id) }));
    expect(f.fields).toMatchObject({
      id,
      name: 'Server down',
      client: 'ACME Ltd',
      tstatus: '1',
      priority: '1',
    });
    // Who took the lock and when, as BILLmanager shows it (it runs until 10:30).
    expect(f.fields.blocked_by).toMatch(/^Adam Admin, 2026-03-02 10:00:00$/);
    expect(f.messages?.map((m) => m.body)).toEqual(['My VPS does not boot']);
    const t = await ticketRow(db.db, id);
    expect(t).toMatchObject({ status: 1, lockedBy: w.ids.admin.id });
    expect(t.lockedUntil?.toISOString()).toBe('2026-03-02T10:30:00.000Z');
    const rows = list(await w.run(w.as.admin, 'ticket')).rows;
    expect(rows[0]).toMatchObject({ unread: false, tstatus: '1', locked_by_id: w.ids.admin.id });
  });

  it('another staff member cannot reply while it is locked, naming the holder; nothing is written', async () => {
    const id = await w.openTicket();
    await w.run(w.as.admin, 'ticket.edit', { elid: String(id) });
    const e = await refused(
      w.run(w.as.root, 'ticket.edit', { elid: String(id), message: 'Me too', sok: 'ok' }),
      'access',
      'message',
    );
    expect(e.message).toContain('Adam Admin');
    expect(await messagesOf(db.db, id)).toHaveLength(1);
    // Opening it does not steal the lock.
    const f = form(await w.run(w.as.root, 'ticket.edit', { elid: String(id) }));
    expect(f.fields.blocked_by).toContain('Adam Admin');
    expect((await ticketRow(db.db, id)).lockedBy).toBe(w.ids.admin.id);
  });

  it('others may still change other fields and add internal notes while it is locked', async () => {
    const id = await w.openTicket();
    await w.run(w.as.admin, 'ticket.edit', { elid: String(id) });
    ok(
      await w.run(w.as.root, 'ticket.edit', {
        elid: String(id),
        priority: '2',
        note_message: 'VIP',
        sok: 'ok',
      }),
    );
    const t = await ticketRow(db.db, id);
    expect(t).toMatchObject({ priority: 2, lockedBy: w.ids.admin.id, status: 1 });
    expect((await messagesOf(db.db, id)).map((m) => [m.body, m.internal])).toEqual([
      ['My VPS does not boot', false],
      ['VIP', true],
    ]);
  });

  it('the lock expires after settings.lockMinutes', async () => {
    const id = await w.openTicket();
    await w.run(w.as.admin, 'ticket.edit', { elid: String(id) });
    w.clock.advance(29 * MIN);
    await refused(
      w.run(w.as.root, 'ticket.edit', { elid: String(id), message: 'x', sok: 'ok' }),
      'access',
      'message',
    );
    w.clock.advance(MIN);
    ok(await w.run(w.as.root, 'ticket.edit', { elid: String(id), message: 'Done', sok: 'ok' }));
  });

  it('the holder replying releases the lock', async () => {
    const id = await w.openTicket();
    await w.run(w.as.admin, 'ticket.edit', { elid: String(id) });
    ok(await w.run(w.as.admin, 'ticket.edit', { elid: String(id), message: 'On it', sok: 'ok' }));
    expect(await ticketRow(db.db, id)).toMatchObject({ lockedBy: null, lockedUntil: null });
    ok(await w.run(w.as.root, 'ticket.edit', { elid: String(id), message: 'Fixed', sok: 'ok' }));
  });

  it('ticket.unblock releases the lock', async () => {
    const id = await w.openTicket();
    await w.run(w.as.admin, 'ticket.edit', { elid: String(id) });
    ok(await w.run(w.as.root, 'ticket.unblock', { elid: String(id), sok: 'ok' }));
    expect((await ticketRow(db.db, id)).lockedBy).toBeNull();
    ok(await w.run(w.as.root, 'ticket.edit', { elid: String(id), message: 'Fixed', sok: 'ok' }));
  });

  it('a closed ticket opens without taking the lock', async () => {
    const id = await w.openTicket();
    await w.run(w.as.admin, 'ticket.delete', { elid: String(id), sok: 'ok' });
    form(await w.run(w.as.admin, 'ticket.edit', { elid: String(id) }));
    expect(await ticketRow(db.db, id)).toMatchObject({ status: 3, lockedBy: null });
  });
});

describe('ticket.edit: replies and fields', () => {
  it('a reply answers the client: awaiting response, the wait and the deadline end', async () => {
    const id = await w.openTicket();
    expect((await ticketRow(db.db, id)).deadline?.toISOString()).toBe('2026-03-02T14:00:00.000Z');
    ok(await w.run(w.as.admin, 'ticket.edit', { elid: String(id), message: 'Rebooted', sok: 'ok' }));
    expect(await ticketRow(db.db, id)).toMatchObject({ status: 2, waitingSince: null, deadline: null });
  });

  it('priority and high_priority recompute the regulation deadline', async () => {
    const id = await w.openTicket();
    ok(await w.run(w.as.admin, 'ticket.edit', { elid: String(id), priority: '0', sok: 'ok' }));
    // 480 business minutes from Monday 11:00 Berlin: Tuesday 10:00 Berlin.
    expect((await ticketRow(db.db, id)).deadline?.toISOString()).toBe('2026-03-03T09:00:00.000Z');
    ok(await w.run(w.as.admin, 'ticket.edit', { elid: String(id), high_priority: 'on', sok: 'ok' }));
    expect(await ticketRow(db.db, id)).toMatchObject({ highPriority: true, priority: 0 });
    expect((await ticketRow(db.db, id)).deadline?.toISOString()).toBe('2026-03-02T11:00:00.000Z');
    ok(await w.run(w.as.admin, 'ticket.edit', { elid: String(id), low_priority: 'on', sok: 'ok' }));
    expect((await ticketRow(db.db, id)).highPriority).toBe(false);
    await refused(
      w.run(w.as.admin, 'ticket.edit', {
        elid: String(id),
        high_priority: 'on',
        low_priority: 'on',
        sok: 'ok',
      }),
      'value',
      'low_priority',
    );
  });

  it('assigns to a staff member and back to the department', async () => {
    const id = await w.openTicket();
    ok(
      await w.run(w.as.root, 'ticket.edit', {
        elid: String(id),
        responsible: String(w.ids.admin.id),
        sok: 'ok',
      }),
    );
    expect(list(await w.run(w.as.root, 'ticket')).rows[0]).toMatchObject({ responsible: 'Adam Admin' });
    ok(await w.run(w.as.root, 'ticket.edit', { elid: String(id), responsible: '0', sok: 'ok' }));
    expect(list(await w.run(w.as.root, 'ticket')).rows[0]).toMatchObject({ responsible: 'Support' });
    // A client user is no staff member.
    await refused(
      w.run(w.as.root, 'ticket.edit', { elid: String(id), responsible: String(w.ids.alice.id), sok: 'ok' }),
      'missed',
      'responsible',
    );
  });

  it('refuses a department of another provider and a service of another client', async () => {
    const id = await w.openTicket();
    const elid = String(id);
    await refused(
      w.run(w.as.root, 'ticket.edit', { elid, client_department: String(w.ids.foreign.id), sok: 'ok' }),
      'value',
      'client_department',
    );
    await refused(
      w.run(w.as.root, 'ticket.edit', { elid, client_department: '999', sok: 'ok' }),
      'missed',
      'client_department',
    );
    ok(await w.run(w.as.root, 'ticket.edit', { elid, ticket_item: String(w.ids.server.id), sok: 'ok' }));
    expect((await ticketRow(db.db, id)).serviceId).toBe(w.ids.server.id);
    const bobs = ok(
      await w.run(w.as.bob, 'clientticket.edit', {
        name: 'Hi',
        message: 'x',
        client_department: String(w.ids.support.id),
        sok: 'ok',
      }),
    ).id;
    await refused(
      w.run(w.as.root, 'ticket.edit', {
        elid: String(bobs),
        ticket_item: String(w.ids.server.id),
        sok: 'ok',
      }),
      'missed',
      'ticket_item',
    );
  });

  it('bad and missing parameters', async () => {
    const id = String(await w.openTicket());
    await refused(w.run(w.as.root, 'ticket.edit', { elid: '999', sok: 'ok' }), 'missed', 'elid');
    await refused(w.run(w.as.root, 'ticket.edit', { elid: 'abc' }), 'value', 'elid');
    await refused(
      w.run(w.as.root, 'ticket.edit', { elid: id, priority: '5', sok: 'ok' }),
      'value',
      'priority',
    );
    await refused(w.run(w.as.root, 'ticket.edit', { elid: id, plid: '77', sok: 'ok' }), 'value', 'plid');
    await refused(
      w.run(w.as.root, 'ticket.edit', { elid: id, high_priority: 'sure', sok: 'ok' }),
      'value',
      'high_priority',
    );
    await refused(
      w.run(w.as.root, 'ticket.edit', { elid: id, name: 'x'.repeat(201), sok: 'ok' }),
      'value',
      'name',
    );
  });
});

describe('ticket.edit: staff open a ticket for a client', () => {
  it('creates a ticket with the staff message, awaiting the client', async () => {
    const r = ok(
      await w.run(w.as.root, 'ticket.edit', {
        client: String(w.ids.acme.id),
        client_department: String(w.ids.support.id),
        name: 'Planned maintenance',
        message: 'We will reboot tonight',
        priority: '2',
        sok: 'ok',
      }),
    );
    const t = await ticketRow(db.db, r.id as number);
    expect(t).toMatchObject({ clientId: w.ids.acme.id, createdBy: w.ids.alice.id, status: 2, priority: 2 });
    expect((await messagesOf(db.db, t.id)).map((m) => [m.fromStaff, m.body])).toEqual([
      [true, 'We will reboot tonight'],
    ]);
    const f = form(await w.run(w.as.alice, 'clientticket.edit', { elid: String(t.id) }));
    expect(f.messages?.map((m) => m.type)).toEqual(['outcoming']);
  });

  it('names what is missing', async () => {
    const base = {
      client: String(w.ids.acme.id),
      client_department: String(w.ids.support.id),
      name: 'n',
      message: 'm',
      sok: 'ok',
    };
    // client_department is optional: the provider's default department (test/conformance).
    for (const key of ['client', 'name', 'message'] as const) {
      const { [key]: _, ...rest } = base;
      await refused(w.run(w.as.root, 'ticket.edit', rest), 'missed', key);
    }
    await refused(w.run(w.as.root, 'ticket.edit', { ...base, client: '999' }), 'missed', 'client');
    await refused(
      w.run(w.as.root, 'ticket.edit', { ...base, client_department: String(w.ids.foreign.id) }),
      'value',
      'client_department',
    );
    const f = form(await w.run(w.as.root, 'ticket.edit', {}));
    expect(f.options?.client_department?.length).toBe(3);
  });
});

import { describe, expect, it } from 'vitest';
import { call, registry } from '../../src/functions/registry.ts';
import { firstOf, nth } from '../helpers/rows.ts';
import { useTestWorld } from '../helpers/setup.ts';
import { auditRows, footprint, messagesOf, ok, refused } from './support.ts';

const { db, w } = useTestWorld();

const STAFF_FUNCTIONS = [
  'ticket',
  'ticket.edit',
  'ticket.delete',
  'ticket.unblock',
  'ticket.favorite',
  'ticket.message',
  'ticket.message.edit',
  'ticket.split',
  'ticket.message.delete',
  'ticket.setfilter',
  'ticket.filter',
  'ticket.su',
];
const CLIENT_FUNCTIONS = [
  'clientticket',
  'clientticket.filter',
  'incident',
  'clientticket.edit',
  'clientticket.archive',
];

/** Provisioning (roots only), tested in test/provisioning. */
const PROVISIONING_FUNCTIONS = ['project', 'department', 'account', 'user', 'admin'].flatMap((name) => [
  name,
  `${name}.edit`,
  `${name}.delete`,
]);

/** Ours beside the spec's: scheduled-work settings and the on-call Ack (tested in test/schedule). */
const SCHEDULE_FUNCTIONS = ['department.schedule', 'oncall.ack'];

describe('the registry', () => {
  it('holds the 17 functions of the spec, the provisioning functions and the scheduled-work ones', () => {
    expect(Object.keys(registry).sort()).toEqual(
      [
        ...STAFF_FUNCTIONS,
        ...CLIENT_FUNCTIONS,
        ...PROVISIONING_FUNCTIONS,
        'ticket.import',
        ...SCHEDULE_FUNCTIONS,
      ].sort(),
    );
  });

  it('refuses clients calling staff functions and staff calling client functions, writing nothing', async () => {
    const id = String(await w.openTicket());
    const before = await footprint(db.db);
    const params = { elid: id, plid: id, message: 'x', sok: 'ok' };
    for (const name of STAFF_FUNCTIONS) await refused(w.run(w.as.alice, name, params), 'access', name);
    for (const name of CLIENT_FUNCTIONS) {
      await refused(w.run(w.as.admin, name, params), 'access', name);
      await refused(w.run(w.as.root, name, params), 'access', name);
    }
    expect(await footprint(db.db)).toEqual(before);
  });

  it('refuses unknown functions, prototype names included', async () => {
    for (const name of ['ticket.nope', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const e = await refused(call(w.deps, w.as.root, name, {}), 'missed', 'func');
      expect(e.message).toContain(name);
    }
  });
});

describe('the audit log', () => {
  it('records every ok write with actor, function and ticket; reads and refusals leave none', async () => {
    const id = await w.openTicket();
    const elid = String(id);
    await w.run(w.as.admin, 'ticket');
    await w.run(w.as.admin, 'ticket.edit', { elid });
    await w.run(w.as.admin, 'ticket.message', { elid });
    await refused(
      w.run(w.as.root, 'ticket.edit', { elid, message: 'locked', sok: 'ok' }),
      'access',
      'message',
    );
    ok(await w.run(w.as.admin, 'ticket.edit', { elid, message: 'Hello', sok: 'ok' }));
    const reply = nth(await messagesOf(db.db, id), 1).id;
    ok(
      await w.run(w.as.admin, 'ticket.message.edit', {
        plid: elid,
        elid: String(reply),
        message: 'Hi',
        sok: 'ok',
      }),
    );
    ok(await w.run(w.as.admin, 'ticket.favorite', { elid, sok: 'ok' }));
    ok(await w.run(w.as.alice, 'clientticket.edit', { elid, message: 'More', sok: 'ok' }));
    const more = nth(await messagesOf(db.db, id), 2).id;
    const split = ok(
      await w.run(w.as.root, 'ticket.split', { elid: String(more), plid: elid, sok: 'ok' }),
    ).id;
    ok(await w.run(w.as.root, 'ticket.message.delete', { elid: String(reply), plid: elid, sok: 'ok' }));
    ok(await w.run(w.as.root, 'ticket.unblock', { elid, sok: 'ok' }));
    ok(await w.run(w.as.root, 'ticket.setfilter', { elid: String(w.ids.acme.id) }));
    ok(await w.run(w.as.root, 'ticket.filter', { reset: 'on' }));
    ok(await w.run(w.as.root, 'ticket.su', { elid }));
    ok(await w.run(w.as.root, 'ticket.delete', { elid, sok: 'ok' }));
    ok(await w.run(w.as.alice, 'clientticket.archive', { elid, sok: 'ok' }));
    ok(await w.run(w.as.alice, 'clientticket.filter', { tstatus: '10', sok: 'ok' }));
    ok(await w.run(w.as.alice, 'incident', { count: '1', sok: 'ok' }));
    await refused(w.run(w.as.bob, 'incident', { count: '1', sok: 'ok' }), 'value', 'count');
    await w.run(w.as.alice, 'clientticket');
    await w.run(w.as.alice, 'clientticket.edit', { elid });

    expect((await auditRows(db.db)).map((r) => [r.actor, r.func, r.ticketId])).toEqual([
      ['alice', 'clientticket.edit', id],
      ['admin', 'ticket.edit', id],
      ['admin', 'ticket.message.edit', id],
      ['admin', 'ticket.favorite', id],
      ['alice', 'clientticket.edit', id],
      ['root', 'ticket.split', id],
      ['root', 'ticket.split', split],
      ['root', 'ticket.message.delete', id],
      ['root', 'ticket.unblock', id],
      ['root', 'ticket.setfilter', null],
      ['root', 'ticket.filter', null],
      ['root', 'ticket.su', id],
      ['root', 'ticket.delete', id],
      ['alice', 'clientticket.archive', id],
      ['alice', 'clientticket.filter', null],
      ['alice', 'incident', null],
    ]);
  });

  it('keeps the parameters but never secrets', async () => {
    const id = await w.openTicket({ password: 'hunter2', auth: 'abc', api_key: 'k' });
    const row = firstOf(await db.db.query.auditLog.findMany());
    expect(row.ticketId).toBe(id);
    expect(row.params).toMatchObject({ name: 'Server down', sok: 'ok' });
    expect(Object.keys(row.params)).not.toEqual(expect.arrayContaining(['password']));
    expect(JSON.stringify(row.params)).not.toMatch(/hunter2|abc|"k"/);
  });
});

import { describe, expect, it } from 'vitest';
import { useTestWorld } from '../helpers/setup.ts';
import { auditRows, footprint, list, ok, refused, ticketRow } from './support.ts';

const { db, w } = useTestWorld();

describe('ticket.delete', () => {
  it('closes tickets: out of the queue, no wait, no lock, no regulation deadline', async () => {
    const a = await w.openTicket();
    const b = await w.openTicket();
    await w.run(w.as.admin, 'ticket.edit', { elid: String(a) });
    ok(await w.run(w.as.root, 'ticket.delete', { elid: `${a}, ${b}`, sok: 'ok' }));
    for (const id of [a, b])
      expect(await ticketRow(db.db, id)).toMatchObject({
        status: 3,
        waitingSince: null,
        deadline: null,
        lockedBy: null,
      });
    expect(list(await w.run(w.as.root, 'ticket')).rows).toEqual([]);
  });

  it('keeps a deadline set by hand', async () => {
    const id = await w.openTicket();
    await w.run(w.as.admin, 'ticket.edit', { elid: String(id), deadline_date: '2026-03-09', sok: 'ok' });
    ok(await w.run(w.as.root, 'ticket.delete', { elid: String(id), sok: 'ok' }));
    expect((await ticketRow(db.db, id)).deadline?.toISOString()).toBe('2026-03-09T22:59:59.000Z');
  });

  it('an already closed ticket counts as done; an unknown one closes none of the list', async () => {
    const a = await w.openTicket();
    const b = await w.openTicket();
    await w.run(w.as.root, 'ticket.delete', { elid: String(a), sok: 'ok' });
    const closedA = await ticketRow(db.db, a);
    const before = await footprint(db.db);
    await refused(w.run(w.as.root, 'ticket.delete', { elid: `${b},404`, sok: 'ok' }), 'missed', 'elid');
    await refused(w.run(w.as.root, 'ticket.delete', { elid: String(b) }), 'missed', 'sok');
    await refused(w.run(w.as.root, 'ticket.delete', { sok: 'ok' }), 'missed', 'elid');
    expect(await footprint(db.db)).toEqual(before);
    ok(await w.run(w.as.root, 'ticket.delete', { elid: `${b},${a}`, sok: 'ok' }));
    expect(await ticketRow(db.db, a)).toEqual(closedA);
    expect((await ticketRow(db.db, b)).status).toBe(3);
    // Archived tickets are closed too: done, and they stay archived.
    await w.run(w.as.alice, 'clientticket.archive', { elid: String(a), sok: 'ok' });
    ok(await w.run(w.as.root, 'ticket.delete', { elid: String(a), sok: 'ok' }));
    expect((await ticketRow(db.db, a)).status).toBe(10);
  });
});

describe('ticket.unblock', () => {
  it('releases locks of the listed tickets and leaves unlocked ones as they are', async () => {
    const a = await w.openTicket();
    const b = await w.openTicket();
    await w.run(w.as.admin, 'ticket.edit', { elid: String(a) });
    const untouched = await ticketRow(db.db, b);
    ok(await w.run(w.as.root, 'ticket.unblock', { elid: `${a},${b}`, sok: 'ok' }));
    expect(await ticketRow(db.db, a)).toMatchObject({ lockedBy: null, lockedUntil: null });
    expect(await ticketRow(db.db, b)).toEqual(untouched);
    await refused(w.run(w.as.root, 'ticket.unblock', { elid: '404', sok: 'ok' }), 'missed', 'elid');
  });
});

describe('ticket.favorite', () => {
  it('adds per staff member, idempotently; remove=on takes them out again', async () => {
    const a = await w.openTicket();
    const b = await w.openTicket();
    const favs = async (who = w.as.admin) =>
      list(await w.run(who, 'ticket'))
        .rows.filter((r) => r.favorite)
        .map((r) => r.id)
        .sort();
    ok(await w.run(w.as.admin, 'ticket.favorite', { elid: String(a), sok: 'ok' }));
    expect(await favs()).toEqual([a]);
    expect(await favs(w.as.root)).toEqual([]);
    ok(await w.run(w.as.admin, 'ticket.favorite', { elid: `${a},${b}`, sok: 'ok' }));
    expect(await favs()).toEqual([a, b]);
    // A script that adds on every run keeps its favorites.
    ok(await w.run(w.as.admin, 'ticket.favorite', { elid: `${a},${b}`, sok: 'ok' }));
    expect(await favs()).toEqual([a, b]);
    ok(await w.run(w.as.admin, 'ticket.favorite', { elid: String(a), remove: 'on', sok: 'ok' }));
    expect(await favs()).toEqual([b]);
    ok(await w.run(w.as.admin, 'ticket.favorite', { elid: `${a},${b}`, remove: 'on', sok: 'ok' }));
    expect(await favs()).toEqual([]);
    await refused(w.run(w.as.admin, 'ticket.favorite', { elid: `${a},404`, sok: 'ok' }), 'missed', 'elid');
  });
});

describe('ticket.su', () => {
  it('names the client user who opened the ticket, and is audited', async () => {
    const id = await w.openTicket();
    const r = ok(await w.run(w.as.admin, 'ticket.su', { elid: String(id) }));
    expect(r.su).toEqual({ userId: w.ids.alice.id, login: 'alice' });
    expect((await auditRows(db.db)).at(-1)).toEqual({
      actor: 'admin',
      func: 'ticket.su',
      ticketId: id,
      via: 'test',
    });
    await refused(w.run(w.as.admin, 'ticket.su', { elid: '404' }), 'missed', 'elid');
    await refused(w.run(w.as.admin, 'ticket.su', {}), 'missed', 'elid');
  });
});

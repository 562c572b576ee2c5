import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { exactly } from '../../db/rows.ts';
import { clients, incidentPurchases, users } from '../../db/schema.ts';
import type { Session } from '../../src/functions/types.ts';
import { firstOf } from '../helpers/rows.ts';
import { useTestWorld } from '../helpers/setup.ts';
import { clientRow, footprint, form, ok, refused, ticketRow } from './support.ts';

const { db, w } = useTestWorld();

const paidTicket = () => ({ client_department: String(w.ids.paid.id) });

describe('incident', () => {
  it('the form shows price, balance and tickets left', async () => {
    const f = form(await w.run(w.as.alice, 'incident'));
    expect(f.fields).toEqual({
      elid: w.ids.acme.id,
      price: '15.00',
      balance: '100.00',
      incident_count: 0,
      count: '1',
    });
  });

  it('buys support tickets from the balance and records the purchase', async () => {
    const r = ok(await w.run(w.as.alice, 'incident', { elid: String(w.ids.acme.id), count: '3', sok: 'ok' }));
    expect(await clientRow(db.db, w.ids.acme.id)).toMatchObject({ balance: '55.00', incidents: 3 });
    const rows = await db.db.select().from(incidentPurchases);
    expect(rows).toMatchObject([
      { id: r.id, clientId: w.ids.acme.id, userId: w.ids.alice.id, count: 3, amount: '45.00' },
    ]);
  });

  it('refuses a purchase the balance does not cover, writing nothing', async () => {
    const before = await footprint(db.db);
    const e = await refused(w.run(w.as.bob, 'incident', { count: '1', sok: 'ok' }), 'value', 'count');
    expect(e.message).toContain('15.00');
    await refused(w.run(w.as.alice, 'incident', { count: '7', sok: 'ok' }), 'value', 'count');
    expect(await footprint(db.db)).toEqual(before);
    expect(await db.db.select().from(incidentPurchases)).toEqual([]);
  });

  it('bad and missing parameters', async () => {
    // Without count, one ticket is bought (the form's own default).
    ok(await w.run(w.as.alice, 'incident', { sok: 'ok' }));
    expect((await db.db.select().from(incidentPurchases)).map((p) => p.count)).toEqual([1]);
    await refused(w.run(w.as.alice, 'incident', { count: '0', sok: 'ok' }), 'value', 'count');
    await refused(w.run(w.as.alice, 'incident', { count: '1001', sok: 'ok' }), 'value', 'count');
    await refused(w.run(w.as.alice, 'incident', { count: 'two', sok: 'ok' }), 'value', 'count');
    await refused(
      w.run(w.as.alice, 'incident', { elid: String(w.ids.globex.id), count: '1', sok: 'ok' }),
      'access',
      'elid',
    );
  });

  it('is refused where the provider offers no paid support, and for a user without a client', async () => {
    const stark = firstOf(
      await db.db
        .insert(clients)
        .values({ name: 'Stark', providerId: w.ids.other.id, balance: '500' })
        .returning(),
    );
    const [tony, ghost] = exactly(
      await db.db
        .insert(users)
        .values([
          { login: 'tony', name: 'Tony', level: 'user', clientId: stark.id },
          { login: 'ghost', name: 'Ghost', level: 'user' },
        ])
        .returning(),
      2,
      'user',
    );
    const as = (u: typeof tony): Session => ({
      userId: u.id,
      login: u.login,
      level: 'user',
      clientId: u.clientId ?? undefined,
      via: 'test',
    });
    await refused(w.run(as(tony), 'incident', { count: '1', sok: 'ok' }), 'value', 'incident');
    await refused(w.run(as(ghost), 'incident'), 'access', 'client');
    await refused(
      w.run(as(ghost), 'clientticket.edit', { ...paidTicket(), name: 'n', message: 'm', sok: 'ok' }),
      'access',
      'client',
    );
  });
});

describe('paid-support departments', () => {
  it('opening a ticket there spends one support ticket; without one it is refused', async () => {
    const before = await footprint(db.db);
    await refused(w.openTicket(paidTicket()), 'value', 'client_department');
    expect(await footprint(db.db)).toEqual(before);
    await w.run(w.as.alice, 'incident', { count: '2', sok: 'ok' });
    const id = await w.openTicket(paidTicket());
    expect(await ticketRow(db.db, id)).toMatchObject({ paid: true, departmentId: w.ids.paid.id });
    expect((await clientRow(db.db, w.ids.acme.id)).incidents).toBe(1);
    // The free department costs nothing.
    const free = await w.openTicket();
    expect((await ticketRow(db.db, free)).paid).toBe(false);
    expect((await clientRow(db.db, w.ids.acme.id)).incidents).toBe(1);
    expect(form(await w.run(w.as.alice, 'clientticket.edit', { elid: String(id) })).fields.paid).toBe(true);
  });

  it('premium clients open paid-support tickets without spending', async () => {
    await db.db.update(clients).set({ premium: true }).where(eq(clients.id, w.ids.acme.id));
    const id = await w.openTicket(paidTicket());
    expect((await ticketRow(db.db, id)).paid).toBe(false);
    expect((await clientRow(db.db, w.ids.acme.id)).incidents).toBe(0);
  });
});

import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { expenses, violations } from '../../db/schema.ts';
import { useTestWorld } from '../helpers/setup.ts';
import { clientRow, footprint, form, list, ok, refused, ticketRow } from './support.ts';

const { db, w } = useTestWorld();

describe('ticket.edit: what a ticket costs the client', () => {
  it('ticket_expense debits the balance and records the expense', async () => {
    const id = await w.openTicket();
    ok(await w.run(w.as.admin, 'ticket.edit', { elid: String(id), ticket_expense: '30.25', sok: 'ok' }));
    expect((await clientRow(db.db, w.ids.acme.id)).balance).toBe('69.75');
    const rows = await db.db.select().from(expenses);
    expect(rows).toMatchObject([
      { clientId: w.ids.acme.id, ticketId: id, staffId: w.ids.admin.id, amount: '30.25' },
    ]);
  });

  it('an expense over the balance takes it negative, as in BILLmanager, and both sides see it', async () => {
    const id = await w.openTicket();
    ok(await w.run(w.as.admin, 'ticket.edit', { elid: String(id), ticket_expense: '100', sok: 'ok' }));
    expect((await clientRow(db.db, w.ids.acme.id)).balance).toBe('0.00');
    ok(await w.run(w.as.admin, 'ticket.edit', { elid: String(id), ticket_expense: '20.50', sok: 'ok' }));
    expect((await clientRow(db.db, w.ids.acme.id)).balance).toBe('-20.50');
    expect((await db.db.select().from(expenses)).map((e) => e.amount)).toEqual(['100.00', '20.50']);
    const staff = form(await w.run(w.as.admin, 'ticket.edit', { elid: String(id) }));
    const client = form(await w.run(w.as.alice, 'clientticket.edit', { elid: String(id) }));
    expect(staff.fields.expense_total).toBe('120.50');
    expect(client.fields.expense_total).toBe('120.50');
  });

  it('a refusal after partial work rolls everything back', async () => {
    const id = await w.openTicket();
    const before = await footprint(db.db);
    // The priority change and the charge are applied first, then the violation without a score is
    // refused: the priority and the balance must stay.
    await refused(
      w.run(w.as.admin, 'ticket.edit', {
        elid: String(id),
        priority: '2',
        name: 'Renamed',
        note_message: 'charging',
        ticket_expense: '10',
        show_abuse: 'on',
        score_note: 'spam',
        sok: 'ok',
      }),
      'missed',
      'score',
    );
    expect(await footprint(db.db)).toEqual(before);
    expect(await ticketRow(db.db, id)).toMatchObject({ priority: 1, name: 'Server down' });

    // Fields, a charge and a note, then a reply refused by someone else's lock: all or nothing.
    await w.run(w.as.root, 'ticket.edit', { elid: String(id) });
    const locked = await footprint(db.db);
    await refused(
      w.run(w.as.admin, 'ticket.edit', {
        elid: String(id),
        priority: '0',
        ticket_expense: '10',
        note_message: 'n',
        message: 'reply',
        sok: 'ok',
      }),
      'access',
      'message',
    );
    expect(await footprint(db.db)).toEqual(locked);
  });

  it('incident_count sets how many paid support tickets the client has', async () => {
    const id = await w.openTicket();
    ok(await w.run(w.as.admin, 'ticket.edit', { elid: String(id), incident_count: '3', sok: 'ok' }));
    expect((await clientRow(db.db, w.ids.acme.id)).incidents).toBe(3);
    ok(await w.run(w.as.admin, 'ticket.edit', { elid: String(id), incident_count: '0', sok: 'ok' }));
    expect((await clientRow(db.db, w.ids.acme.id)).incidents).toBe(0);
    await refused(
      w.run(w.as.admin, 'ticket.edit', { elid: String(id), incident_count: '-1', sok: 'ok' }),
      'value',
      'incident_count',
    );
    const f = form(await w.run(w.as.admin, 'ticket.edit', { elid: String(id) }));
    expect(f.fields).toMatchObject({ incident_count: 0, balance: '100.00' });
  });
});

describe('ticket.edit: abuse registration', () => {
  it('registers a violation and raises the client abuse score', async () => {
    const id = await w.openTicket();
    const abuse = {
      elid: String(id),
      show_abuse: 'on',
      score: '5',
      score_note: 'spam',
      action: 'warn',
      sok: 'ok',
    };
    ok(await w.run(w.as.admin, 'ticket.edit', abuse));
    ok(await w.run(w.as.admin, 'ticket.edit', { ...abuse, score: '2', action: '' }));
    const rows = await db.db.select().from(violations).where(eq(violations.clientId, w.ids.acme.id));
    expect(rows.map((v) => [v.ticketId, v.staffId, v.score, v.note, v.action])).toEqual([
      [id, w.ids.admin.id, 5, 'spam', 'warn'],
      [id, w.ids.admin.id, 2, 'spam', 'none'],
    ]);
    expect((await clientRow(db.db, w.ids.acme.id)).abuseScore).toBe(7);
    expect(list(await w.run(w.as.admin, 'ticket')).rows[0]).toMatchObject({
      abuse: true,
      abuse_id: String(w.ids.acme.id),
    });
    expect(form(await w.run(w.as.admin, 'ticket.edit', { elid: String(id) })).fields.abuse_score).toBe(7);
  });

  it('refuses incomplete or bad registrations without writing', async () => {
    const elid = String(await w.openTicket());
    const before = await footprint(db.db);
    await refused(w.run(w.as.admin, 'ticket.edit', { elid, score: '5', sok: 'ok' }), 'value', 'show_abuse');
    await refused(
      w.run(w.as.admin, 'ticket.edit', { elid, show_abuse: 'on', action: 'warn', sok: 'ok' }),
      'missed',
      'score',
    );
    await refused(
      w.run(w.as.admin, 'ticket.edit', { elid, show_abuse: 'on', score: '1', action: 'nuke', sok: 'ok' }),
      'value',
      'action',
    );
    await refused(
      w.run(w.as.admin, 'ticket.edit', { elid, show_abuse: 'on', score: '0', sok: 'ok' }),
      'value',
      'score',
    );
    await refused(
      w.run(w.as.admin, 'ticket.edit', { elid, show_abuse: 'on', score: '2147483647', sok: 'ok' }),
      'value',
      'score',
    );
    expect(await footprint(db.db)).toEqual(before);
    // show_abuse alone only shows the fields: nothing is registered.
    ok(await w.run(w.as.admin, 'ticket.edit', { elid, show_abuse: 'on', sok: 'ok' }));
    expect(await db.db.select().from(violations)).toEqual([]);
  });
});

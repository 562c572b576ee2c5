import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DbHandle, openDb } from '../../db/client.ts';
import { exactly } from '../../db/rows.ts';
import { incidentPurchases, messages, tickets } from '../../db/schema.ts';
import { TicketError } from '../../src/functions/errors.ts';
import { call } from '../../src/functions/registry.ts';
import type { Deps, Result, Session } from '../../src/functions/types.ts';
import { firstOf, nth } from '../helpers/rows.ts';
import { useTestWorld } from '../helpers/setup.ts';
import { clientRow, messagesOf, ticketRow } from './support.ts';

/*
 * Races, as two replicas see them: half of the calls go through a second connection pool to the same
 * database (on Postgres; PGlite has one connection and runs them one after another). Every function
 * locks a ticket before its messages, so no two calls deadlock, and split and hide re-read their
 * messages under that lock, so a loser sees the winner's result and is refused cleanly.
 */
const { db, w } = useTestWorld();
let replica: DbHandle | undefined;
beforeAll(async () => {
  if (db.url) replica = await openDb({ databaseUrl: db.url });
});
afterAll(() => replica?.close());

type Outcome = { ok: Result } | { refused: TicketError };

/** Runs the calls at once, alternating between the two pools; anything but a TicketError fails. */
async function race(calls: [Session, string, Record<string, string>][]): Promise<Outcome[]> {
  const second: Deps = { ...w.deps, db: replica?.db ?? w.deps.db };
  return Promise.all(
    calls.map(async ([who, name, params], i) => {
      try {
        return { ok: await call(i % 2 ? second : w.deps, who, name, params) };
      } catch (error) {
        if (error instanceof TicketError) return { refused: error };
        throw error;
      }
    }),
  );
}
const wins = (outcomes: Outcome[]) => outcomes.filter((o) => 'ok' in o).length;
const times = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));

/** Alice's ticket with her question, a staff reply and a second question. */
async function conversation() {
  const id = await w.openTicket();
  await w.run(w.as.admin, 'ticket.edit', { elid: String(id), message: 'Rebooted', sok: 'ok' });
  await w.run(w.as.alice, 'clientticket.edit', { elid: String(id), message: 'Still down', sok: 'ok' });
  const [, reply, second] = exactly(
    (await messagesOf(db.db, id)).map((m) => String(m.id)),
    3,
    'message',
  );
  return { id: String(id), reply, second };
}

describe('concurrent calls on one ticket', () => {
  it('ten splits of one message: one new ticket, nine clean refusals, no empty tickets', async () => {
    const c = await conversation();
    const outcomes = await race(
      times(10, () => [w.as.root, 'ticket.split', { elid: c.second, plid: c.id, sok: 'ok' }]),
    );
    expect(wins(outcomes)).toBe(1);
    const all = await db.db.select().from(tickets);
    expect(all).toHaveLength(2);
    for (const t of all) expect((await messagesOf(db.db, t.id)).length).toBeGreaterThan(0);
  });

  it('edits and hides of one message at once all succeed, without a deadlock', async () => {
    const c = await conversation();
    const outcomes = await race(
      times(20, (i) =>
        i % 3
          ? [
              w.as.admin,
              'ticket.message.edit',
              { plid: c.id, elid: c.reply, message: `Edit ${i}`, sok: 'ok' },
            ]
          : [w.as.root, 'ticket.message.delete', { plid: c.id, elid: c.reply, sok: 'ok' }],
      ),
    );
    expect(wins(outcomes)).toBe(20);
    const reply = firstOf(
      await db.db
        .select()
        .from(messages)
        .where(eq(messages.id, Number(c.reply))),
    );
    expect(reply.hidden).toBe(true);
  });

  it('ten closes: one closes, the others find it done', async () => {
    const id = String(await w.openTicket());
    const outcomes = await race(times(10, () => [w.as.admin, 'ticket.delete', { elid: id, sok: 'ok' }]));
    const closers = outcomes.filter((o) => 'ok' in o && o.ok.kind === 'ok' && o.ok.tickets.length > 0);
    expect([wins(outcomes), closers.length]).toEqual([10, 1]);
    expect((await ticketRow(db.db, Number(id))).status).toBe(3);
  });

  it('archive racing a client message: archived or re-opened, never both', async () => {
    const id = String(await w.openTicket());
    await w.run(w.as.admin, 'ticket.delete', { elid: id, sok: 'ok' });
    const outcomes = await race([
      ...times(5, (): [Session, string, Record<string, string>] => [
        w.as.alice,
        'clientticket.archive',
        { elid: id, sok: 'ok' },
      ]),
      [w.as.alice, 'clientticket.edit', { elid: id, message: 'One more thing', sok: 'ok' }],
    ]);
    const t = await ticketRow(db.db, Number(id));
    const wrote = 'ok' in nth(outcomes, 5);
    const bodies = (await messagesOf(db.db, Number(id))).map((m) => m.body);
    // Either the message came first (re-opened, archives refused) or an archive did (message refused).
    expect(wrote ? t.status : 10).toBe(wrote ? 0 : 10);
    expect(bodies.includes('One more thing')).toBe(wrote);
  });

  it('two staff open a ticket at once: one holds it, the other is told who and cannot reply', async () => {
    const id = String(await w.openTicket());
    const outcomes = await race([
      [w.as.root, 'ticket.edit', { elid: id }],
      [w.as.admin, 'ticket.edit', { elid: id }],
    ]);
    const holder = (await ticketRow(db.db, Number(id))).lockedBy;
    expect([w.ids.root.id, w.ids.admin.id]).toContain(holder);
    const names = outcomes.map((o) => ('ok' in o && o.ok.kind === 'form' ? o.ok.fields.blocked_by : ''));
    const holderName = holder === w.ids.root.id ? 'Rita Root' : 'Adam Admin';
    expect(names.every((n) => String(n).startsWith(holderName))).toBe(true);
    const other = holder === w.ids.root.id ? w.as.admin : w.as.root;
    const replies = await race(
      times(4, () => [other, 'ticket.edit', { elid: id, message: 'Me too', sok: 'ok' }]),
    );
    expect(wins(replies)).toBe(0);
  });

  it('parallel purchases never overspend the balance', async () => {
    // 100.00 buys five at 15.00 once; five such purchases at once: one wins.
    const outcomes = await race(times(5, () => [w.as.alice, 'incident', { count: '5', sok: 'ok' }]));
    expect(wins(outcomes)).toBe(1);
    const acme = await clientRow(db.db, w.ids.acme.id);
    expect([acme.balance, acme.incidents]).toEqual(['25.00', 5]);
    expect(await db.db.select().from(incidentPurchases)).toHaveLength(1);
  });
});

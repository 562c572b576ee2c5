import { asc, count, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, clients, jobs, messages, tickets } from '../../db/schema.ts';
import { TicketError } from '../../src/functions/errors.ts';
import { LIST_PARAMS } from '../../src/functions/listing.ts';
import { registry } from '../../src/functions/registry.ts';
import type { Session } from '../../src/functions/types.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { makeWorld, type World } from '../helpers/world.ts';
import { form, list } from './support.ts';

/**
 * Random parameter sets at every function as every kind of caller, on one growing world (a reset per
 * run would cost more than the calls). Whatever comes in: only TicketErrors come out, a refusal
 * writes nothing, and the database stays consistent.
 */
let db: TestDb;
let w: World;
let known: { tickets: number[]; messages: number[] };
beforeAll(async () => {
  db = await openTestDb();
  await db.reset();
  w = await makeWorld(db.db);
  const a = await w.openTicket();
  const b = await w.openTicket({ name: 'Second' });
  await w.run(w.as.bob, 'clientticket.edit', {
    name: 'Bob asks',
    message: 'Help',
    client_department: String(w.ids.support.id),
    sok: 'ok',
  });
  await w.run(w.as.admin, 'ticket.edit', {
    elid: String(a),
    note_message: 'internal',
    message: 'reply',
    sok: 'ok',
  });
  await w.run(w.as.alice, 'clientticket.edit', { elid: String(a), message: 'thanks', sok: 'ok' });
  await w.run(w.as.root, 'ticket.delete', { elid: String(b), sok: 'ok' });
  await w.run(w.as.admin, 'ticket.edit', { elid: String(a) });
  known = {
    tickets: (await db.db.select({ id: tickets.id }).from(tickets)).map((t) => t.id),
    messages: (await db.db.select({ id: messages.id }).from(messages)).map((m) => m.id),
  };
});
afterAll(() => db.close());

const PARAM_NAMES = [
  ...new Set(Object.values(registry).flatMap((fn) => Object.keys(fn.params.shape))),
  ...LIST_PARAMS,
  'client',
  'message',
  'tstatus',
  'constructor',
  '__proto__',
];
const EDGE_VALUES = [
  'ok',
  'on',
  'off',
  '',
  ' ',
  '0',
  '1',
  '2',
  '3',
  '10',
  '-1',
  '2147483647',
  '2147483648',
  '99999999999',
  '1,2,3',
  '1,,2',
  '2026-02-30',
  '2026-03-05',
  '10:00',
  '25:00',
  '15.50',
  '9999999999.99',
  'warn',
  'x'.repeat(201),
  'a\u0000b',
  'a\ud800b',
  "'; drop table tickets; --",
  '%_\\',
  'constructor',
];

const STAFF = ['root', 'admin'] as const;
const CLIENTS = ['alice', 'bob', 'su'] as const;
const sessions = (): Record<string, Session> => ({
  root: w.as.root,
  admin: w.as.admin,
  alice: w.as.alice,
  bob: w.as.bob,
  su: { ...w.as.alice, suBy: { userId: w.ids.admin.id, login: 'admin' } },
});

const idValue = fc.oneof(
  fc.constantFrom('tickets', 'messages').chain((kind) => fc.constantFrom(...known[kind]).map(String)),
  fc.integer({ min: 1, max: 12 }).map(String),
);
const edge = fc.constantFrom(...EDGE_VALUES);
const words = fc.string({ minLength: 1, maxLength: 16 });
/** Values that fit the parameter most of the time, so calls get past validation to the rules. */
const valueFor = (key: string) =>
  ['elid', 'plid', 'client', 'ticket_item', 'client_department', 'responsible', 'count', 'score'].includes(
    key,
  )
    ? fc.oneof({ weight: 4, arbitrary: idValue }, { weight: 1, arbitrary: edge })
    : ['message', 'name', 'note_message', 'score_note'].includes(key)
      ? fc.oneof({ weight: 3, arbitrary: words }, { weight: 1, arbitrary: edge })
      : fc.oneof(
          { weight: 3, arbitrary: edge },
          { weight: 1, arbitrary: idValue },
          { weight: 1, arbitrary: words },
        );
const paramsFor = (func: string) => {
  const own = [...Object.keys(registry[func].params.shape), ...LIST_PARAMS];
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...own) },
    { weight: 1, arbitrary: fc.constantFrom(...PARAM_NAMES) },
  );
  return fc
    .uniqueArray(key, { maxLength: 4 })
    .chain((keys) => fc.tuple(...keys.map((k) => valueFor(k).map((v) => [k, v] as const))))
    .map((pairs) => Object.fromEntries(pairs) as Record<string, string>);
};
const callArb = fc.constantFrom(...Object.keys(registry)).chain((func) =>
  fc.record({
    func: fc.constant(func),
    // Mostly callers the function admits, so calls get past the access check.
    who: fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constantFrom(...(registry[func].access.includes('user') ? CLIENTS : STAFF)),
      },
      { weight: 1, arbitrary: fc.constantFrom(...STAFF, ...CLIENTS) },
    ),
    params: paramsFor(func),
    submit: fc.boolean(),
    minutes: fc.nat({ max: 90 }),
  }),
);

async function counts() {
  const [audit] = await db.db.select({ n: count() }).from(auditLog);
  const [job] = await db.db.select({ n: count() }).from(jobs);
  return { audit: audit.n, jobs: job.n };
}

/** What must hold whatever was called. */
async function checkInvariants() {
  const bad = (await db.db.execute(sql`
    select 'negative balance' as problem, id from ${clients} where balance < 0 or incidents < 0
    union all select 'bad status', id from ${tickets} where status not in (0, 1, 2, 3, 10)
    union all select 'closed but waiting', id from ${tickets} where status in (3, 10) and waiting_since is not null
    union all select 'new but not waiting', id from ${tickets} where status = 0 and waiting_since is null
    union all select 'orphan message', id from ${messages} m
      where not exists (select 1 from ${tickets} t where t.id = m.ticket_id)`)) as unknown as
    | { rows: unknown[] }
    | unknown[];
  expect('rows' in bad ? bad.rows : bad).toEqual([]);

  const all = await db.db.select().from(tickets).orderBy(asc(tickets.id));
  const msgs = await db.db.select().from(messages).orderBy(asc(messages.id));
  for (const [who, clientId] of [
    ['alice', w.ids.acme.id],
    ['bob', w.ids.globex.id],
  ] as const) {
    const session = w.as[who];
    // The saved filter may narrow the list, never widen it to other clients' tickets.
    const own = all.filter((t) => t.clientId === clientId).map((t) => t.id);
    const rows = list(await w.run(session, 'clientticket', { p_cnt: '1000' })).rows;
    expect(own).toEqual(expect.arrayContaining(rows.map((r) => r.id)));
    for (const t of all.filter((x) => x.clientId === clientId)) {
      const visible = msgs.filter((m) => m.ticketId === t.id && !m.internal && !m.hidden);
      const seen = form(await w.run(session, 'clientticket.edit', { elid: String(t.id) })).messages ?? [];
      expect(seen.map((m) => m.id)).toEqual(visible.map((m) => m.id));
      const row = rows.find((r) => r.id === t.id);
      if (row) expect(row.last_message).toBe(visible.at(-1)?.body.slice(0, 200) ?? '');
    }
  }
}

describe('every function, any parameters, any caller', () => {
  it('answers with a result or a TicketError and keeps the database consistent', async () => {
    let refusals = 0;
    let writes = 0;
    await fc.assert(
      fc.asyncProperty(callArb, async ({ func, who, params, submit, minutes }) => {
        w.clock.advance(minutes * 60_000);
        const raw = submit ? { ...params, sok: 'ok' } : params;
        const before = await counts();
        try {
          const r = await w.run(sessions()[who], func, raw);
          if (r.kind === 'ok') {
            writes++;
            expect((await counts()).audit).toBeGreaterThan(before.audit);
          }
        } catch (error) {
          if (!(error instanceof TicketError)) throw error;
          refusals++;
          expect(await counts()).toEqual(before);
        }
        await checkInvariants();
      }),
      { numRuns: 150, endOnFailure: true },
    );
    // The generator reaches both outcomes, or the property says little.
    expect(refusals).toBeGreaterThan(20);
    expect(writes).toBeGreaterThan(2);
  }, 90_000);
});

import { asc, count, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, clients, jobs, messages, tickets } from '../../db/schema.ts';
import { TicketError } from '../../src/functions/errors.ts';
import { LIST_PARAMS } from '../../src/functions/listing.ts';
import { registry } from '../../src/functions/registry.ts';
import { firstOf, present } from '../helpers/rows.ts';
import { useTestDb } from '../helpers/setup.ts';
import { makeWorld, type World } from '../helpers/world.ts';
import { form, list } from './support.ts';

/**
 * Random parameter sets at every function as every kind of caller, on one growing world (a reset per
 * run would cost more than the calls). Whatever comes in: only TicketErrors come out, a refusal
 * writes nothing, and the database stays consistent.
 */
const db = useTestDb();
let w: World;
let known: { tickets: number[]; messages: number[] };
beforeAll(async () => {
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
const sessions = () => ({
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
/** Valid for most flags, priorities, statuses, dates, times, amounts and actions. */
const plausible = fc.constantFrom(
  'on',
  'off',
  '0',
  '1',
  '2',
  '3',
  '10',
  '2026-03-05',
  '10:00',
  '15.50',
  'warn',
);
const ID_PARAMS = [
  'elid',
  'plid',
  'client',
  'ticket_item',
  'client_department',
  'responsible',
  'count',
  'score',
];
const TEXT_PARAMS = ['message', 'name', 'note_message', 'score_note'];
/** Values that fit the parameter most of the time, so calls get past validation to the rules. */
const valueFor = (key: string) =>
  ID_PARAMS.includes(key)
    ? fc.oneof({ weight: 4, arbitrary: idValue }, { weight: 1, arbitrary: edge })
    : TEXT_PARAMS.includes(key)
      ? fc.oneof({ weight: 3, arbitrary: words }, { weight: 1, arbitrary: edge })
      : fc.oneof(
          { weight: 3, arbitrary: plausible },
          { weight: 2, arbitrary: edge },
          { weight: 1, arbitrary: idValue },
          { weight: 1, arbitrary: words },
        );
const paramsFor = (func: string) => {
  const own = [...Object.keys(present(registry[func], func).params.shape), ...LIST_PARAMS];
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...own) },
    { weight: 1, arbitrary: fc.constantFrom(...PARAM_NAMES) },
  );
  // Parameters no function reads still reach the audit log.
  const extra = fc.dictionary(fc.constantFrom('lang', 'x_custom', 'constructor'), fc.oneof(edge, words), {
    maxKeys: 1,
  });
  return fc
    .uniqueArray(key, { maxLength: 3 })
    .chain((keys) =>
      fc.tuple(baseFor(func), extra, ...keys.map((k) => valueFor(k).map((v) => [k, v] as const))),
    )
    .map(
      ([base, more, ...pairs]) =>
        ({ ...more, ...base, ...Object.fromEntries(pairs) }) as Record<string, string>,
    );
};
const ticketId = fc.integer({ min: 1, max: 5 }).map(String);
const messageId = fc.integer({ min: 1, max: 10 }).map(String);
/** A valid call of each function most of the time, which the random parameters then bend. */
const BASES: Record<string, fc.Arbitrary<Record<string, string>>> = {
  'ticket.edit': fc.record({ elid: ticketId, message: words }),
  'ticket.message.edit': fc.record({ plid: ticketId, message: words }),
  'ticket.split': fc.record({ elid: messageId, plid: ticketId }),
  'ticket.message.delete': fc.record({ elid: messageId, plid: ticketId }),
  'ticket.setfilter': fc.record({ elid: fc.constantFrom('1', '2', '1,2') }),
  incident: fc.record({ count: fc.constantFrom('1', '2') }),
  'clientticket.edit': fc.oneof(
    fc.record({ elid: ticketId, message: words }),
    fc.record({ name: words, message: words, client_department: fc.constantFrom('1', '2', '3') }),
  ),
};
const baseFor = (func: string) =>
  fc.oneof(
    { weight: 2, arbitrary: BASES[func] ?? fc.record({ elid: ticketId }) },
    { weight: 1, arbitrary: fc.constant({}) },
  );
const callArb = fc.constantFrom(...Object.keys(registry)).chain((func) =>
  fc.record({
    func: fc.constant(func),
    // Mostly callers the function admits, so calls get past the access check.
    who: fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          ...(present(registry[func], func).access.includes('user') ? CLIENTS : STAFF),
        ),
      },
      { weight: 1, arbitrary: fc.constantFrom(...STAFF, ...CLIENTS) },
    ),
    params: paramsFor(func),
    submit: fc.oneof(
      { weight: 3, arbitrary: fc.constant(true) },
      { weight: 1, arbitrary: fc.constant(false) },
    ),
    minutes: fc.nat({ max: 90 }),
  }),
);

async function counts() {
  const audit = firstOf(await db.db.select({ n: count() }).from(auditLog));
  const job = firstOf(await db.db.select({ n: count() }).from(jobs));
  return { audit: audit.n, jobs: job.n };
}

/**
 * What must hold whatever was called. The client's-eye view costs a call per ticket, so it is checked
 * every few runs: hiding and internal notes never revert, so a leak would still show.
 */
async function checkInvariants(clientView: boolean) {
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

  if (!clientView) return;
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
    let runs = 0;
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
        await checkInvariants(++runs % 3 === 0);
      }),
      { numRuns: 200, endOnFailure: true },
    );
    // The generator reaches both outcomes, or the property says little.
    expect(refusals).toBeGreaterThan(20);
    expect(writes).toBeGreaterThan(10);
    await checkInvariants(true);
  }, 90_000);
});

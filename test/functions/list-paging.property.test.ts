import { eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { clients, favorites, messages, readMarks, tickets, violations } from '../../db/schema.ts';
import { delay, formatDateTime, queueWeight } from '../../src/domain/tickets.ts';
import type { Cell, Row, Session } from '../../src/functions/types.ts';
import { firstOf } from '../helpers/rows.ts';
import { useTestDb } from '../helpers/setup.ts';
import { makeWorld, type World } from '../helpers/world.ts';
import { list } from './support.ts';

/**
 * The lists filter, sort and page in SQL; here the same pages come from a straightforward in-memory
 * reference over all of a list's rows, on random tickets, messages and parameters.
 */
const db = useTestDb();
let w: World;
beforeAll(async () => {
  await db.reset();
  w = await makeWorld(db.db);
});

const START = new Date('2026-03-02T10:00:00Z').getTime();
const MINUTE = 60_000;
const STATUSES = [0, 1, 2, 3, 10] as const;
/** Columns whose cells are numbers written as strings: matched exactly, ordered as numbers. */
const CODES = new Set(['tstatus', 'priority', 'client_priority', 'attitude', 'abuse_id']);
/** Columns showing a duration `Nd+HH:MM`: ordered by its length, '' (not waiting) first. */
const DURATIONS = new Set(['delay', 'wait_time']);
const collator = new Intl.Collator('und');

const minutes = (d: string) =>
  d === '' ? -1 : d.split(/\D+/).reduce((m, part, i) => m * (i === 1 ? 24 : 60) + Number(part), 0);

function matches(key: string, cell: Cell, wanted: string): boolean {
  if (cell === undefined || cell === null) return false;
  if (typeof cell === 'boolean') return cell === ['on', 'yes', 'true', '1'].includes(wanted.toLowerCase());
  if (typeof cell === 'number' || CODES.has(key)) return String(cell) === wanted.trim();
  const text = cell instanceof Date ? formatDateTime(cell) : cell;
  return text.toLowerCase().includes(wanted.toLowerCase());
}

function compare(key: string, a: Cell, b: Cell): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'boolean' || typeof a === 'number') return Number(a) - Number(b);
  if (CODES.has(key)) return Number(a) - Number(b);
  if (DURATIONS.has(key)) return minutes(String(a)) - minutes(String(b));
  return collator.compare(String(a), String(b));
}

interface ListShape {
  defaultSort: string;
  defaultOrder: 'asc' | 'desc';
  /** The default view, when the list has one: rows an inline tstatus filter can reach beyond. */
  shownByDefault?: (row: Row) => boolean;
}

/** A list to check: who calls it, its own parameters, whether it has statuses, its defaults. */
type ListCase = [Session, string, Record<string, string>, boolean, ListShape];

/** The reference: filter, sort (ties by id) and page all rows in memory. */
function reference(all: Row[], params: Record<string, string>, shape: ListShape, own: string[]) {
  const columns = Object.keys(all[0] ?? {});
  const filters =
    params.filter === 'on'
      ? Object.entries(params).filter(([k, v]) => v !== '' && columns.includes(k) && !own.includes(k))
      : [];
  let rows = all.filter((row) => filters.every(([k, v]) => matches(k, row[k], v)));
  if (shape.shownByDefault && !filters.some(([k]) => k === 'tstatus'))
    rows = rows.filter(shape.shownByDefault);
  const sort = params.p_sort && columns.includes(params.p_sort) ? params.p_sort : shape.defaultSort;
  const order = params.p_order === 'asc' || params.p_order === 'desc' ? params.p_order : shape.defaultOrder;
  const sign = order === 'asc' ? 1 : -1;
  rows.sort((a, b) => sign * compare(sort, a[sort], b[sort]) || Number(a.id) - Number(b.id));
  const cnt = params.p_cnt ? Number(params.p_cnt) : 30;
  const num = Math.min(params.p_num ? Number(params.p_num) : 1, Math.max(1, Math.ceil(rows.length / cnt)));
  return {
    rows: rows.slice((num - 1) * cnt, num * cnt),
    page: { num, cnt, elems: rows.length, sort, order },
  };
}

/** Every row of a list: the unpaged union of its per-status views. */
async function allRows(who: Session, name: string, params: Record<string, string>, byStatus: boolean) {
  const views = byStatus ? STATUSES.map((s) => ({ filter: 'on', tstatus: String(s) })) : [{}];
  const rows: Row[] = [];
  for (const view of views)
    rows.push(...list(await w.run(who, name, { ...params, ...view, p_cnt: '1000' })).rows);
  return rows;
}

const text = fc.string({
  unit: fc.constantFrom('a', 'A', 'b', 'é', 'E', ' ', '1', '9', '0', '-'),
  minLength: 1,
  maxLength: 6,
});
const offset = (spanMinutes: number) => fc.integer({ min: -spanMinutes * MINUTE, max: spanMinutes * MINUTE });
const ticketSpec = fc.record({
  name: text,
  globex: fc.boolean(),
  department: fc.constantFrom('support', 'paid', 'foreign') as fc.Arbitrary<'support' | 'paid' | 'foreign'>,
  status: fc.constantFrom(...STATUSES),
  priority: fc.constantFrom(0, 1, 2) as fc.Arbitrary<0 | 1 | 2>,
  clientPriority: fc.constantFrom(0, 1, 2) as fc.Arbitrary<0 | 1 | 2>,
  highPriority: fc.boolean(),
  waiting: fc.option(offset(4 * 1440)),
  deadline: fc.option(offset(2 * 1440)),
  // Few distinct update times, so the default client order has ties to break.
  updated: fc.integer({ min: 0, max: 3 }),
  responsible: fc.constantFrom(null, 'admin', 'root') as fc.Arbitrary<null | 'admin' | 'root'>,
  locked: fc.option(offset(30)),
  messages: fc.array(
    fc.record({ staff: fc.boolean(), internal: fc.boolean(), hidden: fc.boolean(), body: text }),
    { maxLength: 4 },
  ),
  favorite: fc.boolean(),
  read: fc.boolean(),
  abuse: fc.boolean(),
});

type Spec = typeof ticketSpec extends fc.Arbitrary<infer T> ? T : never;

async function plant(specs: Spec[], globexPremium: boolean) {
  const { ids } = w;
  const now = w.clock.now();
  await db.db.execute(sql`truncate ${tickets} restart identity cascade`);
  await db.db.update(clients).set({ premium: globexPremium }).where(eq(clients.id, ids.globex.id));
  for (const s of specs) {
    const client = s.globex ? ids.globex : ids.acme;
    const author = s.globex ? ids.bob : ids.alice;
    const at = (ms: number | null) => (ms === null ? null : new Date(now.getTime() + ms));
    const t = firstOf(
      await db.db
        .insert(tickets)
        .values({
          clientId: client.id,
          createdBy: author.id,
          departmentId: ids[s.department].id,
          responsibleId: s.responsible ? ids[s.responsible].id : null,
          name: s.name,
          status: s.status,
          priority: s.priority,
          clientPriority: s.clientPriority,
          highPriority: s.highPriority,
          waitingSince: at(s.waiting === null ? null : -Math.abs(s.waiting)),
          deadline: at(s.deadline),
          lockedBy: s.locked === null ? null : ids.admin.id,
          lockedUntil: at(s.locked),
          createdAt: now,
          updatedAt: new Date(START - s.updated * 3600_000),
        })
        .returning(),
    );
    let last = 0;
    for (const m of s.messages) {
      const row = firstOf(
        await db.db
          .insert(messages)
          .values({
            ticketId: t.id,
            authorId: m.staff ? ids.admin.id : author.id,
            fromStaff: m.staff,
            body: m.body,
            internal: m.internal,
            hidden: m.hidden,
            createdAt: now,
          })
          .returning(),
      );
      last = row.id;
    }
    if (s.favorite) await db.db.insert(favorites).values({ userId: ids.admin.id, ticketId: t.id });
    for (const userId of s.read && last ? [ids.admin.id, ids.alice.id, ids.bob.id] : []) {
      await db.db.insert(readMarks).values({ userId, ticketId: t.id, lastMessageId: last - 1 });
    }
    if (s.abuse) {
      await db.db.insert(violations).values({
        clientId: client.id,
        ticketId: t.id,
        staffId: ids.admin.id,
        score: 1,
        action: 'warn',
        createdAt: now,
      });
    }
  }
}

const VALUES = [
  'a',
  'É',
  'e',
  '1',
  '0',
  '2',
  '3',
  '10',
  ' 1',
  '01',
  'on',
  'off',
  '2026-03-0',
  'd+0',
  'acme',
  'Adam',
  '-',
];
const paramsFor = (columns: string[]) =>
  fc
    .record(
      {
        filter: fc.constantFrom('on', 'off'),
        column: fc.constantFrom(...columns, 'nope'),
        value: fc.constantFrom(...VALUES),
        p_sort: fc.constantFrom(...columns, 'constructor'),
        p_order: fc.constantFrom('asc', 'desc', 'up'),
        p_cnt: fc.constantFrom('1', '2', '3', '7'),
        p_num: fc.constantFrom('1', '2', '3', '99'),
      },
      { requiredKeys: ['filter', 'column', 'value'] },
    )
    .map(({ column, value, ...rest }) => ({ ...rest, [column]: value }) as Record<string, string>);

describe('lists paged in SQL agree with an in-memory reference', () => {
  it('ticket, clientticket and ticket.message on random data and parameters', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(ticketSpec, { minLength: 1, maxLength: 14 }),
        fc.boolean(),
        fc.integer({ min: 0, max: MINUTE - 1 }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 6, maxLength: 6 }),
        async (specs, premium, jitter, seeds) => {
          w.clock.set(new Date(START + jitter));
          await plant(specs, premium);
          const withMessages = await db.db
            .select({ id: messages.ticketId })
            .from(messages)
            .orderBy(messages.ticketId)
            .limit(1);
          const lists: ListCase[] = [
            [
              w.as.admin,
              'ticket',
              {},
              true,
              { defaultSort: 'queue', defaultOrder: 'desc', shownByDefault: (r) => Number(r.tstatus) < 3 },
            ],
            [
              w.as.alice,
              'clientticket',
              {},
              true,
              { defaultSort: 'date', defaultOrder: 'desc', shownByDefault: (r) => r.tstatus !== '10' },
            ],
            ...(withMessages[0]
              ? [
                  [
                    w.as.admin,
                    'ticket.message',
                    { elid: String(withMessages[0].id) },
                    false,
                    { defaultSort: 'id', defaultOrder: 'asc' },
                  ] satisfies ListCase,
                ]
              : []),
          ];
          for (const [who, name, own, byStatus, shape] of lists) {
            const all = await allRows(who, name, own, byStatus);
            if (all.length === 0) continue;
            const params = fc.sample(paramsFor(Object.keys(firstOf(all))), {
              numRuns: seeds.length,
              seed: seeds[0],
            });
            for (const p of params) {
              const got = list(await w.run(who, name, { ...p, ...own }));
              const want = reference(all, p, shape, Object.keys(own));
              expect({ name, p, page: got.page, rows: got.rows }).toEqual({ name, p, ...want });
            }
          }
          // The SQL weight and delay are the documented ones (domain/tickets.ts).
          const data = await db.db
            .select({ t: tickets, premium: clients.premium })
            .from(tickets)
            .innerJoin(clients, eq(clients.id, tickets.clientId));
          const queue = await allRows(w.as.root, 'ticket', {}, true);
          for (const { t, premium: p } of data) {
            const row = queue.find((r) => r.id === t.id);
            expect(row?.queue).toBe(queueWeight(t, p, w.clock.now()));
            expect(row?.delay).toBe(delay(t.waitingSince, w.clock.now()));
          }
        },
      ),
      { numRuns: 8 },
    );
  }, 120_000);
});

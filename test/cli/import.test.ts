import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import {
  clients,
  departments,
  externalIds,
  messages,
  STATUS,
  staffDepartments,
  tickets,
  users,
} from '../../db/schema.ts';
import { importCommand } from '../../src/cli/import/main.ts';
import { type Io, Stopped } from '../../src/cli/run.ts';
import type { Deps } from '../../src/functions/types.ts';
import { PASSWORD, useApi } from '../helpers/api.ts';
import { openTestDb, type TestDb } from '../helpers/db.ts';
import { firstOf, nth } from '../helpers/rows.ts';

/** The source: this project's own API (ticket and provisioning functions) over thousands of rows. */
const { db: source, api } = useApi({}, { perFile: true });
let target: TestDb;
let deps: Deps;

const ACCOUNTS = 600;
const TICKETS = 160;

beforeAll(async () => {
  target = await openTestDb();
  deps = { db: target.db, now: () => new Date('2026-03-05T12:00:00Z'), settings: { lockMinutes: 30 } };
  await fillSource(source.db);
}, 120_000);
afterAll(() => target.close());
beforeEach(() => target.reset());

/** Accounts with a user each, and tickets in every status with a client message, a reply and a note. */
async function fillSource(db: Db) {
  const { provider, support, paid, admin } = api.w.ids;
  const made = await db
    .insert(clients)
    .values(
      Array.from({ length: ACCOUNTS }, (_, i) => ({
        name: `Client ${i}`,
        providerId: provider.id,
        balance: `${i}.50`,
        premium: i % 10 === 0,
        groups: i % 7 === 0 ? ['resellers'] : [],
        attitude: (i % 3) - 1,
      })),
    )
    .returning({ id: clients.id });
  const people = await db
    .insert(users)
    .values(
      made.map((c, i) => ({
        login: `client${i}`,
        name: `Person ${i}`,
        level: 'user' as const,
        clientId: c.id,
      })),
    )
    .returning({ id: users.id, clientId: users.clientId });
  const at = (minutes: number) => new Date(Date.UTC(2026, 2, 2, 9, minutes));
  const statuses = [STATUS.new, STATUS.awaiting, STATUS.closed, STATUS.archived] as const;
  const made2 = await db
    .insert(tickets)
    .values(
      Array.from({ length: TICKETS }, (_, i) => ({
        clientId: nth(people, i).clientId as number,
        createdBy: nth(people, i).id,
        departmentId: i % 2 ? paid.id : support.id,
        name: `Problem ${i}`,
        status: statuses[i % 4],
        priority: (i % 3) as 0 | 1 | 2,
        createdAt: at(i),
        updatedAt: at(i + 2),
      })),
    )
    .returning({ id: tickets.id, createdBy: tickets.createdBy });
  await db.insert(messages).values(
    made2.flatMap((t, i) => [
      { ticketId: t.id, authorId: t.createdBy, fromStaff: false, body: `Help ${i}`, createdAt: at(i) },
      { ticketId: t.id, authorId: admin.id, fromStaff: true, body: `Looking ${i}`, createdAt: at(i + 1) },
      {
        ticketId: t.id,
        authorId: admin.id,
        fromStaff: true,
        body: 'note',
        internal: true,
        createdAt: at(i + 2),
      },
    ]),
  );
}

const n = async (db: Db, table: typeof clients | typeof tickets | typeof messages) =>
  firstOf(await db.select({ n: count() }).from(table)).n;

/** Runs the import against the source server and returns what it printed. */
async function runImport(extra: string[] = [], fetcher: typeof fetch = fetch, login = 'root') {
  const io = { out: [] as string[], err: [] as string[] };
  const sink: Io = { out: (l) => io.out.push(l), err: (l) => io.err.push(l) };
  const argv = ['--url', `${api.base}/billmgr`, '--login', login, '--source', 'old-billing', ...extra];
  await importCommand(deps, argv, sink, async () => `${PASSWORD}\n`, fetcher);
  return io;
}

describe('npm run import', () => {
  it('brings a whole BILLmanager over, resuming where a broken run stopped, without duplicates', async () => {
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      // Breaks on the second page of accounts, after the first 200 are saved.
      if (++calls > 10) throw new Error('connection reset');
      return fetch(input, init);
    };
    const stopped = await runImport(['--all', '--page-size', '200'], flaky).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(Stopped);
    expect((stopped as Error).message).toMatch(/connection reset[\s\S]*Run the same command again to resume/);
    const partial = await n(target.db, clients);
    expect(partial).toBe(200);
    expect(await n(target.db, tickets)).toBe(0);

    const resumed = await runImport(['--all']);
    // What the broken run saved is updated, the rest created: every account once.
    const accounts = resumed.out.find((l) => l.startsWith('account'));
    expect(accounts).toBe(`account     created ${ACCOUNTS + 2 - partial}, updated ${partial}, refused 0`);
    expect(resumed.out).toContain(`ticket      created ${TICKETS}, updated 0, refused 0`);
    expect(resumed.err).toContain(`account: ${ACCOUNTS + 2}/${ACCOUNTS + 2} done`);
    expect(await n(target.db, clients)).toBe(await n(source.db, clients));
    expect(await n(target.db, tickets)).toBe(TICKETS);
    expect(await n(target.db, messages)).toBe(await n(source.db, messages));

    // One ticket checked through: its client, department, status and messages (the note stays a note).
    const t = firstOf(await target.db.select().from(tickets).where(eq(tickets.name, 'Problem 5')));
    const client = firstOf(await target.db.select().from(clients).where(eq(clients.id, t.clientId)));
    const dep = firstOf(await target.db.select().from(departments).where(eq(departments.id, t.departmentId)));
    expect({ client: client.name, dep: dep.name, status: t.status, priority: t.priority }).toEqual({
      client: 'Client 5',
      dep: 'Premium',
      status: STATUS.awaiting,
      priority: 2,
    });
    const msgs = await target.db
      .select()
      .from(messages)
      .where(eq(messages.ticketId, t.id))
      .orderBy(messages.id);
    expect(msgs.map((m) => [m.body, m.fromStaff, m.internal])).toEqual([
      ['Help 5', false, false],
      ['Looking 5', true, false],
      ['note', true, true],
    ]);
    // Staff keep their departments (mapped to the imported ones); passwords stay behind.
    const admin = firstOf(await target.db.select().from(users).where(eq(users.login, 'admin')));
    const worked = await target.db
      .select()
      .from(staffDepartments)
      .where(eq(staffDepartments.userId, admin.id));
    const support = firstOf(
      await target.db.select().from(departments).where(eq(departments.name, 'Support')),
    );
    expect(worked.map((w) => w.departmentId)).toEqual([support.id]);
    expect(admin.passwordHash).toBeNull();
  }, 300_000);

  it('counts open tickets only by default, and a dry run writes nothing', async () => {
    const dry = await runImport(['--dry-run']);
    expect(dry.out).toContain(`ticket      would be created ${TICKETS / 2}, would be updated 0, refused 0`);
    expect(dry.out).toContain('Dry run: nothing was written.');
    expect(await n(target.db, clients)).toBe(0);
    expect(await target.db.select().from(externalIds)).toEqual([]);
  }, 60_000);

  it('reads XML answers and sources that send no row count', async () => {
    const xmlOnly: typeof fetch = async (input, init) => {
      const body = new URLSearchParams(String(init?.body));
      body.set('out', 'xml');
      const res = await fetch(input, { ...init, body });
      // An older install: no p_elems, so paging stops at a short page.
      return new Response((await res.text()).replace(/<p_elems>\d+<\/p_elems>/, ''), res);
    };
    const out = await runImport(['--dry-run', '--page-size', '250'], xmlOnly);
    expect(out.out).toContain(`account     would be created ${ACCOUNTS + 2}, would be updated 0, refused 0`);
    expect(out.out).toContain(`ticket      would be created ${TICKETS / 2}, would be updated 0, refused 0`);
  }, 120_000);

  it('stops with the reason when the source lists a row without an id', async () => {
    const noIds: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const func = new URLSearchParams(String(init?.body)).get('func');
      if (func !== 'account') return res;
      const doc = (await res.json()) as { doc: { elem?: { id?: unknown }[] } };
      for (const elem of doc.doc.elem ?? []) delete elem.id;
      return Response.json(doc);
    };
    const stopped = await runImport(['--dry-run'], noIds).catch((e: unknown) => e);
    expect(stopped).toBeInstanceOf(Stopped);
    expect((stopped as Error).message).toContain('listed a account row without an id');
  }, 60_000);

  it('refuses clearly when the login lacks the rights', async () => {
    const asAdmin = await runImport([], fetch, 'admin').catch((e: unknown) => e);
    expect(asAdmin).toBeInstanceOf(Stopped);
    expect((asAdmin as Error).message).toContain('This login may not read admin');
    const asClient = await runImport([], fetch, 'alice').catch((e: unknown) => e);
    expect((asClient as Error).message).toContain('This is a client login; the import needs a root login');
    expect(await n(target.db, clients)).toBe(0);
  });
});

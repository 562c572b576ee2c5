import type { AddressInfo } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { type SQL, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openDb } from '../db/client.ts';
import { one } from '../db/rows.ts';
import { messages, tickets, users } from '../db/schema.ts';
import { createApp } from '../src/app.ts';
import { call } from '../src/functions/registry.ts';
import type { Deps, Session } from '../src/functions/types.ts';
import { BENCH, generate, scale } from './generate.ts';
import { benchLists, clientFloor, type Floors, type ListCase, messagesFloor, queueFloor } from './lists.ts';
import { benchDigest, benchJobs, benchStartup, benchThroughput, rssMb } from './system.ts';

/**
 * The scale benchmark: generates an installation of BENCH_TICKETS tickets (see generate.ts), then
 * measures every list through the registry and the HTTP API against hand-written SQL, API throughput,
 * digest build, the job table and memory. `npm run bench` runs on embedded PGlite (in memory);
 * BENCH_DATABASE_URL=postgres://… runs on that Postgres database, which is emptied first.
 */
const url = process.env.BENCH_DATABASE_URL;
const size = scale(Number(process.env.BENCH_TICKETS ?? 10_000));
const runs = Number(process.env.BENCH_RUNS ?? 50);
const say = (text: string) => console.log(text);

if (url) {
  const wipe = postgres(url, { max: 1, onnotice: () => {} });
  await wipe.unsafe(
    'drop schema public cascade; create schema public; drop schema if exists drizzle cascade',
  );
  await wipe.end();
}
const handle = await openDb(url ? { databaseUrl: url } : { memory: true });
const { db } = handle;
const now = new Date();
const deps: Deps = { db, now: () => now, settings: { lockMinutes: 30 } };

say(
  `Node ${process.version}, ${cpus().length}× ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, ${url ? 'Postgres' : 'PGlite (in memory)'}`,
);
const generating = performance.now();
await generate(db, size, now);
const number = (query: SQL) => sql`(${query})`.mapWith(Number);
const c = one(
  await db
    .select({
      tickets: number(sql`select count(*) from ${tickets}`),
      open: number(sql`select count(*) from ${tickets} where ${tickets.status} in (0, 1, 2)`),
      messages: number(sql`select count(*) from ${messages}`),
      long: number(
        sql`select max(${tickets.id}) from ${tickets} where ${tickets.clientId} = ${BENCH.bigClientId}`,
      ),
    })
    .from(sql`(select 1) as one`),
  'count',
);
say(
  `Generated ${c.tickets} tickets (${c.open} open), ${c.messages} messages, ${size.clients} clients, ` +
    `${size.departments} departments in ${((performance.now() - generating) / 1000).toFixed(0)} s\n`,
);

const all = await db.select().from(users);
const session = (id: number): Session => {
  const u = all.find((x) => x.id === id);
  if (!u) throw new Error(`no user ${id}`);
  return { userId: u.id, login: u.login, level: u.level, clientId: u.clientId ?? undefined, via: 'bench' };
};
const root = session(BENCH.staffId);
const byDepartment = session(2);
const closedOnly = session(3);
await call(deps, byDepartment, 'ticket.filter', { department: String(BENCH.department), sok: 'ok' });
await call(deps, closedOnly, 'ticket.filter', { tstatus: '3', sok: 'ok' });
const server = createApp(deps).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const idleRss = rssMb();

const pg = url ? postgres(url, { max: 4, onnotice: () => {} }) : undefined;
const floors: Floors = pg
  ? {
      run: (text) => pg.unsafe(text),
      explain: async (text, params) =>
        (await pg.unsafe(`explain (analyze, buffers off) ${text}`, params as never[]))
          .map((r) => r['QUERY PLAN'])
          .join('\n'),
    }
  : { run: (text) => db.execute(sql.raw(text)) };
const open = 'status in (0, 1, 2)';
const cases: ListCase[] = [
  { label: '`ticket` queue, page 1', who: root, func: 'ticket', params: {}, floor: queueFloor(now, open) },
  {
    label: '`ticket` queue, page 50',
    who: root,
    func: 'ticket',
    params: { p_num: '50' },
    floor: queueFloor(now, open, 50),
  },
  {
    label: '`ticket` saved filter: department',
    who: byDepartment,
    func: 'ticket',
    params: {},
    floor: queueFloor(now, `${open} and t.department_id = ${BENCH.department}`),
  },
  {
    label: '`ticket` saved filter: closed',
    who: closedOnly,
    func: 'ticket',
    params: {},
    floor: queueFloor(now, 'status = 3'),
  },
  {
    label: `\`clientticket\` big client (${size.bigClient} tickets)`,
    who: session(BENCH.bigClientUserId),
    func: 'clientticket',
    params: {},
    floor: clientFloor(BENCH.bigClientId),
  },
  {
    label: '`ticket.message`, 500+ messages',
    who: root,
    func: 'ticket.message',
    params: { elid: String(c.long) },
    floor: messagesFloor(c.long),
  },
];
const lists = await benchLists(deps, base, floors, cases, runs);
say(`### Lists (${runs} runs each, ms)\n\n${lists.table}\n`);
say(`### API throughput (3 s per cell)\n\n${await benchThroughput(deps, base, root, 3)}\n`);
const loadedRss = rssMb();
say(
  `### Scheduled work\n\n- ${await benchDigest(deps, BENCH.department, 20)}\n- ${await benchJobs(deps, 2000)}\n`,
);
server.close();
await pg?.end();
await handle.close();
// The embedded engine keeps its data in this process: a fresh data directory measures start-up with migrations.
const startup = await benchStartup(
  url ? { DATABASE_URL: url } : { DATA_DIR: `/tmp/ticket-ops-bench-${process.pid}` },
  Number(process.env.BENCH_PORT ?? 4015),
);
say(
  `### Memory and start-up\n\n- RSS idle ${idleRss} MB, after the list and throughput runs ${loadedRss} MB` +
    `${url ? '' : ' (PGlite holds the whole database in this process)'}\n- start-up to ready (/healthz 200): ${startup.toFixed(0)} ms\n`,
);
if (lists.plans) say(`### Plans\n\n${lists.plans}`);

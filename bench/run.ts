import { rm } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { eq, type SQL, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openDb } from '../db/client.ts';
import { one } from '../db/rows.ts';
import { messages, tickets, users } from '../db/schema.ts';
import { call } from '../src/functions/registry.ts';
import type { Deps, Session } from '../src/functions/types.ts';
import { setLogLevel } from '../src/log.ts';
import { startFakeSlack } from './fake-slack.ts';
import { BENCH, generate, scale } from './generate.ts';
import {
  accountFloor,
  benchLists,
  clientFloor,
  type Floors,
  type ListCase,
  messagesFloor,
  queueFloor,
} from './lists.ts';
import { rssMb, watchRss } from './memory.ts';
import { type BenchServer, idleRssMb, inProcessServer, serverCommand, startServer } from './server.ts';
import { benchLateness } from './sla-lateness.ts';
import { benchAcks } from './slack-ack.ts';
import { benchDigest, benchJobs, benchThroughput } from './system.ts';

/**
 * The scale benchmark: generates an installation of BENCH_TICKETS tickets (see generate.ts), then
 * measures every list through the registry and the HTTP API against hand-written SQL, API throughput
 * against the SQL's, digest build, the job table, Slack acks, memory and start-up.
 * `npm run bench` runs on embedded PGlite (in memory); BENCH_DATABASE_URL=postgres://… runs on that
 * Postgres database, which is emptied first.
 *
 * What runs where, as in production (Slack and the traffic are elsewhere): on Postgres the server is
 * `src/main.ts` in a child process, started once the data is generated; this process generates,
 * calls the registry, runs the floors, plays Slack (fake-slack.ts) and sends the load. The bare Bolt
 * app is a child of its own (bare-bolt.ts). On PGlite the database lives in the process that opened
 * it, so the API and the bot share this process for the lists, throughput and acks, and server
 * children on a fresh data directory, then again on it, measure start-up and idle memory.
 */
const url = process.env.BENCH_DATABASE_URL;
const size = scale(Number(process.env.BENCH_TICKETS ?? 10_000));
const runs = Number(process.env.BENCH_RUNS ?? 50);
const say = (text: string) => console.log(text);
// One info line per API request would drown the results.
setLogLevel('warn');

// BENCH_KEEP=1 measures the installation a previous run generated (a million tickets take minutes).
let keep = false;
if (url) {
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  if (process.env.BENCH_KEEP === '1') {
    const [found] = await admin`select to_regclass('public.tickets') is not null as present`;
    keep =
      found?.present === true && (await admin`select count(*)::int as n from tickets`)[0]?.n === size.tickets;
  }
  if (!keep)
    await admin.unsafe(
      'drop schema public cascade; create schema public; drop schema if exists drizzle cascade',
    );
  await admin.end();
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
if (!keep) await generate(db, size, now);
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
    `${size.departments} departments ${keep ? '(kept from an earlier run)' : `in ${((performance.now() - generating) / 1000).toFixed(0)} s`}\n`,
);

// A second root keeps the closed-tickets filter: closed tickets of every department, the largest list.
await db.update(users).set({ level: 'root' }).where(eq(users.id, BENCH.closedRootId));
const all = await db.select().from(users);
const session = (id: number): Session => {
  const u = all.find((x) => x.id === id);
  if (!u) throw new Error(`no user ${id}`);
  return { userId: u.id, login: u.login, level: u.level, clientId: u.clientId ?? undefined, via: 'bench' };
};
const root = session(BENCH.staffId);
// Staff member 3 works departments 7, 17 and 27 (generate.ts): the department filter is within their scope.
const byDepartment = session(3);
const closedOnly = session(BENCH.closedRootId);
await call(deps, byDepartment, 'ticket.filter', { department: String(BENCH.department), sok: 'ok' });
await call(deps, closedOnly, 'ticket.filter', { tstatus: '3', sok: 'ok' });

// Before the server starts: its worker would take the job table's jobs as its own.
say(
  `### Scheduled work\n\n- ${await benchDigest(deps, BENCH.department, 20)}\n- ${await benchJobs(deps, 2000)}\n`,
);

const fakeSlack = await startFakeSlack(db, BENCH.staffId, BENCH.department);
const port = process.env.BENCH_PORT ? Number(process.env.BENCH_PORT) : undefined;
// The server's clock is the real one; the registry's `now` stays fixed (the floors are written for it).
const server: BenchServer = url
  ? await startServer({ DATABASE_URL: url, ...fakeSlack.env }, port)
  : await inProcessServer({ ...deps, now: () => new Date() }, fakeSlack.env);
const { base } = server;
const idleRss = await idleRssMb(server);
const memory = watchRss(server.pid);

// The floors run with the bot's connection settings (no JIT, db/client.ts).
// 32 connections: the throughput floor's highest concurrency (Postgres allows 100 here).
const pg = url ? postgres(url, { max: 32, onnotice: () => {}, connection: { jit: 'off' } }) : undefined;
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
const firstPage = queueFloor(now, open);
const cases: ListCase[] = [
  { label: '`ticket` queue, page 1', who: root, func: 'ticket', params: {}, floor: firstPage },
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
  {
    label: `\`account\` (${size.clients} client accounts)`,
    who: root,
    func: 'account',
    params: {},
    floor: accountFloor(),
  },
];
const lists = await benchLists(deps, base, floors, cases, runs);
say(`### Lists (${runs} runs each, ms)\n\n${lists.table}\n`);
if (lists.plans) say(`### Plans\n\n${lists.plans}\n`);
say(
  `### API throughput (3 s per cell)\n\n${await benchThroughput(deps, base, root, () => floors.run(firstPage), 3)}\n`,
);
const loadedRss = rssMb(server.pid);
// BENCH_ACKS=0 leaves the Slack ack run out (lists only, on a shared machine).
if (process.env.BENCH_ACKS !== '0')
  say(
    `### Slack ack latency (5 s per cell, open loop)\n\n${await benchAcks(fakeSlack, server.slackEndpoint, c.long)}\n`,
  );
memory.stop();
await server.stop();
// After the server has stopped: its worker would run the warnings too.
if (process.env.BENCH_LATENESS === '1')
  say(
    `### SLA warnings under Slack's rate limit\n\n${await benchLateness(deps, size.departments, size.staff)}\n`,
  );
await pg?.end();
await handle.close();
const started = (what: string, startup: BenchServer['startup'], idle: number) =>
  `- ${what}: start-up to /healthz 200 ${startup?.answering.toFixed(0)} ms, to ready (Slack connected, worker running) ` +
  `${startup?.ready.toFixed(0)} ms; RSS idle ${idle} MB`;
const rss = `idle ${idleRss} MB, after the list and throughput runs ${loadedRss} MB, highest during lists, throughput and acks ${memory.peak()} MB`;
let memoryLines: string[];
if (url) {
  memoryLines = [`- server process RSS: ${rss}`, started('server process', server.startup, idleRss)];
} else {
  // A server child on a fresh data directory (initdb and migrations in the process, whose memory
  // PGlite keeps), then again on the same directory, as every later start finds it.
  const dataDir = `/tmp/ticket-ops-bench-${process.pid}`;
  memoryLines = [
    `- benchmark process RSS (PGlite holds the whole database in it; the API and the bot share it): ${rss}`,
  ];
  for (const what of ['server process, first start on an empty DATA_DIR', 'server process, restart']) {
    const child = await startServer({ DATA_DIR: dataDir, ...fakeSlack.env }, port);
    const idle = await idleRssMb(child);
    await child.stop();
    memoryLines.push(started(what, child.startup, idle));
  }
  await rm(dataDir, { recursive: true, force: true });
}
await fakeSlack.web.close();
say(`### Memory and start-up (server: \`${serverCommand}\`)\n\n${memoryLines.join('\n')}\n`);

import { cpus } from 'node:os';
import { sql } from 'drizzle-orm';
import { openDb } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { seedDemo } from '../db/seed.ts';
import { call } from '../src/functions/registry.ts';
import type { Deps, Session } from '../src/functions/types.ts';

/**
 * Benchmarks of the ticket engine: the staff queue (`ticket`) and the client list at growing queue
 * sizes, opening a ticket form, and a client opening a ticket. `npm run bench` runs on embedded
 * PGlite; BENCH_DATABASE_URL=postgres://… runs on Postgres (the database is emptied first).
 */
const url = process.env.BENCH_DATABASE_URL;
const handle = await openDb(url ? { databaseUrl: url } : { memory: true });
const { db } = handle;
if (url) {
  await db.execute(
    sql`drop schema public cascade; create schema public; drop schema if exists drizzle cascade`,
  );
  await handle.close();
}
const live = url ? await openDb({ databaseUrl: url }) : handle;
const deps: Deps = { db: live.db, now: () => new Date(), settings: { lockMinutes: 30 } };
await seedDemo(live.db);

const all = await live.db.select().from(users);
const session = (login: string): Session => {
  const u = all.find((x) => x.login === login);
  if (!u) throw new Error(login);
  return { userId: u.id, login: u.login, level: u.level, clientId: u.clientId ?? undefined, via: 'bench' };
};
const anna = session('anna');
const acme = session('acme');

async function time(label: string, runs: number, fn: () => Promise<unknown>) {
  await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const pick = (q: number) =>
    samples[Math.min(samples.length - 1, Math.floor(q * samples.length))].toFixed(1);
  console.log(`| ${label} | ${runs} | ${pick(0.5)} | ${pick(0.95)} |`);
}

/** Grows the open queue to `size` tickets with two messages each, spread over the demo clients. */
async function growQueue(size: number) {
  await live.db.execute(sql`
    with made as (
      insert into tickets (client_id, created_by, department_id, name, status, priority, client_priority, high_priority,
                           waiting_since, deadline, created_at, updated_at)
      select u.client_id, u.id, d.id, 'Bulk ticket ' || g, (g % 3), (g % 3), 1, (g % 17 = 0),
             now() - (g % 500) * interval '1 minute', now() + ((g % 900) - 300) * interval '1 minute', now(), now()
      from generate_series(1, ${size}) g
      join lateral (select * from users where level = 'user' and client_id is not null order by id offset (g % 5) limit 1) u on true
      join lateral (select id from departments where provider_id = (select provider_id from clients where id = u.client_id) order by id limit 1) d on true
      returning id, created_by
    )
    insert into messages (ticket_id, author_id, from_staff, body, created_at)
    select id, created_by, false, 'Bulk message', now() from made
    union all select id, ${anna.userId}, true, 'Internal', now() from made`);
}

console.log(
  `Node ${process.version}, ${cpus().length}× ${cpus()[0]?.model}, ${url ? 'Postgres' : 'PGlite (in memory)'}\n`,
);
console.log('| operation | runs | median ms | p95 ms |');
console.log('|---|---|---|---|');
let size = 60;
for (const target of [1000, 5000]) {
  await time(`\`ticket\` (staff queue, ~${size} open, page of 30)`, 20, () => call(deps, anna, 'ticket', {}));
  await growQueue(target - size);
  size = target;
}
await time(`\`ticket\` (staff queue, ~${size} open, page of 30)`, 20, () => call(deps, anna, 'ticket', {}));
await time('`clientticket` (client list)', 50, () => call(deps, acme, 'clientticket', {}));
await time('`ticket.edit` form (open a ticket)', 50, () => call(deps, anna, 'ticket.edit', { elid: '3' }));
await time('`clientticket.edit` (client opens a ticket)', 50, () =>
  call(deps, acme, 'clientticket.edit', {
    name: 'Bench',
    message: 'Hello',
    client_department: '1',
    sok: 'ok',
  }),
);
await live.close();

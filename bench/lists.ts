import { DEFAULT_API_OPTIONS } from '../src/api/options.ts';
import { createSession } from '../src/api/sessions.ts';
import { listQuery } from '../src/functions/listing.ts';
import { parseParams } from '../src/functions/params.ts';
import { Changes } from '../src/functions/planners/changes.ts';
import { call, registry } from '../src/functions/registry.ts';
import type { Deps, Session } from '../src/functions/types.ts';
import { ms, quantile, sample, table } from './stats.ts';

/** A hand-written SQL text and a way to run it: the floor a list is measured against. */
export interface Floors {
  run(text: string): Promise<unknown>;
  /** EXPLAIN ANALYZE of a query with parameters (Postgres only). */
  explain?(text: string, params: unknown[]): Promise<string>;
}

export interface ListCase {
  label: string;
  who: Session;
  func: string;
  params: Record<string, string>;
  /** The same page as hand-written SQL, with literals (every value is the benchmark's own). */
  floor: string;
}

const weight = (now: string) => `greatest(1, t.queue_base
  + case when t.waiting_since is null then 0
      else least(720, floor((extract(epoch from '${now}'::timestamptz) - extract(epoch from t.waiting_since)) / 240)) end
  + case when t.deadline is null then 0
      when t.deadline < '${now}'::timestamptz then 1500
      else greatest(0, 1000 - floor((extract(epoch from t.deadline) - extract(epoch from '${now}'::timestamptz)) / 60)) end)`;

/**
 * The staff queue's page as one would write it by hand, knowing that the weight is at most
 * queue_base + 2220 (premium is in queue_base): count the rows, seed a bound from the highest bases, weigh only the tickets
 * above it, take the page, join the names.
 */
export function queueFloor(now: Date, where: string, page = 1): string {
  const at = now.toISOString();
  const offset = (page - 1) * 30;
  return `with seed as (
    select ${weight(at)} as w from tickets t where ${where}
    order by t.queue_base desc limit ${offset + 30}
  ), q as (
    select t.id, ${weight(at)} as w from tickets t
    where ${where} and t.queue_base >= (select (min(w) - 2220)::int from seed)
    order by w desc, t.id limit 30 offset ${offset}
  )
  select t.id, t.name, c.name as client, d.name as department, q.w,
    (select count(*) from tickets t where ${where}) as total
  from q join tickets t on t.id = q.id join clients c on c.id = t.client_id join departments d on d.id = t.department_id
  order by q.w desc, q.id`;
}

export function clientFloor(clientId: number): string {
  return `select t.id, t.name, t.status, t.updated_at,
    (select left(m.body, 200) from messages m where m.ticket_id = t.id and not m.internal and not m.hidden
     order by m.id desc limit 1) as last_message,
    (select count(*) from tickets where client_id = ${clientId} and status <> 10) as total
  from tickets t where t.client_id = ${clientId} and t.status <> 10 order by t.updated_at desc, t.id limit 30`;
}

/** Client accounts by id with their project, as `account` shows them, and how many there are. */
export function accountFloor(): string {
  return `select c.id, c.name, c.provider_id, c.balance, c.premium, c.groups, c.attitude, c.incidents, c.disabled,
    p.name as project, (select count(*) from clients) as total
  from clients c join providers p on p.id = c.provider_id order by c.id limit 30`;
}

export function messagesFloor(ticketId: number): string {
  return `select m.id, m.body, m.created_at, u.name, (select count(*) from messages where ticket_id = ${ticketId}) as total
  from messages m join users u on u.id = m.author_id where m.ticket_id = ${ticketId} order by m.id limit 30`;
}

/**
 * Each list through the registry (in this process, at the benchmark's fixed `now`), through the
 * server's HTTP API (on the real clock, so its session is made at the real time) and as its floor:
 * p50/p99 and ratios.
 */
export async function benchLists(deps: Deps, base: string, floors: Floors, cases: ListCase[], runs: number) {
  const rows: (string | number)[][] = [];
  const plans: string[] = [];
  for (const c of cases) {
    const sid = await createSession(deps.db, c.who.userId, undefined, new Date(), DEFAULT_API_OPTIONS);
    const url = `${base}/billmgr?${new URLSearchParams({ func: c.func, out: 'json', auth: sid, ...c.params })}`;
    const viaRegistry = await sample(runs, () => call(deps, c.who, c.func, c.params));
    const viaHttp = await sample(runs, async () => {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`${c.label}: HTTP ${res.status}`);
      await res.text();
    });
    const floor = await sample(runs, () => floors.run(c.floor));
    const f50 = quantile(floor, 0.5);
    rows.push([
      c.label,
      ms(quantile(viaRegistry, 0.5)),
      ms(quantile(viaRegistry, 0.99)),
      ms(quantile(viaHttp, 0.5)),
      ms(quantile(viaHttp, 0.99)),
      ms(f50),
      ms(quantile(floor, 0.99)),
      `${(quantile(viaRegistry, 0.5) / f50).toFixed(2)}×`,
      `${(quantile(viaHttp, 0.5) / f50).toFixed(2)}×`,
    ]);
    const plan = floors.explain ? await explainCase(deps, floors, c) : '';
    if (plan) plans.push(plan);
  }
  const out = table(
    ['list', 'registry p50', 'p99', 'HTTP p50', 'p99', 'floor p50', 'p99', 'registry/floor', 'HTTP/floor'],
    rows,
  );
  return { table: out, plans: plans.join('\n\n') };
}

/** The plans of the list's own page query (as listing.ts builds it) and of its floor. */
async function explainCase(deps: Deps, floors: Floors, c: ListCase): Promise<string> {
  const fn = registry[c.func];
  if (!fn) throw new Error(`No function ${c.func} to explain`);
  const ctx = {
    tx: deps.db,
    session: c.who,
    now: deps.now(),
    settings: deps.settings,
    changes: new Changes(),
  };
  const out = await fn.run(ctx, parseParams(fn.params, c.params));
  if (out.kind !== 'list' || !floors.explain) return '';
  const q = listQuery(ctx, out, c.params, Object.keys(fn.params.shape));
  const query = q.query().toSQL();
  const explain = floors.explain;
  return [
    `#### ${c.label}`,
    '```',
    '-- list (listing.ts)',
    await explain(query.sql, query.params),
    '-- floor',
    await explain(c.floor, []),
    '```',
  ].join('\n');
}

import { sql } from 'drizzle-orm';
import { DEFAULT_API_OPTIONS } from '../src/api/options.ts';
import { createSession } from '../src/api/sessions.ts';
import type { Deps, Session } from '../src/functions/types.ts';
import { claim, complete } from '../src/jobs/queue.ts';
import { digestFor } from '../src/slack/scheduled/digest.ts';
import { ms, quantile, sample, table, throughput } from './stats.ts';

/**
 * `func=ticket` over HTTP at concurrency 1, 8 and 32, as JSON and as XML, against the same page as
 * hand-written SQL at the same concurrency (`floor`: the ceiling this machine gives the queue's SQL):
 * calls per second, and how many times the floor's rate each output's is below.
 */
export async function benchThroughput(
  deps: Deps,
  base: string,
  who: Session,
  floor: () => Promise<unknown>,
  seconds: number,
) {
  // The server runs on the real clock: its session is made at the real time.
  const sid = await createSession(deps.db, who.userId, undefined, new Date(), DEFAULT_API_OPTIONS);
  const levels = [1, 8, 32];
  const rate = async (fn: () => Promise<unknown>) => {
    const perLevel: number[] = [];
    for (const concurrency of levels) perLevel.push(await throughput(concurrency, seconds, fn));
    return perLevel;
  };
  const floorRate = await rate(floor);
  const rows: (string | number)[][] = [];
  const ratios: (string | number)[][] = [];
  for (const out of ['json', 'xml']) {
    const url = `${base}/billmgr?func=ticket&out=${out}&auth=${sid}`;
    const api = await rate(async () => {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      await res.text();
    });
    rows.push([`func=ticket&out=${out}`, ...api.map((n) => n.toFixed(0))]);
    ratios.push([`floor ÷ out=${out}`, ...api.map((n, i) => `${((floorRate[i] ?? 0) / n).toFixed(2)}×`)]);
  }
  rows.push(['queue floor (SQL)', ...floorRate.map((n) => n.toFixed(0))], ...ratios);
  return table(['request', ...levels.map((c) => `c=${c} calls/s`)], rows);
}

/** Building one department's digest (its open tickets, grouped and weighed). */
export async function benchDigest(deps: Deps, departmentId: number, runs: number) {
  const samples = await sample(runs, () => digestFor(deps, departmentId));
  return `digest build (department ${departmentId}): p50 ${ms(quantile(samples, 0.5))} ms, p99 ${ms(quantile(samples, 0.99))} ms`;
}

/** Claim-and-complete rate of the job table, 10 jobs per claim, as one worker runs them. */
export async function benchJobs(deps: Deps, count: number) {
  const now = deps.now();
  await deps.db.execute(sql`insert into jobs (kind, dedupe_key, payload, run_at, updated_at)
    select 'bench.noop', 'bench:' || g, '{}'::jsonb, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
    from generate_series(1, ${count}) g`);
  const start = performance.now();
  let done = 0;
  for (;;) {
    const claimed = await deps.db.transaction((tx) => claim(tx, 'bench', now, 60_000, 10));
    if (claimed.length === 0) break;
    await deps.db.transaction(async (tx) => {
      for (const job of claimed) await complete(tx, job, 'bench', now);
    });
    done += claimed.length;
  }
  const seconds = (performance.now() - start) / 1000;
  return `job claim-and-complete: ${done} jobs in ${seconds.toFixed(1)} s = ${(done / seconds).toFixed(0)} jobs/s`;
}

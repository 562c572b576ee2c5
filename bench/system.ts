import { spawn } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { DEFAULT_API_OPTIONS } from '../src/api/options.ts';
import { createSession } from '../src/api/sessions.ts';
import type { Deps, Session } from '../src/functions/types.ts';
import { claim, complete } from '../src/jobs/queue.ts';
import { digestFor } from '../src/slack/scheduled/digest.ts';
import { ms, quantile, sample, table, throughput } from './stats.ts';

/** `func=ticket` over HTTP at concurrency 1, 8 and 32, as JSON and as XML: calls per second. */
export async function benchThroughput(deps: Deps, base: string, who: Session, seconds: number) {
  const sid = await createSession(deps.db, who.userId, undefined, deps.now(), DEFAULT_API_OPTIONS);
  const rows: (string | number)[][] = [];
  for (const out of ['json', 'xml']) {
    const url = `${base}/billmgr?func=ticket&out=${out}&auth=${sid}`;
    const row: (string | number)[] = [`func=ticket&out=${out}`];
    for (const concurrency of [1, 8, 32]) {
      const perSecond = await throughput(concurrency, seconds, async () => {
        const res = await fetch(url);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        await res.text();
      });
      row.push(perSecond.toFixed(0));
    }
    rows.push(row);
  }
  return table(['request', 'c=1 calls/s', 'c=8 calls/s', 'c=32 calls/s'], rows);
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

/** Start-up to ready: `npm start` in a child process until /healthz answers 200. */
export async function benchStartup(env: Record<string, string>, port: number): Promise<number> {
  const start = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return performance.now() - start;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    child.kill();
  }
}

export const rssMb = () => (process.memoryUsage().rss / 2 ** 20).toFixed(0);

import { sql } from 'drizzle-orm';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { jobs } from '../../db/schema.ts';
import type { Deps } from '../functions/types.ts';
import type { Job } from './queue.ts';

/*
 * Scheduled work in /metrics. The worker is one per process, so what it observes (lateness, retries)
 * lives in process-wide metrics; what the job table holds is counted at scrape time, so every replica
 * reports the same table.
 */

const lateness = new Histogram({
  name: 'ticketops_job_lateness_seconds',
  help: 'How long after its planned time a job was taken up, by kind',
  labelNames: ['kind'] as const,
  buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600],
  registers: [],
});

const retried = new Counter({
  name: 'ticketops_jobs_retried_total',
  help: 'Job attempts that failed and were scheduled again, by kind',
  labelNames: ['kind'] as const,
  registers: [],
});

/** A job taken up by a worker: how late against its planned time. */
export function jobClaimed(job: Pick<Job, 'kind' | 'runAt'>, now: Date): void {
  lateness.observe({ kind: job.kind }, Math.max(0, now.getTime() - job.runAt.getTime()) / 1000);
}

export function jobRetried(kind: string): void {
  retried.inc({ kind });
}

/**
 * Adds the job metrics to an app's registry: the lateness and retries above, and per kind the jobs
 * due and not taken, running, failed for good, and waiting for a retry, read from the table.
 */
export function registerJobMetrics(registry: Registry, deps: Pick<Deps, 'db' | 'now'>): void {
  registry.registerMetric(lateness);
  registry.registerMetric(retried);
  const table = (name: string, help: string, state: string) => ({ name, help, state });
  const gauges = [
    table('ticketops_jobs_due', 'Jobs past their planned time that no worker has taken, by kind', 'due'),
    table('ticketops_jobs_running', 'Jobs a worker holds right now, by kind', 'running'),
    table('ticketops_jobs_failed', 'Jobs that failed on every attempt and were given up, by kind', 'failed'),
    table('ticketops_jobs_retrying', 'Jobs waiting for another attempt after a failure, by kind', 'retrying'),
  ];
  let counts: Promise<Map<string, Map<string, number>>> | undefined;
  // One query per scrape for all four gauges.
  const read = () => {
    counts ??= countJobs(deps).finally(() => {
      setImmediate(() => {
        counts = undefined;
      });
    });
    return counts;
  };
  for (const g of gauges) {
    new Gauge({
      name: g.name,
      help: g.help,
      labelNames: ['kind'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const [kind, n] of (await read()).get(g.state) ?? []) this.set({ kind }, n);
      },
    });
  }
}

async function countJobs(deps: Pick<Deps, 'db' | 'now'>): Promise<Map<string, Map<string, number>>> {
  const now = deps.now().toISOString();
  const state = sql<string>`case
    when ${jobs.state} = 'pending' and ${jobs.runAt} <= ${now}::timestamptz then 'due'
    when ${jobs.state} = 'pending' and ${jobs.lastError} is not null then 'retrying'
    else ${jobs.state} end`;
  const rows = await deps.db
    .select({ state, kind: jobs.kind, n: sql<number>`count(*)::int` })
    .from(jobs)
    .where(sql`${jobs.state} in ('pending', 'running', 'failed')`)
    .groupBy(sql`1, 2`);
  const out = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const byKind = out.get(r.state) ?? new Map<string, number>();
    byKind.set(r.kind, Number(r.n));
    out.set(r.state, byKind);
  }
  return out;
}

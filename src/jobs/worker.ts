import { randomUUID } from 'node:crypto';
import type { Deps } from '../functions/types.ts';
import { log } from '../log.ts';
import { jobClaimed, jobRetried } from './metrics.ts';
import { BadPayload } from './payload.ts';
import { claim, complete, extendLeases, fail, type Job, postpone } from './queue.ts';

/** What a job kind does. It runs outside any transaction: it may call Slack. */
export type JobHandler = (job: Job, deps: Deps) => Promise<void>;

/** A handler may throw this to ask for a retry at a given time (Slack's Retry-After). */
export class RetryLater extends Error {
  constructor(
    message: string,
    readonly afterMs: number,
  ) {
    super(message);
  }
}

/** A handler throws this to wait for something else first: the job runs again later, no attempt spent. */
export class NotYet extends Error {
  constructor(
    message: string,
    readonly afterMs: number,
  ) {
    super(message);
  }
}

/**
 * A dead replica's jobs are taken over once their lease runs out: short, so that happens within
 * seconds; a live worker's heartbeat renews it while it is busy, however long Slack takes.
 */
export const DEFAULT_LEASE_MS = 10_000;

export interface WorkerOptions {
  handlers: Record<string, JobHandler>;
  leaseMs?: number;
  maxAttempts?: number;
  pollMs?: number;
  id?: string;
}

/**
 * Runs due jobs: claims a batch in a short transaction, runs each handler with no transaction open,
 * then records the outcome. `tick()` does one round (tests drive it with a controlled clock);
 * `start()` polls until `stop()`.
 */
export function createWorker(deps: Deps, options: WorkerOptions) {
  const id = options.id ?? `worker-${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const maxAttempts = options.maxAttempts ?? 6;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<number> | undefined;
  /** When the polling loop last finished a round (/healthz: a stuck worker stops finishing them). */
  let lastRoundAt: Date | undefined;

  async function runOne(job: Job): Promise<void> {
    const handler = options.handlers[job.kind];
    try {
      if (!handler) throw new Error(`No handler for job kind ${job.kind}`);
      await handler(job, deps);
      await deps.db.transaction((tx) => complete(tx, job, id, deps.now()));
    } catch (error) {
      const now = deps.now();
      if (error instanceof NotYet) {
        const at = new Date(now.getTime() + error.afterMs);
        await deps.db.transaction((tx) => postpone(tx, job, id, at, now));
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      const retryAfter = error instanceof RetryLater ? error.afterMs : undefined;
      // A bad payload stays bad: this attempt is its last.
      const attempts = error instanceof BadPayload ? job.attempts : maxAttempts;
      log.warn('job failed', { job: job.id, kind: job.kind, attempt: job.attempts, error: message });
      if (job.attempts < attempts) jobRetried(job.kind);
      await deps.db.transaction((tx) => fail(tx, job, id, message, now, attempts, retryAfter));
    }
  }

  /** While a batch runs, its leases are renewed every third of the lease. */
  function heartbeat(): () => void {
    const beat = setInterval(() => {
      deps.db
        .transaction((tx) => extendLeases(tx, id, deps.now(), leaseMs))
        .catch((error) => log.warn('job lease not renewed', { worker: id, error: String(error) }));
    }, leaseMs / 3);
    // The heartbeat alone must not keep a stopping process alive.
    beat.unref();
    return () => clearInterval(beat);
  }

  async function tick(): Promise<number> {
    const now = deps.now();
    const batch = await deps.db.transaction((tx) => claim(tx, id, now, leaseMs));
    if (batch.length === 0) return 0;
    for (const job of batch) jobClaimed(job, now);
    const stopBeating = heartbeat();
    try {
      for (const job of batch) await runOne(job);
    } finally {
      stopBeating();
    }
    return batch.length;
  }

  return {
    id,
    tick,
    lastRoundAt: () => lastRoundAt,
    start() {
      stopped = false;
      const loop = async () => {
        running = tick().catch((error) => {
          log.error('worker round failed', { error: String(error) });
          return 0;
        });
        const done = await running;
        lastRoundAt = new Date();
        if (stopped) return;
        // Drain quickly while there is work; otherwise poll.
        timer = setTimeout(loop, done > 0 ? 0 : (options.pollMs ?? 1000));
      };
      timer = setTimeout(loop, 0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}

import { randomUUID } from 'node:crypto';
import type { Deps } from '../functions/types.ts';
import { log } from '../log.ts';
import { claim, complete, fail, type Job } from './jobs.ts';

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
  const leaseMs = options.leaseMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 6;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<number> | undefined;
  /** When the polling loop last finished a round (/healthz: a stuck worker stops beating). */
  let heartbeat: Date | undefined;

  async function runOne(job: Job): Promise<void> {
    const handler = options.handlers[job.kind];
    try {
      if (!handler) throw new Error(`No handler for job kind ${job.kind}`);
      await handler(job, deps);
      await deps.db.transaction((tx) => complete(tx, job, id, deps.now()));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const retryAfter = error instanceof RetryLater ? error.afterMs : undefined;
      log.warn('job failed', { job: job.id, kind: job.kind, attempt: job.attempts, error: message });
      await deps.db.transaction((tx) => fail(tx, job, id, message, deps.now(), maxAttempts, retryAfter));
    }
  }

  async function tick(): Promise<number> {
    const batch = await deps.db.transaction((tx) => claim(tx, id, deps.now(), leaseMs));
    for (const job of batch) await runOne(job);
    return batch.length;
  }

  return {
    id,
    tick,
    heartbeat: () => heartbeat,
    start() {
      stopped = false;
      const loop = async () => {
        running = tick().catch((error) => {
          log.error('worker round failed', { error: String(error) });
          return 0;
        });
        const done = await running;
        heartbeat = new Date();
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

import { randomUUID } from 'node:crypto';
import type { Deps } from '../functions/types.ts';
import { log } from '../log.ts';
import { jobClaimed, jobRetried } from './metrics.ts';
import { BadPayload } from './payload.ts';
import { type Claimed, claim, complete, extendLeases, fail, type Job, postpone } from './queue.ts';

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

/** Jobs a worker holds at most (claimed, running or waiting for a slot): one claim's batch. */
const BATCH = 10;

export interface WorkerOptions {
  handlers: Record<string, JobHandler>;
  leaseMs?: number;
  maxAttempts?: number;
  pollMs?: number;
  /**
   * Jobs run at once; jobs of one lane never overlap (lanes.ts). One unless asked, so tests that
   * drive `tick()` see jobs of different lanes in planned order; main.ts passes JOB_CONCURRENCY.
   */
  concurrency?: number;
  id?: string;
}

/**
 * Runs due jobs, up to `concurrency` at once, in planned order: holds a batch of claimed jobs
 * (claimed in a short transaction), runs each handler with no transaction open, then records the
 * outcome. Jobs of one lane (lanes.ts) never overlap: a claim skips the lanes the worker is busy
 * with, and jobs of one lane claimed together run one after another. The polling loop (`start()`)
 * tops the batch up as soon as a job ends, so a slow job holds up only its own slot and lane.
 * `tick()` does one round and resolves when the jobs it claimed are done (tests drive it with a
 * controlled clock); `stop()` ends the loop and waits for the jobs in flight.
 */
export function createWorker(deps: Deps, options: WorkerOptions) {
  const id = options.id ?? `worker-${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const maxAttempts = options.maxAttempts ?? 6;
  const concurrency = options.concurrency ?? 1;
  const pollMs = options.pollMs ?? 1000;
  /** The jobs this worker holds (running, or waiting for their lane), each taking a slot: their lanes. */
  const held = new Map<number, string | null>();
  /** The lanes of claimed batches still running: stop() waits for them. */
  const running = new Set<Promise<void>>();
  let stopped = true;
  let loop: Promise<void> | undefined;
  /** Ends the loop's wait early: a slot freed, or stop() was called. */
  let wake: (() => void) | undefined;
  let stopBeating: (() => void) | undefined;
  /** When the polling loop last finished a round (/healthz: a stuck worker stops finishing them). */
  let lastRoundAt: Date | undefined;
  /**
   * Until when slots stay closed, one per job Slack refused (RetryLater): its limit is per channel,
   * which a claim cannot see, and jobs run at full speed meanwhile would mostly be refused too.
   * Never below one slot: at worst the worker runs as a single one.
   */
  let cooling: number[] = [];

  /** Slots open now (by the deps clock, so tests driving tick() control it too). */
  function openSlots(now: number): number {
    cooling = cooling.filter((until) => until > now);
    return Math.max(1, concurrency - cooling.length);
  }

  async function runOne(job: Job): Promise<void> {
    const handler = options.handlers[job.kind];
    try {
      if (!handler) throw new Error(`No handler for job kind ${job.kind}`);
      await handler(job, deps);
      await deps.db.transaction((tx) => complete(tx, job, id, deps.now()));
    } catch (error) {
      const now = deps.now();
      // Waiting is no failure: neither a chain's earlier step on its way (NotYet) nor Slack's rate
      // limit (RetryLater) spends an attempt. A burst of SLA warnings met 429s by the thousand, and
      // counting them lost warnings for good and alerted roots about a channel that was fine.
      if (error instanceof NotYet || error instanceof RetryLater) {
        const at = new Date(now.getTime() + error.afterMs);
        if (error instanceof RetryLater) cooling.push(at.getTime());
        const reason = error instanceof RetryLater ? error.message : undefined;
        await deps.db.transaction((tx) => postpone(tx, job, id, at, now, reason));
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      // A bad payload stays bad: this attempt is its last.
      const attempts = error instanceof BadPayload ? job.attempts : maxAttempts;
      log.warn('job failed', { job: job.id, kind: job.kind, attempt: job.attempts, error: message });
      if (job.attempts < attempts) jobRetried(job.kind);
      await deps.db.transaction((tx) => fail(tx, job, id, message, now, attempts));
    }
  }

  /** While jobs are held, their leases are renewed every third of the lease. */
  function heartbeat(): () => void {
    const beat = setInterval(() => {
      deps.db
        .transaction((tx) => extendLeases(tx, id, [...held.keys()], deps.now(), leaseMs))
        .catch((error) => log.warn('job lease not renewed', { worker: id, error: String(error) }));
    }, leaseMs / 3);
    // The heartbeat alone must not keep a stopping process alive.
    beat.unref();
    return () => clearInterval(beat);
  }

  /** Jobs running now, and the lanes waiting for a slot (woken to check again when one frees). */
  let active = 0;
  let waiting: (() => void)[] = [];

  /** Waits for a free slot: at most `concurrency` jobs run, fewer while slots cool (openSlots). */
  async function acquire(): Promise<void> {
    while (active >= openSlots(deps.now().getTime())) {
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    active++;
  }

  function release(): void {
    active--;
    // In the order they came: the first gets the slot, the others wait again.
    const woken = waiting;
    waiting = [];
    for (const resume of woken) resume();
  }

  /** Runs a held job and frees its slot. Rejects when its outcome could not be recorded (the database failed). */
  async function runHeld(job: Job): Promise<void> {
    await acquire();
    try {
      await runOne(job);
    } finally {
      release();
      held.delete(job.id);
      if (held.size === 0) {
        stopBeating?.();
        stopBeating = undefined;
      }
      wake?.();
    }
  }

  /**
   * Runs one lane's jobs of a batch one after another. A job whose outcome was not recorded keeps its
   * state and is claimed again once its lease runs out; the lane goes on, and the first such failure
   * is passed on when the lane is through.
   */
  async function runLane(lane: Claimed[]): Promise<void> {
    let failure: unknown;
    for (const job of lane) {
      await runHeld(job).catch((error) => {
        log.error('job outcome not recorded', { job: job.id, kind: job.kind, error: String(error) });
        failure ??= error;
      });
    }
    if (failure !== undefined) throw failure;
  }

  /** Tops the held jobs up to a batch, skipping busy lanes, and starts them: how many, and a promise per lane. */
  async function claimAndRun(): Promise<{ claimed: number; lanes: Promise<void>[] }> {
    const now = deps.now();
    const free = Math.max(BATCH, concurrency) - held.size;
    if (free <= 0) return { claimed: 0, lanes: [] };
    const busy = [...new Set([...held.values()].filter((l) => l !== null))];
    const batch = await deps.db.transaction((tx) => claim(tx, id, now, leaseMs, free, busy));
    const lanes = new Map<string | number, Claimed[]>();
    for (const job of batch) {
      jobClaimed(job, now);
      held.set(job.id, job.lane);
      const key = job.lane ?? job.id;
      lanes.set(key, [...(lanes.get(key) ?? []), job]);
    }
    if (batch.length > 0) stopBeating ??= heartbeat();
    const runs = [...lanes.values()].map((lane) => {
      const run = runLane(lane);
      // Logged in runLane: stop() only waits.
      const done = run.catch(() => {});
      running.add(done);
      void done.then(() => running.delete(done));
      return run;
    });
    return { claimed: batch.length, lanes: runs };
  }

  async function tick(): Promise<number> {
    const { claimed, lanes } = await claimAndRun();
    const outcomes = await Promise.allSettled(lanes);
    const failed = outcomes.find((o) => o.status === 'rejected');
    if (failed) throw failed.reason;
    return claimed;
  }

  /** Waits until a slot frees, stop() is called, or `ms` pass (never, when undefined). */
  function pause(ms: number | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      wake = undefined;
    });
  }

  async function poll(): Promise<void> {
    while (!stopped) {
      let claimed = 0;
      try {
        // The loop does not wait for the jobs: each frees its slot when done (runHeld wakes the loop).
        claimed = (await claimAndRun()).claimed;
      } catch (error) {
        log.error('worker round failed', { error: String(error) });
      }
      lastRoundAt = new Date();
      if (stopped) break;
      // A full batch held: wait for a job to end (if they all hang, rounds stop and /healthz says so).
      // Jobs claimed: drain quickly, there may be more. None due: poll, or claim when a slot frees
      // (a finished job frees its lane for the next job of that lane).
      if (held.size >= Math.max(BATCH, concurrency)) await pause(undefined);
      else if (claimed === 0) await pause(pollMs);
    }
  }

  return {
    id,
    tick,
    lastRoundAt: () => lastRoundAt,
    start() {
      if (!stopped) return;
      stopped = false;
      loop = poll();
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await Promise.all(running);
    },
  };
}

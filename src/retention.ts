import { and, inArray, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { jobs, slackClaims } from '../db/schema.ts';
import type { Deps } from './functions/types.ts';
import { log } from './log.ts';

export interface RetentionOptions {
  /** Done and cancelled jobs older than this are deleted (failed ones stay, for people to look at). */
  jobsDays: number;
  /** Slack claim rows older than this are deleted; at least the longest claim window (2 days). */
  claimsDays: number;
  /** Rows per delete: each batch is a short statement, so the worker's queries interleave. */
  batch?: number;
  /** How often a round runs. */
  everyMs?: number;
}

const DAY_MS = 24 * 60 * 60_000;

/**
 * Keeps the tables that grow with time bounded: finished jobs and Slack claim rows. Every replica
 * may run it (a row another replica is deleting is skipped, not waited for); one round deletes in
 * batches until nothing old is left.
 */
export function createRetention(deps: Deps, options: RetentionOptions) {
  const batch = options.batch ?? 500;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  /** One round; returns how many rows went. */
  async function purge(): Promise<{ jobs: number; claims: number }> {
    const now = deps.now().getTime();
    const jobsBefore = new Date(now - options.jobsDays * DAY_MS);
    const claimsBefore = new Date(now - options.claimsDays * DAY_MS);
    const result = {
      jobs: await inBatches(() => purgeJobs(deps.db, jobsBefore, batch)),
      claims: await inBatches(() => purgeClaims(deps.db, claimsBefore, batch)),
    };
    if (result.jobs + result.claims > 0) log.info('retention purged old rows', result);
    return result;
  }

  async function inBatches(step: () => Promise<number>): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await step();
      total += n;
      if (n < batch || stopped) return total;
      // Let queued queries (the worker's claim, API calls) run between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  return {
    purge,
    start() {
      const round = () => {
        running = purge()
          .catch((error) => log.error('retention round failed', { error: String(error) }))
          .finally(() => {
            if (!stopped) timer = setTimeout(round, options.everyMs ?? 60 * 60_000);
          });
      };
      // Not at once: start-up has enough to do.
      timer = setTimeout(round, 60_000);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/**
 * Jobs finished before `before`. The (state, run_at) index finds them: a done job was due before it
 * finished; a cancelled one planned for later stays until that time has passed too.
 */
async function purgeJobs(db: Db, before: Date, limit: number): Promise<number> {
  const old = db
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(inArray(jobs.state, ['done', 'cancelled']), lt(jobs.runAt, before), lt(jobs.updatedAt, before)),
    )
    .limit(limit)
    .for('update', { skipLocked: true });
  const deleted = await db.delete(jobs).where(inArray(jobs.id, old)).returning({ id: jobs.id });
  return deleted.length;
}

async function purgeClaims(db: Db, before: Date, limit: number): Promise<number> {
  const old = db
    .select({ key: slackClaims.claimKey })
    .from(slackClaims)
    .where(lt(slackClaims.receivedAt, before))
    .limit(limit)
    .for('update', { skipLocked: true });
  const deleted = await db
    .delete(slackClaims)
    .where(inArray(slackClaims.claimKey, old))
    .returning({ key: slackClaims.claimKey });
  return deleted.length;
}

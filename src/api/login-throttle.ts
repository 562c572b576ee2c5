import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq, lt, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { loginThrottle } from '../../db/schema.ts';
import { TicketError } from '../functions/errors.ts';
import type { ApiOptions } from './options.ts';

/**
 * Slows down password and key guessing, per account and per remote address: the first few failures
 * cost nothing, after that one attempt at a time is let through once a wait that doubles with every
 * further failure has passed. Refused attempts are not counted (a locked-out user cannot lengthen
 * their own wait); a success clears its own account only (a guesser's own good login must not wipe
 * the counter of the address or of the account they guess), and failures are forgotten after a
 * quiet period. The account counter runs for any login name, existing or not, so it tells nothing.
 *
 * An attempt is reserved before the credentials are checked (so parallel guesses cannot all pass
 * before any is counted) and settled after. A login that finds the limit taken only by attempts
 * still being checked waits for them instead of being refused, so parallel correct logins never
 * lock anyone out. Every step is one conditional statement on the row, so replicas sharing the
 * database count together.
 */
export function waitSeconds(failures: number, free: number, opts: ApiOptions): number {
  if (failures < free) return 0;
  const doublings = Math.min(30, failures - free);
  return Math.min(opts.maxLoginDelaySeconds, opts.loginDelaySeconds * 2 ** doublings);
}

/** An attempt being checked counts at most this long: a process that died mid-check frees its slot. */
const PENDING_SECONDS = 30;
/**
 * The longest a login waits for other attempts to finish before it is refused: as long as a slot
 * can be held, so a queue of parallel correct logins drains even on a slow server.
 */
const QUEUE_MS = PENDING_SECONDS * 1000;

interface Counter {
  key: string;
  free: number;
  /** The refusal names what is throttled. */
  what: string;
  /** A success clears this counter (its own account), not the others. */
  clearedBySuccess: boolean;
}

export interface LoginAttempt {
  /** The login name tried, whether or not such an account exists. */
  login: string;
  address: string;
}

const counters = (attempt: LoginAttempt, opts: ApiOptions): Counter[] => [
  {
    key: `account:${attempt.login}`,
    free: opts.freeLoginFailures,
    what: 'for this account',
    clearedBySuccess: true,
  },
  {
    key: `address:${attempt.address}`,
    free: opts.freeAddressFailures,
    what: 'from your address',
    clearedBySuccess: false,
  },
];

/**
 * Checks credentials under the throttle: `check` resolves whether they are right. Refuses with an
 * `auth` error while the account or the address must wait.
 */
export async function throttled(
  db: Db,
  attempt: LoginAttempt,
  now: Date,
  opts: ApiOptions,
  check: () => Promise<boolean>,
): Promise<boolean> {
  const list = counters(attempt, opts);
  await reserve(db, list, now, opts);
  let outcome: 'failed' | 'succeeded' | 'abandoned' = 'abandoned';
  try {
    outcome = (await check()) ? 'succeeded' : 'failed';
    return outcome === 'succeeded';
  } finally {
    await settle(db, list, now, opts, outcome);
  }
}

/** SQL over the stored row, as of `now`: failures not yet forgotten, attempts still being checked. */
function terms(now: Date, opts: ApiOptions) {
  const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;
  const forgetBefore = at(new Date(now.getTime() - opts.forgetFailuresMinutes * 60_000));
  const staleBefore = at(new Date(now.getTime() - PENDING_SECONDS * 1000));
  const failures = sql`(case when ${loginThrottle.lastFailure} < ${forgetBefore} then 0 else ${loginThrottle.failures} end)`;
  const pending = sql`(case when ${loginThrottle.pendingSince} < ${staleBefore} then 0 else ${loginThrottle.pending} end)`;
  const allowed = (free: number): SQL => {
    const waitOver = sql`${loginThrottle.lastFailure} + make_interval(secs => least(${opts.maxLoginDelaySeconds}::float8,
      ${opts.loginDelaySeconds}::float8 * power(2, least(30, ${failures} - ${free})))) <= ${at(now)}`;
    return sql`${failures} + ${pending} < ${free} or (${pending} = 0 and ${waitOver})`;
  };
  return { failures, pending, allowed, forgetBefore, staleBefore };
}

class Refused {
  constructor(readonly counter: Counter) {}
}

/** Takes a slot on every counter at once (all or none), waiting while only other checks hold them. */
async function reserve(db: Db, list: Counter[], now: Date, opts: ApiOptions): Promise<void> {
  const { failures, pending, allowed } = terms(now, opts);
  const deadline = Date.now() + QUEUE_MS;
  // Polled, as other replicas hold slots too; backing off keeps a queue of waiters from busying the database.
  for (let pause = 20; ; pause = Math.min(250, pause * 2)) {
    try {
      await db.transaction(async (tx) => {
        // Counters in one order (`account:` before `address:`), so two reservations never deadlock.
        for (const counter of list) {
          const taken = await tx
            .insert(loginThrottle)
            .values({ key: counter.key, failures: 0, lastFailure: now, pending: 1, pendingSince: now })
            .onConflictDoUpdate({
              target: loginThrottle.key,
              set: { failures, pending: sql`${pending} + 1`, pendingSince: now },
              setWhere: allowed(counter.free),
            })
            .returning({ key: loginThrottle.key });
          if (taken.length === 0) throw new Refused(counter);
        }
      });
      return;
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      const left = await refusal(db, error.counter, now, opts);
      if (left > 0 || Date.now() > deadline) {
        throw new TicketError(
          'auth',
          'authinfo',
          `Too many failed logins ${error.counter.what}; try again in ${Math.max(1, left)} seconds`,
        );
      }
      await sleep(pause * (0.5 + Math.random()));
    }
  }
}

/** Seconds the counter must wait, or 0 when only attempts still being checked hold it (or it is gone). */
async function refusal(db: Db, counter: Counter, now: Date, opts: ApiOptions): Promise<number> {
  const { failures } = terms(now, opts);
  const [row] = await db
    .select({ failures, lastFailure: loginThrottle.lastFailure })
    .from(loginThrottle)
    .where(eq(loginThrottle.key, counter.key));
  if (!row) return 0;
  const until = row.lastFailure.getTime() + waitSeconds(Number(row.failures), counter.free, opts) * 1000;
  return Math.max(0, Math.ceil((until - now.getTime()) / 1000));
}

/** Gives the slots back: a failure counts on every counter, a success clears its own account. */
async function settle(
  db: Db,
  list: Counter[],
  now: Date,
  opts: ApiOptions,
  outcome: 'failed' | 'succeeded' | 'abandoned',
): Promise<void> {
  const { failures, pending, forgetBefore, staleBefore } = terms(now, opts);
  for (const counter of list) {
    const clears = outcome === 'succeeded' && counter.clearedBySuccess;
    await db
      .update(loginThrottle)
      .set({
        failures: outcome === 'failed' ? sql`${failures} + 1` : clears ? 0 : failures,
        ...(outcome === 'failed' ? { lastFailure: now } : {}),
        pending: sql`greatest(${pending} - 1, 0)`,
      })
      .where(eq(loginThrottle.key, counter.key));
  }
  // Counters nobody uses any more are swept here rather than by a timer.
  if (outcome === 'succeeded') {
    await db
      .delete(loginThrottle)
      .where(and(lt(loginThrottle.lastFailure, forgetBefore), lt(loginThrottle.pendingSince, staleBefore)));
  }
}

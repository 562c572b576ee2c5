import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { loginFailures } from '../../db/schema.ts';
import { TicketError } from '../functions/errors.ts';
import type { ApiOptions } from './options.ts';

/**
 * Slows down password and key guessing per remote address: the first few failures cost nothing,
 * after that each attempt is refused until a wait that doubles with every further failure has
 * passed. Refused attempts are not counted (a locked-out user cannot lengthen their own wait);
 * a success clears the address, and failures are forgotten after a quiet period.
 */
export function waitSeconds(count: number, opts: ApiOptions): number {
  if (count < opts.freeLoginFailures) return 0;
  const doublings = Math.min(30, count - opts.freeLoginFailures);
  return Math.min(opts.maxLoginDelaySeconds, opts.loginDelaySeconds * 2 ** doublings);
}

export async function refuseIfThrottled(db: Db, address: string, now: Date, opts: ApiOptions): Promise<void> {
  const [row] = await db.select().from(loginFailures).where(eq(loginFailures.address, address));
  if (!row || forgotten(row.lastAt, now, opts)) return;
  const until = row.lastAt.getTime() + waitSeconds(row.count, opts) * 1000;
  if (until > now.getTime()) {
    const left = Math.ceil((until - now.getTime()) / 1000);
    throw new TicketError(
      'auth',
      'authinfo',
      `Too many failed logins from your address; try again in ${left} seconds`,
    );
  }
}

export async function recordFailure(db: Db, address: string, now: Date, opts: ApiOptions): Promise<void> {
  const forgetBefore = new Date(now.getTime() - opts.forgetFailuresMinutes * 60_000);
  await db
    .insert(loginFailures)
    .values({ address, count: 1, lastAt: now })
    .onConflictDoUpdate({
      target: loginFailures.address,
      set: {
        count: sql`case when ${loginFailures.lastAt} < ${forgetBefore.toISOString()}::timestamptz then 1 else ${loginFailures.count} + 1 end`,
        lastAt: now,
      },
    });
}

export async function clearFailures(db: Db, address: string): Promise<void> {
  await db.delete(loginFailures).where(eq(loginFailures.address, address));
}

function forgotten(lastAt: Date, now: Date, opts: ApiOptions): boolean {
  return now.getTime() - lastAt.getTime() > opts.forgetFailuresMinutes * 60_000;
}

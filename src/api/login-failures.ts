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

/**
 * Counts a login attempt as failed before the credentials are checked, or refuses it while the
 * address must wait. Counting first, in one conditional upsert, keeps parallel guesses from all
 * passing the check before any of them is recorded; a success then clears the address.
 */
export async function reserveAttempt(db: Db, address: string, now: Date, opts: ApiOptions): Promise<void> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const forgetBefore = sql`${new Date(now.getTime() - opts.forgetFailuresMinutes * 60_000).toISOString()}::timestamptz`;
  const waitOver = sql`${loginFailures.lastAt} + make_interval(secs => least(${opts.maxLoginDelaySeconds}::float8,
    ${opts.loginDelaySeconds}::float8 * power(2, least(30, ${loginFailures.count} - ${opts.freeLoginFailures})))) <= ${at}`;
  const counted = await db
    .insert(loginFailures)
    .values({ address, count: 1, lastAt: now })
    .onConflictDoUpdate({
      target: loginFailures.address,
      set: {
        count: sql`case when ${loginFailures.lastAt} < ${forgetBefore} then 1 else ${loginFailures.count} + 1 end`,
        lastAt: now,
      },
      setWhere: sql`${loginFailures.lastAt} < ${forgetBefore} or ${loginFailures.count} < ${opts.freeLoginFailures} or ${waitOver}`,
    })
    .returning({ count: loginFailures.count });
  if (counted.length > 0) return;
  const [row] = await db.select().from(loginFailures).where(eq(loginFailures.address, address));
  const until = row.lastAt.getTime() + waitSeconds(row.count, opts) * 1000;
  const left = Math.max(1, Math.ceil((until - now.getTime()) / 1000));
  throw new TicketError(
    'auth',
    'authinfo',
    `Too many failed logins from your address; try again in ${left} seconds`,
  );
}

export async function clearFailures(db: Db, address: string): Promise<void> {
  await db.delete(loginFailures).where(eq(loginFailures.address, address));
}

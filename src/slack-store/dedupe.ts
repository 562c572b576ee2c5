import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { slackClaims } from '../../db/schema.ts';

/**
 * Claims `key` in the shared `slack_claims` table so one replica acts on it once. A key claimed more
 * than `windowMs` ago may be claimed again: a redelivered event id is refused for as long as the
 * table keeps it (at least ten minutes), a double click on a button only for a few seconds.
 */
export async function claimOnce(db: Db, key: string, now: Date, windowMs: number): Promise<boolean> {
  const cutoff = new Date(now.getTime() - windowMs);
  const rows = await db
    .insert(slackClaims)
    .values({ claimKey: key, receivedAt: now })
    .onConflictDoUpdate({
      target: slackClaims.claimKey,
      set: { receivedAt: now },
      setWhere: sql`${slackClaims.receivedAt} < ${cutoff.toISOString()}`,
    })
    .returning({ key: slackClaims.claimKey });
  return rows.length > 0;
}

/** Gives a claim back when acting on it failed, so Slack's retry can do the work. */
export async function releaseClaim(db: Db, key: string): Promise<void> {
  await db.delete(slackClaims).where(eq(slackClaims.claimKey, key));
}

/** Whether `key` has been claimed (and not released). */
export async function isClaimed(db: Db, key: string): Promise<boolean> {
  const [row] = await db.select().from(slackClaims).where(eq(slackClaims.claimKey, key));
  return row !== undefined;
}

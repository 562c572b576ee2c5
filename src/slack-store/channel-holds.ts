import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { clients, departments, heldChannels, users } from '../../db/schema.ts';

/**
 * A department channel where a non-staff member was seen: nothing more is posted there until a root
 * checks it again. Held once; a later join keeps the first reason.
 */
export async function holdChannel(db: Db, channel: string, reason: string, now: Date): Promise<boolean> {
  const rows = await db
    .insert(heldChannels)
    .values({ channel, reason, since: now })
    .onConflictDoNothing()
    .returning({ channel: heldChannels.channel });
  return rows.length > 0;
}

/** The channel was checked and holds staff only: posting resumes. */
export async function releaseChannel(db: Db, channel: string): Promise<void> {
  await db.delete(heldChannels).where(eq(heldChannels.channel, channel));
}

export async function isHeld(db: Db, channel: string): Promise<boolean> {
  const [row] = await db
    .select({ channel: heldChannels.channel })
    .from(heldChannels)
    .where(eq(heldChannels.channel, channel));
  return row !== undefined;
}

/** The departments whose cards go to a channel. */
export async function departmentsIn(db: Db, channel: string) {
  return db
    .select({ id: departments.id, name: departments.name })
    .from(departments)
    .where(eq(departments.slackChannel, channel));
}

/** Those of these Slack users who are linked to a client account, with the client's name. */
export async function clientUsersAmong(db: Db, slackUserIds: string[]) {
  if (slackUserIds.length === 0) return [];
  return db
    .select({ slackUserId: users.slackUserId, client: clients.name })
    .from(users)
    .innerJoin(clients, eq(clients.id, users.clientId))
    .where(and(inArray(users.slackUserId, slackUserIds), eq(users.level, 'user')));
}

/** The roots who can be told in Slack. */
export async function rootSlackIds(db: Db): Promise<string[]> {
  const rows = await db
    .select({ slackUserId: users.slackUserId })
    .from(users)
    .where(and(eq(users.level, 'root'), eq(users.disabled, false), isNotNull(users.slackUserId)));
  return rows.map((r) => r.slackUserId as string);
}

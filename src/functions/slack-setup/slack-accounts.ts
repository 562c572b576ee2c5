import { and, asc, eq, ilike, inArray, or } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { escapeLike } from '../../../db/like.ts';
import { clients, type Level, users } from '../../../db/schema.ts';
import { slackLogin } from './slack-ids.ts';

/*
 * The reads the Slack door needs about accounts, beside the functions: who a Slack user is, the
 * client a channel belongs to, clients by name and staff to assign. Reads only: every write about
 * them is a registered function (slack.*.ts, provisioning/).
 */

/** Who a Slack user is in our database. */
export interface Account {
  id: number;
  login: string;
  name: string;
  level: Level;
  clientId: number | null;
  timezone: string;
}

const accountColumns = {
  id: users.id,
  login: users.login,
  name: users.name,
  level: users.level,
  clientId: users.clientId,
  timezone: users.timezone,
};

export async function accountBySlackId(db: Db, slackUserId: string): Promise<Account | undefined> {
  const [row] = await db
    .select(accountColumns)
    .from(users)
    .where(and(eq(users.slackUserId, slackUserId), eq(users.disabled, false)));
  return row;
}

export async function accountById(db: Db, id: number): Promise<Account | undefined> {
  const [row] = await db.select(accountColumns).from(users).where(eq(users.id, id));
  return row;
}

/** A client user made on first contact in a bound channel (slack.join), not linked by code. */
export const madeInChannel = (account: Account, slackUserId: string) =>
  account.level === 'user' && account.login === slackLogin(slackUserId);

export async function clientById(db: Db, id: number) {
  const [row] = await db.select().from(clients).where(eq(clients.id, id));
  return row;
}

export async function clientByChannel(db: Db, channel: string) {
  const [row] = await db.select().from(clients).where(eq(clients.slackChannel, channel));
  return row;
}

/** Clients by id or by (part of) their name, for `/ticket client` and `/ticket su`. */
export async function findClients(db: Db, query: string, limit = 20) {
  const q = query.trim();
  const byId = /^\d+$/.test(q) ? eq(clients.id, Number(q)) : undefined;
  return db
    .select({ id: clients.id, name: clients.name })
    .from(clients)
    .where(or(byId, ilike(clients.name, `%${escapeLike(q)}%`)))
    .orderBy(asc(clients.id))
    .limit(limit);
}

/** Staff members one can assign a ticket to. */
export async function staffList(db: Db) {
  return db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(inArray(users.level, ['root', 'admin']), eq(users.disabled, false)))
    .orderBy(asc(users.name))
    .limit(100);
}

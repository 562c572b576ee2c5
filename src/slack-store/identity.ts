import { randomBytes } from 'node:crypto';
import { and, asc, eq, ilike, inArray, or } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { escapeLike } from '../../db/like.ts';
import { one } from '../../db/rows.ts';
import { clients, departments, type Level, linkCodes, users } from '../../db/schema.ts';
import { denied, invalid, missed } from '../functions/errors.ts';

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

/** Login for an account made from Slack: stable and unique per Slack user. */
const slackLogin = (slackUserId: string) => `slack-${slackUserId.toLowerCase()}`;

/** A client user made on first contact in a bound channel (clientUserFor), not linked by code. */
export const madeInChannel = (account: Account, slackUserId: string) =>
  account.level === 'user' && account.login === slackLogin(slackUserId);

/**
 * Makes a Slack user a staff member (root or admin), creating the account or raising an existing
 * staff account. A client user's Slack identity is never turned into staff.
 */
export async function upsertStaff(
  db: Db,
  staff: { slackUserId: string; name: string; level: 'root' | 'admin'; timezone?: string },
): Promise<Account> {
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(users).where(eq(users.slackUserId, staff.slackUserId));
    if (existing?.level === 'user') {
      throw invalid('user', `${existing.name} is linked to a client account and cannot be staff`);
    }
    const values = {
      name: staff.name,
      level: staff.level,
      disabled: false,
      ...(staff.timezone ? { timezone: staff.timezone } : {}),
    };
    const rows = existing
      ? await tx.update(users).set(values).where(eq(users.id, existing.id)).returning(accountColumns)
      : await tx
          .insert(users)
          .values({ login: slackLogin(staff.slackUserId), slackUserId: staff.slackUserId, ...values })
          .returning(accountColumns);
    return one(rows, 'staff user');
  });
}

/**
 * Takes staff rights away (the account stays for the audit log and ticket history). The last
 * active root is kept: without one nobody could manage staff or channels from Slack.
 */
export async function disableStaff(db: Db, slackUserId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const active = and(eq(users.level, 'root'), eq(users.disabled, false));
    // Locks the active roots, so two roots removing each other at once cannot both succeed.
    const roots = await tx.select({ slackUserId: users.slackUserId }).from(users).where(active).for('update');
    if (roots.length === 1 && roots[0]?.slackUserId === slackUserId)
      throw invalid('user', 'You are the last root: make someone else root first');
    const rows = await tx
      .update(users)
      .set({ disabled: true })
      .where(and(eq(users.slackUserId, slackUserId), inArray(users.level, ['root', 'admin'])))
      .returning({ id: users.id });
    return rows.length > 0;
  });
}

const CODE_TTL_MS = 24 * 60 * 60_000;

/** A one-time code a staff member hands to a client user so they can link their Slack account. */
export async function createLinkCode(
  db: Db,
  login: string,
  now: Date,
): Promise<{ code: string; name: string }> {
  const [user] = await db.select().from(users).where(eq(users.login, login));
  if (!user) throw missed('login', `No user with login ${login}`, login);
  if (user.level !== 'user') throw invalid('login', `${login} is staff; add staff with /ticket staff add`);
  const code = randomBytes(6).toString('base64url').toUpperCase();
  await db
    .insert(linkCodes)
    .values({ code, userId: user.id, expiresAt: new Date(now.getTime() + CODE_TTL_MS) });
  return { code, name: user.name };
}

/** Links the Slack user to the code's client user; the code is spent whether or not it was valid. */
export async function redeemLinkCode(db: Db, code: string, slackUserId: string, now: Date): Promise<Account> {
  return db.transaction(async (tx) => {
    const [row] = await tx.delete(linkCodes).where(eq(linkCodes.code, code.trim().toUpperCase())).returning();
    if (!row || row.expiresAt <= now) throw invalid('code', 'This link code is unknown or has expired');
    const [taken] = await tx.select().from(users).where(eq(users.slackUserId, slackUserId));
    if (taken && taken.id !== row.userId) {
      throw invalid('code', `Your Slack account is already linked to ${taken.login}`);
    }
    // The code's user exists: link codes go with their user.
    const linked = await tx
      .update(users)
      .set({ slackUserId })
      .where(eq(users.id, row.userId))
      .returning(accountColumns);
    return one(linked, 'linked user');
  });
}

export async function clientById(db: Db, id: number) {
  const [row] = await db.select().from(clients).where(eq(clients.id, id));
  return row;
}

export async function clientByChannel(db: Db, channel: string) {
  const [row] = await db.select().from(clients).where(eq(clients.slackChannel, channel));
  return row;
}

/**
 * Binds a (Slack Connect) channel to a client account: its members from the client's Slack team
 * act as that client. A department's channel is refused: the client would read its staff cards
 * and notes.
 */
export async function bindClientChannel(
  db: Db,
  clientId: number,
  channel: string,
  team: string | null,
): Promise<string> {
  return db.transaction(async (tx) => {
    const [dep] = await tx
      .select({ name: departments.name })
      .from(departments)
      .where(eq(departments.slackChannel, channel));
    if (dep)
      throw invalid('channel', `This channel receives the cards of department ${dep.name}: bind another`);
    const [other] = await tx.select().from(clients).where(eq(clients.slackChannel, channel));
    if (other && other.id !== clientId) throw invalid('channel', `This channel is bound to ${other.name}`);
    const [row] = await tx
      .update(clients)
      .set({ slackChannel: channel, slackTeam: team })
      .where(eq(clients.id, clientId))
      .returning({ name: clients.name });
    if (!row) throw missed('client', `Client ${clientId} does not exist`, String(clientId));
    return row.name;
  });
}

/** Undoes a binding: nobody acts as the client in the channel any more. Returns the client's name. */
export async function unbindClientChannel(db: Db, channel: string): Promise<string | undefined> {
  const [row] = await db
    .update(clients)
    .set({ slackChannel: null, slackTeam: null })
    .where(eq(clients.slackChannel, channel))
    .returning({ name: clients.name });
  return row?.name;
}

/** A client user for a Slack user writing in the client's bound channel, made on first contact. */
export async function clientUserFor(
  db: Db,
  clientId: number,
  slackUserId: string,
  name: string,
): Promise<Account> {
  const existing = await accountBySlackId(db, slackUserId);
  if (existing) {
    if (existing.clientId !== clientId) throw denied('user', 'Your Slack account belongs to another account');
    return existing;
  }
  const [row] = await db
    .insert(users)
    .values({ login: slackLogin(slackUserId), name, level: 'user', clientId, slackUserId })
    .onConflictDoNothing()
    .returning(accountColumns);
  return row ?? ((await accountBySlackId(db, slackUserId)) as Account);
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

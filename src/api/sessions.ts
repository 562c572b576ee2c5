import { createHash, randomBytes } from 'node:crypto';
import { and, eq, lt, or } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { one } from '../../db/rows.ts';
import { type Level, sessions, type User, users } from '../../db/schema.ts';
import { TicketError } from '../functions/errors.ts';
import type { Access, Session } from '../functions/types.ts';
import type { ApiOptions } from './options.ts';

/** Access levels as BILLmanager numbers them on the wire. */
export const LEVEL_CODES: Record<Level, string> = { user: '16', admin: '29', root: '30' };

/** Session ids and keys are stored only as hashes: a copy of the database logs nobody in. */
export const secretHash = (secret: string) => createHash('sha256').update(secret).digest('hex');

const authError = (message: string) => new TicketError('auth', 'auth', message);

export function sessionOf(user: User, suBy?: Pick<User, 'id' | 'login'>): Session {
  return {
    userId: user.id,
    login: user.login,
    level: user.level,
    clientId: user.clientId ?? undefined,
    ...(suBy ? { suBy: { userId: suBy.id, login: suBy.login } } : {}),
    via: 'api',
  };
}

/** A new session for `userId` (made by `suBy` when it comes from su or a key); returns its id. */
export async function createSession(
  db: Db,
  userId: number,
  suBy: number | undefined,
  now: Date,
  opts: ApiOptions,
): Promise<string> {
  const sid = randomBytes(24).toString('hex');
  await db
    .insert(sessions)
    .values({ id: secretHash(sid), userId, suBy: suBy ?? null, lastUsed: now, createdAt: now });
  // Sessions nobody will use again are swept here rather than by a timer.
  await db
    .delete(sessions)
    .where(or(lt(sessions.lastUsed, idleLimit(now, opts)), lt(sessions.createdAt, ageLimit(now, opts))));
  return sid;
}

/** `func=logout`: the session ends (an unknown or ended one is no error: the caller is out either way). */
export async function endSession(db: Db, sid: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, secretHash(sid)));
}

/** How stale a session's `last_used` may be before a call records it again. */
const USE_RECORDED_MS = 60_000;

/** The caller of a session id: unknown, expired, or a disabled user is an `auth` error. */
export async function resumeSession(db: Db, sid: string, now: Date, opts: ApiOptions): Promise<Session> {
  const id = secretHash(sid);
  // The session with its user, in one round trip: every API call starts here.
  const [found] = await db
    .select({ row: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id));
  if (!found) throw authError('The session is unknown or has ended; log in again');
  const { row, user } = found;
  if (row.lastUsed < idleLimit(now, opts) || row.createdAt < ageLimit(now, opts)) {
    await db.delete(sessions).where(eq(sessions.id, id));
    throw authError('The session has expired; log in again');
  }
  // Foreign keys keep both users as long as the session exists.
  let origin: User | undefined;
  if (row.suBy !== null) {
    origin = one(await db.select().from(users).where(eq(users.id, row.suBy)), 'session maker');
  }
  if (user.disabled || (origin && !makerMayAct(origin, user))) {
    await db.delete(sessions).where(eq(sessions.id, id));
    throw authError('The account is disabled');
  }
  // Use is recorded to the minute: a write (and its commit) on every call cost more than the call's
  // own read at load, and idle limits are counted in minutes.
  if (now.getTime() - row.lastUsed.getTime() >= USE_RECORDED_MS)
    await db
      .update(sessions)
      .set({ lastUsed: now })
      .where(and(eq(sessions.id, id), lt(sessions.lastUsed, now)));
  return sessionOf(user, origin);
}

/**
 * Whose rights a staff member may take (su, ticket.su, keys): admins those of client users only,
 * root those of admins too; nobody root's, as no one above root would see it.
 */
export function mayTake(caller: Access, target: Level): boolean {
  if (target === 'user') return caller === 'admin' || caller === 'root';
  return target === 'admin' && caller === 'root';
}

/**
 * A session made by su or by a key lasts only while its maker is enabled and may still take these
 * rights (the rule may be newer than the session).
 */
export function makerMayAct(maker: User, user: Pick<User, 'level'>): boolean {
  return !maker.disabled && mayTake(maker.level, user.level);
}

function idleLimit(now: Date, opts: ApiOptions): Date {
  return new Date(now.getTime() - opts.sessionIdleMinutes * 60_000);
}

function ageLimit(now: Date, opts: ApiOptions): Date {
  return new Date(now.getTime() - opts.sessionMaxHours * 3_600_000);
}

import { and, eq, gt, lt } from 'drizzle-orm';
import { one } from '../../db/rows.ts';
import { auditLog, authKeys, type User, users } from '../../db/schema.ts';
import { denied, missed, TicketError } from '../functions/errors.ts';
import type { Deps, Session } from '../functions/types.ts';
import { hashPassword, verifyPassword } from '../passwords.ts';
import { type CallParams, parseLoginParams, parseNewKeyParams, parseSuParams } from './api-params.ts';
import { authNode, type Doc, okDoc } from './doc.ts';
import { throttled } from './login-throttle.ts';
import type { ApiOptions } from './options.ts';
import {
  createSession,
  LEVEL_CODES,
  makerMayAct,
  mayTake,
  resumeSession,
  secretHash,
  sessionOf,
} from './sessions.ts';

/** What authentication needs besides the parameters: the database and clock, limits, the caller's address. */
export interface AuthContext {
  deps: Deps;
  opts: ApiOptions;
  address: string;
  /** Who the call turned out to be, once authenticated (for the request log). */
  caller?: Session;
}

const authError = (object: string, message: string) => new TicketError('auth', object, message);

// Unknown logins are checked against a real hash too, so timing does not tell which logins exist.
let dummyHash: Promise<string> | undefined;

/**
 * Who makes this call: `authinfo=login:password`, else the session in `auth` or the `billmgrses5`
 * cookie; then `su=LOGIN` lets staff make the call with that user's rights.
 */
export async function authenticate(
  ctx: AuthContext,
  params: CallParams,
  cookieSid: string | undefined,
): Promise<Session> {
  let session: Session;
  if (params.authinfo) {
    const colon = params.authinfo.indexOf(':');
    if (colon < 0) throw authError('authinfo', 'authinfo must be login:password');
    const user = await checkPassword(ctx, params.authinfo.slice(0, colon), params.authinfo.slice(colon + 1));
    session = sessionOf(user);
  } else if (params.auth || cookieSid) {
    session = await resumeSession(
      ctx.deps.db,
      params.auth || (cookieSid as string),
      ctx.deps.now(),
      ctx.opts,
    );
  } else {
    throw authError('auth', 'Authorization required: log in with func=auth or pass authinfo=login:password');
  }
  return params.su ? actAs(ctx, session, params.su, 'su') : session;
}

async function checkPassword(ctx: AuthContext, login: string, password: string): Promise<User> {
  const { db } = ctx.deps;
  let user: User | undefined;
  const ok = await throttled(db, { login, address: ctx.address }, ctx.deps.now(), ctx.opts, async () => {
    [user] = await db.select().from(users).where(eq(users.login, login));
    dummyHash ??= hashPassword('not a password');
    return (await verifyPassword(password, user?.passwordHash ?? (await dummyHash))) && user !== undefined;
  });
  if (!ok || !user) throw authError('authinfo', 'Wrong login or password');
  if (user.disabled) throw authError('authinfo', 'The account is disabled');
  return user;
}

/** `func=auth`: username with password or with a one-use key from session.newkey; a new session. */
export async function login(
  ctx: AuthContext,
  params: Record<string, string>,
): Promise<{ doc: Doc; sid: string }> {
  const { username, password, key } = parseLoginParams(params);
  let user: User;
  let madeBy: number | undefined;
  if (key) ({ user, madeBy } = await useKey(ctx, username, key));
  else if (password) user = await checkPassword(ctx, username, password);
  else throw missed('password', 'Parameter password (or key) is required');
  const sid = await createSession(ctx.deps.db, user.id, madeBy, ctx.deps.now(), ctx.opts);
  return { doc: { doc: { auth: authNode(sid, LEVEL_CODES[user.level]) } }, sid };
}

/**
 * A key logs its user in once, as a session made by the staff member who registered it: such a
 * session acts as su does (audited as "maker as user", no su, no keys) and ends with the maker's
 * right to take that user's rights.
 */
async function useKey(ctx: AuthContext, login: string, key: string): Promise<{ user: User; madeBy: number }> {
  const { db } = ctx.deps;
  const now = ctx.deps.now();
  let user: User | undefined;
  let maker: User | undefined;
  const ok = await throttled(db, { login, address: ctx.address }, now, ctx.opts, async () => {
    [user] = await db.select().from(users).where(eq(users.login, login));
    if (!user) return false;
    const [used] = await db
      .delete(authKeys)
      .where(
        and(
          eq(authKeys.keyHash, keyHash(key, user.id)),
          gt(authKeys.createdAt, new Date(now.getTime() - ctx.opts.keyTtlMinutes * 60_000)),
        ),
      )
      .returning();
    if (used?.madeBy) [maker] = await db.select().from(users).where(eq(users.id, used.madeBy));
    return maker !== undefined;
  });
  if (!ok || !user || !maker) throw authError('key', 'The key is wrong, already used or expired');
  if (user.disabled) throw authError('key', 'The account is disabled');
  if (!makerMayAct(maker, user))
    throw authError('key', 'The key was made by someone who may no longer use it');
  return { user, madeBy: maker.id };
}

/**
 * `func=session.newkey` (staff): registers a one-use key with which `username` can log in.
 * Registering a key that is already registered for that user renews it: the answer never tells
 * whether a key value is in use.
 */
export async function newKey(
  ctx: AuthContext,
  caller: Session,
  params: Record<string, string>,
): Promise<Doc> {
  mayActForOthers(caller, 'session.newkey');
  const { username, key } = parseNewKeyParams(params);
  const target = await userByLogin(ctx, username, 'username');
  mayBecome(caller, target, 'username');
  const now = ctx.deps.now();
  const { db } = ctx.deps;
  await db
    .delete(authKeys)
    .where(lt(authKeys.createdAt, new Date(now.getTime() - ctx.opts.keyTtlMinutes * 60_000)));
  await db
    .insert(authKeys)
    .values({ keyHash: keyHash(key, target.id), userId: target.id, createdAt: now, madeBy: caller.userId })
    .onConflictDoUpdate({ target: authKeys.keyHash, set: { createdAt: now, madeBy: caller.userId } });
  await audit(ctx, caller, 'session.newkey', { username: target.login });
  return okDoc();
}

/** `func=su&elid=LOGIN` (staff): a new session with that user's rights, remembered as made by the caller. */
export async function suSession(
  ctx: AuthContext,
  caller: Session,
  params: Record<string, string>,
): Promise<{ doc: Doc; sid: string }> {
  const { elid } = parseSuParams(params);
  const as = await actAs(ctx, caller, elid, 'elid');
  await audit(ctx, caller, 'su', { elid: as.login });
  return sessionDoc(ctx, as);
}

/** A session for `as` (from su or ticket.su), answered as BILLmanager answers su. */
export async function sessionDoc(ctx: AuthContext, as: Session): Promise<{ doc: Doc; sid: string }> {
  const sid = await createSession(ctx.deps.db, as.userId, as.suBy?.userId, ctx.deps.now(), ctx.opts);
  return {
    doc: okDoc(undefined, { auth: authNode(sid, as.level === 'guest' ? undefined : LEVEL_CODES[as.level]) }),
    sid,
  };
}

/** Staff acting as another user: only as `mayTake` allows, and never from a session su or a key made. */
export async function actAs(
  ctx: AuthContext,
  caller: Session,
  login: string,
  param: string,
): Promise<Session> {
  mayActForOthers(caller, param);
  const target = await userByLogin(ctx, login, param);
  mayBecome(caller, target, param);
  if (target.disabled) throw denied(param, `User ${target.login} is disabled`);
  return sessionOf(target, { id: caller.userId, login: caller.login });
}

/** ticket.su: a session for the ticket's client user, as `mayTake` allows the caller. */
export async function suTicketSession(
  ctx: AuthContext,
  caller: Session,
  userId: number,
): Promise<{ doc: Doc; sid: string }> {
  // ticket.su has just read this user in its own call.
  const client = one(await ctx.deps.db.select().from(users).where(eq(users.id, userId)), 'su user');
  mayBecome(caller, client, 'elid');
  return sessionDoc(ctx, sessionOf(client, { id: caller.userId, login: caller.login }));
}

/**
 * Only staff take others' rights, and only in their own name: a session su made holds borrowed
 * rights, and lending them on would hide who acts (and let rights be chained).
 */
export function mayActForOthers(caller: Session, object: string): void {
  if (caller.level !== 'root' && caller.level !== 'admin') throw denied(object, 'Only staff may do this');
  if (caller.suBy) throw denied(object, 'A session made by su or by a key cannot act as another user');
}

/** The target of su, ticket.su or a key must be one `mayTake` allows the caller. */
export function mayBecome(caller: Session, target: Pick<User, 'level' | 'login'>, param: string): void {
  if (!mayTake(caller.level, target.level)) {
    throw denied(
      param,
      `Only root may act as staff, and nobody as root (${target.login} is ${target.level})`,
    );
  }
}

/** A key is hashed with its user: the same value registered for two users makes two keys. */
function keyHash(key: string, userId: number): string {
  return secretHash(`${userId}:${key}`);
}

async function userByLogin(ctx: AuthContext, login: string, param: string): Promise<User> {
  const [user] = await ctx.deps.db.select().from(users).where(eq(users.login, login));
  if (!user) throw missed(param, `User ${login} does not exist`, login);
  return user;
}

async function audit(ctx: AuthContext, caller: Session, func: string, params: Record<string, string>) {
  await ctx.deps.db.insert(auditLog).values({
    at: ctx.deps.now(),
    actorId: caller.userId,
    actor: caller.login,
    via: 'api',
    func,
    ticketId: null,
    params,
  });
}

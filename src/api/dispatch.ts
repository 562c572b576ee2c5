import { eq } from 'drizzle-orm';
import { one } from '../../db/rows.ts';
import { users } from '../../db/schema.ts';
import { missed } from '../functions/errors.ts';
import { call, registry } from '../functions/registry.ts';
import { API_PARAMS, parseCallParams, parseCookieSid } from './api-params.ts';
import { newestMessageId, refuseStrayFiles, storeAttachments } from './attachments.ts';
import {
  type AuthContext,
  authenticate,
  login,
  mayActForOthers,
  mayBecome,
  newKey,
  sessionDoc,
  suSession,
} from './auth.ts';
import { refuseCrossSiteWrite } from './cross-site.ts';
import { type Doc, formDoc, listDoc, okDoc } from './doc.ts';
import type { UploadedFile } from './request.ts';
import { endSession, sessionOf } from './sessions.ts';

/** Functions of the API itself, beside the ticket functions of the registry. */
const SESSION_FUNCS = ['auth', 'logout', 'session.newkey', 'su'];

/** The function name as metrics label it: known names only, so clients cannot flood the labels. */
export function knownFunc(func: string | undefined): string {
  if (!func) return 'none';
  return SESSION_FUNCS.includes(func) || Object.hasOwn(registry, func) ? func : 'unknown';
}

/** What the request says besides its parameters. */
export interface RequestFacts {
  /** The `billmgrses5` cookie, as sent. */
  cookieSid: string | undefined;
  /** A POST that a page of this site sent, or not from a browser (see cross-site.ts). */
  postedHere: boolean;
}

/**
 * One API call: authenticates, runs the function and returns the answer, with a new session id to
 * set as the cookie, or `null` when the cookie must go (logout).
 */
export async function dispatch(
  ctx: AuthContext,
  params: Record<string, string>,
  files: UploadedFile[],
  request: RequestFacts,
): Promise<{ doc: Doc; sid?: string | null }> {
  const api = parseCallParams(params);
  const cookieSid = parseCookieSid(request.cookieSid);
  const { func } = api;
  if (!func) throw missed('func', 'Parameter func is required');
  if (knownFunc(func) === 'unknown') throw missed('func', `Unknown function ${func}`, func.slice(0, 100));
  if (func === 'auth') return login(ctx, params);
  if (!api.authinfo && !api.auth && cookieSid) refuseCrossSiteWrite(func, params.sok, request.postedHere);
  if (func === 'logout') {
    const sid = api.auth || cookieSid;
    if (sid) await endSession(ctx.deps.db, sid);
    return { doc: okDoc(), sid: null };
  }
  const session = await authenticate(ctx, api, cookieSid);
  ctx.caller = session;
  if (func === 'session.newkey') return { doc: await newKey(ctx, session, params) };
  if (func === 'su') return suSession(ctx, session, params);

  if (func === 'ticket.su') mayActForOthers(session, func);
  refuseStrayFiles(func, params, files);
  const { db } = ctx.deps;
  const before = files.length > 0 ? await newestMessageId(db) : 0;
  const args = Object.fromEntries(Object.entries(params).filter(([key]) => !API_PARAMS.includes(key)));
  const result = await call(ctx.deps, session, func, args);
  if (result.kind === 'list') return { doc: listDoc(result) };
  if (result.kind === 'form') return { doc: formDoc(result) };
  if (result.su) {
    // ticket.su has just read this user in its own call.
    const client = one(await db.select().from(users).where(eq(users.id, result.su.userId)), 'su user');
    mayBecome(session, client, 'elid');
    return sessionDoc(ctx, sessionOf(client, { id: session.userId, login: session.login }));
  }
  if (files.length > 0) await storeAttachments(db, session, func, args, result, before, files);
  return { doc: okDoc(result) };
}

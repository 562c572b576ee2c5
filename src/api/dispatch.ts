import { eq } from 'drizzle-orm';
import { users } from '../../db/schema.ts';
import { missed } from '../functions/errors.ts';
import { call, registry } from '../functions/registry.ts';
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
import { DEPARTMENT_SCHEDULE, departmentSchedule } from './department-schedule.ts';
import { type Doc, formDoc, listDoc, okDoc } from './doc.ts';
import type { UploadedFile } from './request.ts';
import { sessionOf } from './sessions.ts';

/** Functions of the API itself, beside the ticket functions of the registry. */
const SESSION_FUNCS = ['auth', 'session.newkey', 'su', DEPARTMENT_SCHEDULE];

/** The function name as metrics label it: known names only, so clients cannot flood the labels. */
export function knownFunc(func: string | undefined): string {
  if (!func) return 'none';
  return SESSION_FUNCS.includes(func) || Object.hasOwn(registry, func) ? func : 'unknown';
}

/** Parameters the API consumes itself; the functions never see credentials. */
const API_PARAMS = ['func', 'out', 'authinfo', 'auth', 'su', 'lang', 'username', 'password', 'key'];

/** One API call: authenticates, runs the function and returns the answer (and a new session id, if any). */
export async function dispatch(
  ctx: AuthContext,
  params: Record<string, string>,
  files: UploadedFile[],
  cookieSid: string | undefined,
): Promise<{ doc: Doc; sid?: string }> {
  const func = params.func?.trim();
  if (!func) throw missed('func', 'Parameter func is required');
  if (knownFunc(func) === 'unknown') throw missed('func', `Unknown function ${func}`, func.slice(0, 100));
  if (func === 'auth') return login(ctx, params);
  const session = await authenticate(ctx, params, cookieSid);
  ctx.caller = session;
  if (func === 'session.newkey') return { doc: await newKey(ctx, session, params) };
  if (func === 'su') return suSession(ctx, session, params);

  if (func === 'ticket.su') mayActForOthers(session, func);
  refuseStrayFiles(func, params, files);
  if (func === DEPARTMENT_SCHEDULE) return { doc: await departmentSchedule(ctx.deps, session, params) };
  const { db } = ctx.deps;
  const before = files.length > 0 ? await newestMessageId(db) : 0;
  const args = Object.fromEntries(Object.entries(params).filter(([key]) => !API_PARAMS.includes(key)));
  const result = await call(ctx.deps, session, func, args);
  if (result.kind === 'list') return { doc: listDoc(result) };
  if (result.kind === 'form') return { doc: formDoc(result) };
  if (result.su) {
    const [client] = await db.select().from(users).where(eq(users.id, result.su.userId));
    mayBecome(session, client, 'elid');
    return sessionDoc(ctx, sessionOf(client, { id: session.userId, login: session.login }));
  }
  if (files.length > 0) await storeAttachments(db, session, func, args, result, before, files);
  return { doc: okDoc(result) };
}

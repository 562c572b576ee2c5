import { performance } from 'node:perf_hooks';
import { type Request, type Response, Router } from 'express';
import { TicketError } from '../functions/errors.ts';
import type { Deps, Session } from '../functions/types.ts';
import { log } from '../log.ts';
import type { AuthContext } from './auth.ts';
import { postedFromHere } from './cross-site.ts';
import { dispatch, knownFunc } from './dispatch.ts';
import { errorDoc } from './doc.ts';
import type { ApiMetrics } from './metrics.ts';
import { type ApiOptions, DEFAULT_API_OPTIONS } from './options.ts';
import { type OutFormat, outFormat, serialize } from './output.ts';
import { queryParams, readRequest } from './request.ts';

export const SESSION_COOKIE = 'billmgrses5';
const PATHS = ['/billmgr', '/manager/billmgr'];

/**
 * The BILLmanager-compatible API (GET and POST on /billmgr and /manager/billmgr). Every answer is a
 * document: refusals are HTTP 200 error documents, only a broken server answers 5xx. Each call is
 * one log line and one observation in the metrics.
 */
export function apiRouter(deps: Deps, metrics: ApiMetrics, options: Partial<ApiOptions> = {}): Router {
  const opts: ApiOptions = { ...DEFAULT_API_OPTIONS, ...options };
  const router = Router();

  const handle = async (req: Request, res: Response) => {
    const started = performance.now();
    let func = 'none';
    let outcome = 'ok';
    let ctx: AuthContext | undefined;
    let login: string | undefined;
    // Until the parameters are read, answer in the query's format (XML if it names none or a bad one).
    let format: OutFormat = safeFormat(queryParams(req).get('out'));
    try {
      const { params, files } = await readRequest(req, opts);
      func = knownFunc(params.func?.trim());
      login = func === 'auth' ? (params.username ?? '') : params.authinfo?.split(':')[0];
      format = 'xml';
      format = outFormat(params.out);
      // With TRUST_PROXY set, express takes the address from X-Forwarded-For and TLS from X-Forwarded-Proto.
      ctx = { deps, opts, address: req.ip ?? req.socket.remoteAddress ?? 'unknown' };
      const request = { cookieSid: cookie(req, SESSION_COOKIE), postedHere: postedFromHere(req) };
      const { doc, sid } = await dispatch(ctx, params, files, request);
      const attributes = { httpOnly: true, sameSite: 'lax', path: '/', secure: req.secure } as const;
      if (sid) res.cookie(SESSION_COOKIE, sid, attributes);
      if (sid === null) res.clearCookie(SESSION_COOKIE, attributes);
      send(res, serialize(doc, format));
    } catch (error) {
      if (error instanceof TicketError) {
        outcome = error.type;
        send(res, serialize(errorDoc(error), format));
      } else {
        outcome = 'internal';
        log.error('api call failed', { func, error: error instanceof Error ? error.stack : String(error) });
        const doc = {
          doc: { error: { $type: 'internal', $object: 'server', msg: { $: 'Internal error' } } },
        };
        res.status(500);
        send(res, serialize(doc, format));
      }
    } finally {
      const seconds = (performance.now() - started) / 1000;
      metrics.observe(func, outcome, seconds, login !== undefined);
      requestLog(req, res, { func, outcome, seconds, login, user: ctx?.caller });
    }
  };
  for (const path of PATHS) {
    router.get(path, handle);
    router.post(path, handle);
  }
  return router;
}

/**
 * One line per call: who, which function, how it ended, how long it took; never parameters (they
 * carry passwords and ticket text). A refused login is a warning, so failed guessing stands out.
 */
function requestLog(
  req: Request,
  res: Response,
  call: { func: string; outcome: string; seconds: number; login?: string; user?: Session },
): void {
  const fields = {
    method: req.method,
    route: req.path,
    func: call.func,
    status: res.statusCode,
    outcome: call.outcome,
    ms: Math.round(call.seconds * 1000),
    address: req.ip,
    ...(call.user ? { user: call.user.login, userId: call.user.userId } : {}),
    ...(call.login !== undefined && !call.user ? { login: call.login.slice(0, 100) } : {}),
  };
  if (call.login !== undefined && call.outcome !== 'ok') log.warn('login refused', fields);
  else log.info('api request', fields);
}

function safeFormat(out: string | undefined): OutFormat {
  try {
    return outFormat(out);
  } catch {
    return 'xml';
  }
}

function send(res: Response, out: { contentType: string; body: string }): void {
  res.setHeader('Cache-Control', 'no-store');
  res.type(out.contentType).send(out.body);
}

/** A cookie's value; one that is not valid percent-encoding is taken as sent (and then matches no session). */
function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw);
    } catch {
      return raw;
    }
  }
  return undefined;
}

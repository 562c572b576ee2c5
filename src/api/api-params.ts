import { z } from 'zod';
import { parseParams } from '../functions/params.ts';

/**
 * The parameters the API reads itself (credentials, sessions, su, the function name), parsed like
 * the functions' own: a NUL, a lone surrogate or an oversized value is a `value` error before any
 * of them reaches a query.
 */
const login = z.string().trim().max(200, 'must be at most 200 characters');
const secret = z.string().max(1000, 'must be at most 1000 characters');

/** What any call may carry. */
const callParams = z.object({
  func: z.string().trim().max(100, 'must be at most 100 characters').optional(),
  out: z.string().max(20, 'must be at most 20 characters').optional(),
  lang: z.string().max(20, 'must be at most 20 characters').optional(),
  authinfo: z.string().max(1200, 'must be at most 1200 characters').optional(),
  auth: secret.optional(),
  su: login.optional(),
});

/** Per API function: func=auth, session.newkey, su. */
const loginParams = z.object({ username: login, password: secret.optional(), key: secret.optional() });
const newKeyParams = z.object({
  username: login,
  key: z.string().min(8, 'must be 8 to 1000 characters long').max(1000, 'must be 8 to 1000 characters long'),
});
const suParams = z.object({ elid: login });

/** The session cookie, as a parameter of its own name. */
const cookieParams = z.object({ billmgrses5: secret.optional() });

function parseOwn<S extends z.ZodObject>(schema: S, params: Record<string, string | undefined>) {
  const own: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = params[key];
    if (Object.hasOwn(params, key) && value !== undefined) own[key] = value;
  }
  return parseParams(schema, own);
}

/** Parameters the API consumes itself: the functions never see credentials. */
export const API_PARAMS = [...Object.keys(callParams.shape), ...Object.keys(loginParams.shape)];

export type CallParams = z.output<typeof callParams>;
export const parseCallParams = (params: Record<string, string>) => parseOwn(callParams, params);
export const parseLoginParams = (params: Record<string, string>) => parseOwn(loginParams, params);
export const parseNewKeyParams = (params: Record<string, string>) => parseOwn(newKeyParams, params);
export const parseSuParams = (params: Record<string, string>) => parseOwn(suParams, params);
export const parseCookieSid = (sid: string | undefined) =>
  parseOwn(cookieParams, { billmgrses5: sid }).billmgrses5;

import type { Request } from 'express';
import { denied } from '../functions/errors.ts';

/**
 * The session cookie is sent by the browser with any request to us, whichever site caused it: a
 * link or a form on another site would act in the logged-in user's name. So a call the cookie
 * authenticates may change nothing unless a page of this site POSTed it. Lists only read (and a
 * cross-site page cannot read our answer), so they work by GET; every other function may change
 * state (opening a ticket locks it, `sok` submits, su and keys make sessions). Calls with `auth=`
 * or `authinfo=` carry a secret another site does not know, so scripts keep working by GET.
 */
const READ_ONLY = ['ticket', 'clientticket', 'ticket.message'];

/**
 * Whether a browser says this POST came from a page of this site: `Sec-Fetch-Site`, else `Origin`
 * against our own host. A POST with neither is not from a browser (they send Origin with every POST).
 */
export function postedFromHere(req: Request): boolean {
  if (req.method !== 'POST') return false;
  const site = req.get('sec-fetch-site');
  if (site) return site === 'same-origin' || site === 'none';
  const origin = req.get('origin');
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.host;
  } catch {
    return false; // `Origin: null` (sandboxed frames, privacy redirects) says nothing about the page
  }
}

/** Refuses a call the cookie authenticates that could change state unless posted from this site. */
export function refuseCrossSiteWrite(func: string, sok: string | undefined, postedHere: boolean): void {
  if (postedHere || (READ_ONLY.includes(func) && !sok?.trim())) return;
  throw denied(
    'auth',
    `${func} with the session cookie needs a POST from this site; scripts pass the session as auth= or log in with authinfo=`,
  );
}

import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { authKeys, sessions, tickets } from '../../db/schema.ts';
import type { DocNode } from '../../src/api/doc.ts';
import { secretHash } from '../../src/api/sessions.ts';
import { createApp } from '../../src/app.ts';
import { errorOf, PASSWORD, serve, t, useApi } from '../helpers/api.ts';
import { firstOf } from '../helpers/rows.ts';

const { db, api } = useApi();

const KEY = 'attacker-knows-this';
const MINUTE = 60_000;

const cookie = (sid: string) => ({ cookie: `billmgrses5=${sid}` });
const docOf = async (res: Response) => {
  expect(res.status).toBe(200);
  return ((await res.json()) as { doc: DocNode }).doc;
};
/** A form POST as a browser sends it, with the site it comes from. */
const post = (params: Record<string, string>, headers: Record<string, string>) =>
  fetch(`${api.base}/billmgr`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ ...params, out: 'json' }),
  });
const crossSite = (doc: DocNode) => expect(errorOf(doc)).toMatchObject({ type: 'access', object: 'auth' });

describe('writes with the session cookie', () => {
  it('a link (GET) cannot make a key or change a ticket in a logged-in root’s name', async () => {
    const id = String(await api.w.openTicket());
    crossSite(
      await api.json(
        { func: 'session.newkey', username: 'admin', key: KEY },
        { headers: cookie(api.sids.root) },
      ),
    );
    crossSite(
      await api.json(
        { func: 'ticket.edit', elid: id, sok: 'ok', message: 'x' },
        { headers: cookie(api.sids.root) },
      ),
    );
    // Even opening a ticket form changes state (it locks the ticket), so it is refused too.
    crossSite(await api.json({ func: 'ticket.edit', elid: id }, { headers: cookie(api.sids.root) }));
    crossSite(await api.json({ func: 'su', elid: 'alice' }, { headers: cookie(api.sids.root) }));
    expect(await db.db.select().from(authKeys)).toEqual([]);
    const ticket = firstOf(
      await db.db
        .select()
        .from(tickets)
        .where(eq(tickets.id, Number(id))),
    );
    expect(ticket.lockedBy).toBeNull();
  });

  it('a cross-site POST (also text/plain) is refused, by Sec-Fetch-Site or by Origin', async () => {
    const params = { func: 'session.newkey', username: 'admin', key: KEY };
    crossSite(await docOf(await post(params, { ...cookie(api.sids.root), 'sec-fetch-site': 'cross-site' })));
    crossSite(await docOf(await post(params, { ...cookie(api.sids.root), 'sec-fetch-site': 'same-site' })));
    crossSite(await docOf(await post(params, { ...cookie(api.sids.root), origin: 'https://evil.example' })));
    crossSite(await docOf(await post(params, { ...cookie(api.sids.root), origin: 'null' })));
    const plain = await fetch(`${api.base}/billmgr`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', origin: 'https://evil.example', ...cookie(api.sids.root) },
      body: `func=session.newkey&username=admin&key=${KEY}&out=json`,
    });
    crossSite(await docOf(plain));
    expect(await db.db.select().from(authKeys)).toEqual([]);
  });

  it('a POST from a page of this site works, and lists work by GET', async () => {
    const host = new URL(api.base).host;
    const params = { func: 'session.newkey', username: 'alice', key: KEY };
    expect(
      await docOf(await post(params, { ...cookie(api.sids.admin), 'sec-fetch-site': 'same-origin' })),
    ).toEqual({
      ok: {},
    });
    expect(
      await docOf(
        await post({ ...params, key: `${KEY}2` }, { ...cookie(api.sids.admin), origin: `http://${host}` }),
      ),
    ).toEqual({ ok: {} });
    // Not a browser: no Origin, no Sec-Fetch-Site.
    expect(await docOf(await post({ ...params, key: `${KEY}3` }, cookie(api.sids.admin)))).toEqual({
      ok: {},
    });
    const id = await api.w.openTicket();
    const list = await api.json({ func: 'ticket' }, { headers: cookie(api.sids.admin) });
    expect((list.elem as DocNode[]).map((r) => t(r.id))).toEqual([String(id)]);
    const messages = await api.json(
      { func: 'ticket.message', elid: String(id) },
      { headers: cookie(api.sids.admin) },
    );
    expect(messages.error).toBeUndefined();
  });

  it('scripts keep writing by GET with auth= or authinfo=', async () => {
    const id = String(await api.w.openTicket());
    const byAuth = await api.json(
      { func: 'ticket.edit', elid: id, sok: 'ok', message: 'by auth', auth: api.sids.admin },
      { headers: cookie(api.sids.alice) },
    );
    expect(byAuth.ok).toEqual({});
    const byAuthinfo = await api.json({
      func: 'ticket.edit',
      elid: id,
      sok: 'ok',
      message: 'by authinfo',
      authinfo: `admin:${PASSWORD}`,
    });
    expect(byAuthinfo.ok).toEqual({});
  });
});

describe('logout and session lifetime', () => {
  it('func=logout ends the session of auth= (by GET) or of the cookie (by POST from here) and clears the cookie', async () => {
    expect(await api.json({ func: 'logout', auth: api.sids.admin })).toEqual({ ok: {} });
    expect(errorOf(await api.json({ func: 'ticket', auth: api.sids.admin })).type).toBe('auth');

    crossSite(await api.json({ func: 'logout' }, { headers: cookie(api.sids.alice) }));
    // Refused, so the session still works.
    expect((await api.json({ func: 'clientticket', auth: api.sids.alice })).error).toBeUndefined();
    const res = await post(
      { func: 'logout' },
      { ...cookie(api.sids.alice), 'sec-fetch-site': 'same-origin' },
    );
    expect(res.headers.get('set-cookie')).toMatch(/^billmgrses5=; Path=\/; Expires=Thu, 01 Jan 1970/);
    expect(await docOf(res)).toEqual({ ok: {} });
    expect(errorOf(await api.json({ func: 'clientticket', auth: api.sids.alice })).type).toBe('auth');
    // Logging out twice, or without a session, is no error: the caller is out either way.
    expect(await api.json({ func: 'logout', auth: api.sids.alice })).toEqual({ ok: {} });
  });

  it('a session ends 24 hours after login however busy it is', async () => {
    const sid = sidOf(await api.json({ func: 'auth', username: 'admin', password: PASSWORD }));
    // Used every 50 minutes, so it never idles out: at 23:20 it still works, at 24:10 it is over.
    for (let step = 0; step < 28; step++) {
      api.w.clock.advance(50 * MINUTE);
      expect((await api.json({ func: 'ticket', auth: sid })).error).toBeUndefined();
    }
    api.w.clock.advance(50 * MINUTE);
    expect(errorOf(await api.json({ func: 'ticket', auth: sid }))).toMatchObject({
      type: 'auth',
      msg: 'The session has expired; log in again',
    });
    expect(
      await db.db
        .select()
        .from(sessions)
        .where(eq(sessions.id, secretHash(sid))),
    ).toEqual([]);
  });
});

describe('the cookie behind TLS', () => {
  it('is Secure when a trusted proxy says the request came over https, and not otherwise', async () => {
    const proxied = await serve(createApp(api.w.deps, { trustProxy: 'loopback' }));
    try {
      const login = { func: 'auth', username: 'admin', password: PASSWORD, out: 'json' };
      const https = await fetch(`${proxied.base}/billmgr?${new URLSearchParams(login)}`, {
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(https.headers.get('set-cookie')).toMatch(/; Secure; SameSite=Lax$/);
      const http = await fetch(`${proxied.base}/billmgr?${new URLSearchParams(login)}`);
      expect(http.headers.get('set-cookie')).not.toMatch(/Secure/);
      // An untrusted client cannot claim TLS (nor would it matter).
      const direct = await api.send(login, { headers: { 'x-forwarded-proto': 'https' } });
      expect(direct.headers.get('set-cookie')).not.toMatch(/Secure/);
    } finally {
      await proxied.close();
    }
  });
});

function sidOf(doc: DocNode): string {
  expect(doc.error).toBeUndefined();
  return (doc.auth as DocNode).$ as string;
}

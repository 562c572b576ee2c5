import { desc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, authKeys, sessions, users } from '../../db/schema.ts';
import type { DocNode } from '../../src/api/doc.ts';
import { secretHash } from '../../src/api/sessions.ts';
import { errorOf, PASSWORD, t, useApi } from '../helpers/api.ts';
import { firstOf } from '../helpers/rows.ts';

const { db, api } = useApi();

const MINUTE = 60_000;
const rows = (doc: DocNode) => doc.elem as DocNode[];
const sidOf = (doc: DocNode) => {
  const auth = doc.auth as DocNode;
  expect(auth, JSON.stringify(doc)).toBeDefined();
  expect(auth.$id).toBe(auth.$);
  return auth.$ as string;
};

describe('func=auth and sessions', () => {
  it('logs in with username and password: $id, $ and $level, a cookie, then auth=SID works', async () => {
    const res = await api.send({ func: 'auth', username: 'admin', password: PASSWORD, out: 'json' });
    expect(res.headers.get('set-cookie')).toMatch(/^billmgrses5=[0-9a-f]+; Path=\/; HttpOnly; SameSite=Lax/);
    const doc = ((await res.json()) as { doc: DocNode }).doc;
    expect((doc.auth as DocNode).$level).toBe('29');
    const sid = sidOf(doc);
    expect(rows(await api.json({ func: 'ticket', auth: sid }))).toEqual([]);
    // Stored hashed only: the id itself is nowhere in the table.
    expect(await db.db.select().from(sessions).where(eq(sessions.id, sid))).toEqual([]);

    const xml = await api.xml({ func: 'auth', username: 'alice', password: PASSWORD });
    expect((xml.auth as DocNode).$level).toBe('16');
    expect(
      (await api.xml({ func: 'auth', username: 'root', password: PASSWORD }).then((d) => d.auth as DocNode))
        .$level,
    ).toBe('30');
    const cookieSid = sidOf(xml);
    const viaCookie = await api.json(
      { func: 'clientticket' },
      { headers: { cookie: `other=1; billmgrses5=${cookieSid}` } },
    );
    expect(viaCookie.p_elems).toEqual({ $: '0' });
  });

  it('accepts the login as a POSTed form, as browser tools send it', async () => {
    const res = await fetch(`${api.base}/manager/billmgr`, {
      method: 'POST',
      body: new URLSearchParams({ func: 'auth', username: 'bob', password: PASSWORD, out: 'sjson' }),
    });
    const doc = ((await res.json()) as { doc: DocNode }).doc;
    expect((doc.auth as DocNode).$level).toBe('16');
  });

  it('refuses a wrong password, an unknown login and missing parameters', async () => {
    expect(errorOf(await api.json({ func: 'auth', username: 'admin', password: 'nope' }))).toMatchObject({
      type: 'auth',
      msg: 'Wrong login or password',
    });
    expect(errorOf(await api.xml({ func: 'auth', username: 'ghost', password: 'nope' })).type).toBe('auth');
    expect(errorOf(await api.json({ func: 'auth', password: 'x' }))).toMatchObject({
      type: 'missed',
      object: 'username',
    });
    expect(errorOf(await api.json({ func: 'auth', username: 'admin' }))).toMatchObject({
      type: 'missed',
      object: 'password',
    });
  });

  it('a session ends after an hour without use; using it keeps it alive', async () => {
    const sid = sidOf(await api.json({ func: 'auth', username: 'admin', password: PASSWORD }));
    api.w.clock.advance(50 * MINUTE);
    expect(rows(await api.json({ func: 'ticket', auth: sid }))).toEqual([]);
    api.w.clock.advance(50 * MINUTE);
    expect(rows(await api.json({ func: 'ticket', auth: sid }))).toEqual([]);
    api.w.clock.advance(61 * MINUTE);
    expect(errorOf(await api.json({ func: 'ticket', auth: sid }))).toMatchObject({
      type: 'auth',
      msg: 'The session has expired; log in again',
    });
    expect(errorOf(await api.xml({ func: 'ticket', auth: sid })).type).toBe('auth');
  });

  it('records use to the minute: calls within a minute of the last record write nothing', async () => {
    const sid = sidOf(await api.json({ func: 'auth', username: 'admin', password: PASSWORD }));
    const lastUsed = async () =>
      firstOf(
        await db.db
          .select({ at: sessions.lastUsed })
          .from(sessions)
          .where(eq(sessions.id, secretHash(sid))),
      ).at;
    const loggedIn = await lastUsed();
    api.w.clock.advance(59_000);
    expect(rows(await api.json({ func: 'ticket', auth: sid }))).toEqual([]);
    expect(await lastUsed()).toEqual(loggedIn);
    api.w.clock.advance(1_000);
    expect(rows(await api.json({ func: 'ticket', auth: sid }))).toEqual([]);
    expect((await lastUsed()).getTime()).toBe(loggedIn.getTime() + MINUTE);
  });

  it('refuses forged sessions and calls without credentials', async () => {
    expect(errorOf(await api.json({ func: 'ticket', auth: 'f'.repeat(48) })).type).toBe('auth');
    expect(errorOf(await api.xml({ func: 'ticket', auth: "'; drop table users; --" })).type).toBe('auth');
    expect(
      errorOf(await api.json({ func: 'ticket' }, { headers: { cookie: 'billmgrses5=forged' } })).type,
    ).toBe('auth');
    expect(errorOf(await api.json({ func: 'ticket' }))).toMatchObject({ type: 'auth', object: 'auth' });
  });

  it('refuses disabled users, by password and by an existing session', async () => {
    await db.db.update(users).set({ disabled: true }).where(eq(users.login, 'alice'));
    expect(errorOf(await api.json({ func: 'clientticket', authinfo: `alice:${PASSWORD}` }))).toMatchObject({
      type: 'auth',
      msg: 'The account is disabled',
    });
    expect(errorOf(await api.json({ func: 'clientticket', auth: api.sids.alice })).type).toBe('auth');
  });
});

describe('authinfo', () => {
  it('authenticates any single call, in json and xml', async () => {
    const id = await api.w.openTicket();
    const json = await api.json({ func: 'ticket', authinfo: `admin:${PASSWORD}` });
    expect(rows(json).map((r) => t(r.id))).toEqual([String(id)]);
    const xml = await api.xml({ func: 'clientticket', authinfo: `alice:${PASSWORD}` });
    expect(rows(xml).map((r) => t(r.id))).toEqual([String(id)]);
  });

  it('refuses a wrong password and a value without a colon', async () => {
    expect(errorOf(await api.json({ func: 'ticket', authinfo: 'admin:wrong' })).type).toBe('auth');
    expect(errorOf(await api.xml({ func: 'ticket', authinfo: 'admin' }))).toMatchObject({
      type: 'auth',
      object: 'authinfo',
    });
  });
});

describe('slowing down failed logins', () => {
  it('after five failures for one account, further attempts wait 30 s, then twice as long each time', async () => {
    for (let i = 0; i < 5; i++) {
      expect(errorOf(await api.json({ func: 'auth', username: 'admin', password: `guess${i}` })).msg).toBe(
        'Wrong login or password',
      );
    }
    // Even the right password is refused while the wait runs, without counting another failure.
    const refused = errorOf(await api.json({ func: 'auth', username: 'admin', password: PASSWORD }));
    expect(refused).toMatchObject({
      type: 'auth',
      msg: 'Too many failed logins for this account; try again in 30 seconds',
    });
    expect(errorOf(await api.json({ func: 'ticket', authinfo: `admin:${PASSWORD}` })).msg).toMatch(
      /^Too many/,
    );
    api.w.clock.advance(30_000);
    expect(errorOf(await api.json({ func: 'auth', username: 'admin', password: 'guess6' })).msg).toBe(
      'Wrong login or password',
    );
    api.w.clock.advance(30_000);
    expect(errorOf(await api.json({ func: 'auth', username: 'admin', password: PASSWORD })).msg).toMatch(
      /try again in 30 seconds/,
    );
    api.w.clock.advance(30_000);
    sidOf(await api.json({ func: 'auth', username: 'admin', password: PASSWORD }));
    // A success clears the account.
    expect(errorOf(await api.json({ func: 'auth', username: 'admin', password: 'x' })).msg).toBe(
      'Wrong login or password',
    );
  });
  it('parallel guesses cannot slip past the count: only five of ten are tried', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api.json({ func: 'auth', username: 'admin', password: `guess${i}` }),
      ),
    );
    const messages = answers.map((doc) => errorOf(doc).msg);
    expect(messages.filter((m) => m === 'Wrong login or password')).toHaveLength(5);
    expect(messages.filter((m) => m.startsWith('Too many failed logins'))).toHaveLength(5);
  });
});

describe('key login (session.newkey)', () => {
  const KEY = 'k3y-for-single-sign-on';

  it('an admin registers a key; the user logs in with it once', async () => {
    expect(await api.as('admin').json('session.newkey', { username: 'alice', key: KEY })).toEqual({ ok: {} });
    const stored = firstOf(await db.db.select().from(authKeys));
    expect(stored.keyHash).not.toContain(KEY);
    const doc = await api.json({ func: 'auth', username: 'alice', key: KEY });
    expect((doc.auth as DocNode).$level).toBe('16');
    expect(rows(await api.json({ func: 'clientticket', auth: sidOf(doc) }))).toEqual([]);
    expect(errorOf(await api.json({ func: 'auth', username: 'alice', key: KEY }))).toMatchObject({
      type: 'auth',
      object: 'key',
    });
  });

  it('refuses a key for another user, an expired key and short keys', async () => {
    await api.as('admin').xml('session.newkey', { username: 'alice', key: KEY });
    expect(errorOf(await api.json({ func: 'auth', username: 'bob', key: KEY })).type).toBe('auth');
    expect(
      errorOf(await api.as('admin').json('session.newkey', { username: 'bob', key: 'short' })).type,
    ).toBe('value');
    api.w.clock.advance(61 * MINUTE);
    expect(errorOf(await api.json({ func: 'auth', username: 'alice', key: KEY })).type).toBe('auth');
  });

  it('only staff make keys, only root makes keys for staff, and nobody for root', async () => {
    expect(errorOf(await api.as('alice').json('session.newkey', { username: 'bob', key: KEY })).type).toBe(
      'access',
    );
    expect(errorOf(await api.as('admin').json('session.newkey', { username: 'root', key: KEY })).type).toBe(
      'access',
    );
    expect(errorOf(await api.as('admin').json('session.newkey', { username: 'ghost', key: KEY })).type).toBe(
      'missed',
    );
    expect(errorOf(await api.as('root').json('session.newkey', { username: 'root', key: KEY })).type).toBe(
      'access',
    );
    expect(await api.as('root').json('session.newkey', { username: 'admin', key: KEY })).toEqual({ ok: {} });
  });
});

describe('su', () => {
  it('su=LOGIN makes one call with that user rights, audited with both logins', async () => {
    const id = await api.w.openTicket();
    const list = await api.as('admin').json('clientticket', { su: 'alice' });
    expect(rows(list).map((r) => t(r.id))).toEqual([String(id)]);
    await api
      .as('admin')
      .xml('clientticket.edit', { su: 'alice', elid: String(id), message: 'typed by staff', sok: 'ok' });
    const last = firstOf(await db.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1));
    expect(last.actor).toBe('admin as alice');
    // The admin's own session is unchanged.
    expect(errorOf(await api.as('admin').json('clientticket')).type).toBe('access');
  });

  it('refuses su from a client, to an unknown login and to root from an admin', async () => {
    expect(errorOf(await api.as('alice').json('clientticket', { su: 'bob' })).type).toBe('access');
    expect(errorOf(await api.as('admin').xml('clientticket', { su: 'ghost' }))).toMatchObject({
      type: 'missed',
      object: 'su',
    });
    expect(errorOf(await api.as('admin').json('ticket', { su: 'root' })).type).toBe('access');
    expect(rows(await api.as('root').json('ticket', { su: 'admin' }))).toEqual([]);
  });

  it('func=su&elid=LOGIN returns a session with that user rights, made by the admin', async () => {
    const id = await api.w.openTicket();
    const doc = await api.as('admin').json('su', { elid: 'alice' });
    expect(doc.ok).toEqual({});
    const sid = sidOf(doc);
    expect(rows(await api.json({ func: 'clientticket', auth: sid })).map((r) => t(r.id))).toEqual([
      String(id),
    ]);
    await api.json({
      func: 'clientticket.edit',
      auth: sid,
      elid: String(id),
      message: 'via su session',
      sok: 'ok',
    });
    const audit = await db.db.select().from(auditLog).where(eq(auditLog.via, 'api')).orderBy(auditLog.id);
    expect(audit.map((r) => [r.func, r.actor])).toEqual([
      ['su', 'admin'],
      ['clientticket.edit', 'admin as alice'],
    ]);
    const xml = await api.as('root').xml('su', { elid: 'bob' });
    expect(xml.ok).toEqual({ $: '' });
    sidOf(xml);
  });

  it('refuses func=su for clients, su sessions and without elid', async () => {
    expect(errorOf(await api.as('alice').json('su', { elid: 'bob' })).type).toBe('access');
    const sid = sidOf(await api.as('admin').json('su', { elid: 'alice' }));
    expect(errorOf(await api.json({ func: 'su', auth: sid, elid: 'bob' })).type).toBe('access');
    expect(errorOf(await api.as('admin').xml('su')).type).toBe('missed');
  });
});

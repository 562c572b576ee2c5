import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { auditLog, authKeys, sessions, users } from '../../db/schema.ts';
import type { DocNode } from '../../src/api/doc.ts';
import { DEFAULT_API_OPTIONS } from '../../src/api/options.ts';
import { createSession, secretHash } from '../../src/api/sessions.ts';
import { errorOf, PASSWORD, useApi } from '../helpers/api.ts';
import { firstOf, one } from '../helpers/rows.ts';

const { db, api } = useApi();

const KEY = '12345678';
const sidOf = (doc: DocNode) => {
  const auth = doc.auth as DocNode;
  expect(auth, JSON.stringify(doc)).toBeDefined();
  return auth.$ as string;
};
const level = (doc: DocNode) => (doc.auth as DocNode).$level;

/** A second admin (and a second root), to be impersonated. */
beforeEach(async () => {
  const { passwordHash } = one(await db.db.select().from(users).where(eq(users.login, 'admin')));
  await db.db.insert(users).values([
    { login: 'boris', name: 'Boris Admin', level: 'admin', passwordHash },
    { login: 'rex', name: 'Rex Root', level: 'root', passwordHash },
  ]);
});

const refused = (doc: DocNode) => expect(errorOf(doc).type, JSON.stringify(doc)).toBe('access');

describe('who may take whose rights', () => {
  it('an admin makes no key for another admin, so cannot log in as one', async () => {
    refused(await api.as('admin').json('session.newkey', { username: 'boris', key: KEY }));
    expect(await db.db.select().from(authKeys)).toEqual([]);
    expect(errorOf(await api.json({ func: 'auth', username: 'boris', key: KEY })).type).toBe('auth');
  });

  it('an admin cannot su to another admin, per call or by func=su', async () => {
    refused(await api.as('admin').json('ticket', { su: 'boris' }));
    refused(await api.as('admin').json('su', { elid: 'boris' }));
    expect(await db.db.select().from(sessions).where(eq(sessions.suBy, api.w.ids.admin.id))).toEqual([]);
  });

  it('root becomes admins and users, never root (itself or another)', async () => {
    expect((await api.as('root').json('ticket', { su: 'admin' })).error).toBeUndefined();
    sidOf(await api.as('root').json('su', { elid: 'admin' }));
    sidOf(await api.as('root').json('su', { elid: 'alice' }));
    refused(await api.as('root').json('ticket', { su: 'rex' }));
    refused(await api.as('root').json('su', { elid: 'rex' }));
    refused(await api.as('root').json('su', { elid: 'root' }));
    refused(await api.as('root').json('session.newkey', { username: 'rex', key: KEY }));
    refused(await api.as('root').json('session.newkey', { username: 'root', key: KEY }));
    expect(await api.as('root').json('session.newkey', { username: 'boris', key: KEY })).toEqual({ ok: {} });
    expect(level(await api.json({ func: 'auth', username: 'boris', key: KEY }))).toBe('29');
  });

  it('a session made by su neither su-s again nor makes keys', async () => {
    const asAdmin = sidOf(await api.as('root').json('su', { elid: 'admin' }));
    const viaSu = (params: Record<string, string>) => api.json({ auth: asAdmin, ...params });
    refused(await viaSu({ func: 'su', elid: 'alice' }));
    refused(await viaSu({ func: 'clientticket', su: 'alice' }));
    refused(await viaSu({ func: 'session.newkey', username: 'alice', key: KEY }));
    const id = String(await api.w.openTicket());
    refused(await viaSu({ func: 'ticket.su', elid: id }));
    expect(await db.db.select().from(authKeys)).toEqual([]);
    // The su session itself still works for ordinary calls.
    expect((await viaSu({ func: 'ticket' })).elem).toHaveLength(1);
  });

  it('a key for a staff member logs in only when root made it', async () => {
    // A key an admin registered for a client who is staff by now (or from before this rule).
    expect(await api.as('admin').json('session.newkey', { username: 'alice', key: KEY })).toEqual({ ok: {} });
    await db.db.update(users).set({ level: 'admin', clientId: null }).where(eq(users.login, 'alice'));
    expect(errorOf(await api.json({ func: 'auth', username: 'alice', key: KEY })).type).toBe('auth');
    const boris = firstOf(await db.db.select().from(users).where(eq(users.login, 'boris')));
    await db.db
      .insert(authKeys)
      .values({ keyHash: secretHash('an-old-key'), userId: boris.id, createdAt: api.w.clock.now() });
    expect(errorOf(await api.json({ func: 'auth', username: 'boris', key: 'an-old-key' })).type).toBe('auth');
  });

  it('an su session to staff made by an admin before this rule no longer works', async () => {
    const boris = firstOf(await db.db.select().from(users).where(eq(users.login, 'boris')));
    const sid = await createSession(
      db.db,
      boris.id,
      api.w.ids.admin.id,
      api.w.clock.now(),
      DEFAULT_API_OPTIONS,
    );
    expect(errorOf(await api.json({ func: 'ticket', auth: sid })).type).toBe('auth');
  });

  it('admins still make keys for and su to client users, audited', async () => {
    expect(await api.as('admin').json('session.newkey', { username: 'alice', key: KEY })).toEqual({ ok: {} });
    expect(level(await api.json({ func: 'auth', username: 'alice', key: KEY }))).toBe('16');
    sidOf(await api.as('admin').json('su', { elid: 'bob' }));
    expect((await api.as('admin').json('clientticket', { su: 'bob' })).error).toBeUndefined();
    const audit = await db.db.select().from(auditLog).where(eq(auditLog.via, 'api')).orderBy(auditLog.id);
    expect(audit.map((r) => [r.func, r.actor, r.params])).toEqual([
      ['session.newkey', 'admin', { username: 'alice' }],
      ['su', 'admin', { elid: 'bob' }],
    ]);
    // Password login for staff is untouched.
    expect(level(await api.json({ func: 'auth', username: 'boris', password: PASSWORD }))).toBe('29');
  });
});

describe('a key login is a session made by the key’s maker', () => {
  it('acts as su does: audited as "maker as user", no su, no keys', async () => {
    expect(await api.as('admin').json('session.newkey', { username: 'alice', key: KEY })).toEqual({ ok: {} });
    const sid = sidOf(await api.json({ func: 'auth', username: 'alice', key: KEY }));
    const id = String(await api.w.openTicket());
    const viaKey = (params: Record<string, string>) => api.json({ auth: sid, ...params });
    expect(
      await viaKey({ func: 'clientticket.edit', elid: id, message: 'typed by staff', sok: 'ok' }),
    ).toEqual({
      ok: {},
    });
    const last = firstOf(
      await db.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.via, 'api'), eq(auditLog.func, 'clientticket.edit'))),
    );
    expect([last.actor, last.actorId]).toEqual(['admin as alice', api.w.ids.admin.id]);

    const asAdmin = sidOf(
      await api.json({ func: 'auth', username: 'boris', key: await rootKeyFor('boris') }),
    );
    const viaAdminKey = (params: Record<string, string>) => api.json({ auth: asAdmin, ...params });
    refused(await viaAdminKey({ func: 'su', elid: 'alice' }));
    refused(await viaAdminKey({ func: 'clientticket', su: 'alice' }));
    refused(await viaAdminKey({ func: 'session.newkey', username: 'alice', key: 'another-key' }));
    refused(await viaAdminKey({ func: 'ticket.su', elid: id }));
    expect(await db.db.select().from(authKeys)).toEqual([]);
    expect((await viaAdminKey({ func: 'ticket' })).error).toBeUndefined();
  });

  it('ends when its maker is disabled, and a key whose maker is disabled does not log in', async () => {
    await api.as('admin').json('session.newkey', { username: 'alice', key: KEY });
    await api.as('admin').json('session.newkey', { username: 'bob', key: KEY });
    const sid = sidOf(await api.json({ func: 'auth', username: 'alice', key: KEY }));
    await db.db.update(users).set({ disabled: true }).where(eq(users.login, 'admin'));
    expect(errorOf(await api.json({ func: 'clientticket', auth: sid })).type).toBe('auth');
    expect(errorOf(await api.json({ func: 'auth', username: 'bob', key: KEY })).type).toBe('auth');
  });

  it('registering never tells whether a key value is in use', async () => {
    expect(await api.as('admin').json('session.newkey', { username: 'alice', key: KEY })).toEqual({ ok: {} });
    expect(await api.as('admin').json('session.newkey', { username: 'bob', key: KEY })).toEqual({ ok: {} });
    expect(await api.as('admin').json('session.newkey', { username: 'bob', key: KEY })).toEqual({ ok: {} });
    // Each registration is a key of its own user.
    expect(level(await api.json({ func: 'auth', username: 'bob', key: KEY }))).toBe('16');
    expect(level(await api.json({ func: 'auth', username: 'alice', key: KEY }))).toBe('16');
    expect(errorOf(await api.json({ func: 'auth', username: 'bob', key: KEY })).type).toBe('auth');
  });
});

/** A key root registers for `login`. */
async function rootKeyFor(login: string): Promise<string> {
  const key = `root-key-for-${login}`;
  expect(await api.as('root').json('session.newkey', { username: login, key })).toEqual({ ok: {} });
  return key;
}

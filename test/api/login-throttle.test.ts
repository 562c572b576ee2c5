import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { type DbHandle, openDb } from '../../db/client.ts';
import { loginThrottle } from '../../db/schema.ts';
import type { DocNode } from '../../src/api/doc.ts';
import { createApp } from '../../src/app.ts';
import { errorOf, PASSWORD, serve, useApi } from '../helpers/api.ts';
import { nth } from '../helpers/rows.ts';

// Many failures from the one test address: the address limit is raised here, and tested on its own.
const { db, api } = useApi({ freeAddressFailures: 1000 });

const WRONG = 'Wrong login or password';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** Another server on the same database: with Postgres a replica with its own connections. */
async function replica(options: Parameters<typeof createApp>[1] = {}) {
  let handle: DbHandle | undefined;
  if (db.url) {
    handle = await openDb({ databaseUrl: db.url });
    closers.push(() => (handle as DbHandle).close());
  }
  const app = createApp({ ...api.w.deps, db: handle?.db ?? db.db }, options);
  const server = await serve(app);
  closers.unshift(server.close);
  return server.base;
}

async function call(base: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/billmgr?${new URLSearchParams({ ...params, out: 'json' })}`, { headers });
  expect(res.status).toBe(200);
  return ((await res.json()) as { doc: DocNode }).doc;
}
const message = (doc: DocNode) => (doc.error ? errorOf(doc).msg : 'ok');
const counter = async (key: string) =>
  (await db.db.select().from(loginThrottle).where(eq(loginThrottle.key, key)))[0];

describe('login throttling per account', () => {
  it('a good login of one account does not clear the failures of another it guesses', async () => {
    const answers: string[] = [];
    for (let round = 0; round < 3; round++) {
      for (let guess = 0; guess < 4; guess++) {
        answers.push(
          message(await api.json({ func: 'auth', username: 'admin', password: `g${round}${guess}` })),
        );
      }
      expect(message(await api.json({ func: 'ticket', authinfo: `alice:${PASSWORD}` }))).not.toMatch(/^Too/);
    }
    expect(answers.filter((m) => m === WRONG)).toHaveLength(5);
    expect(answers.slice(5).every((m) => m.startsWith('Too many failed logins for this account'))).toBe(true);
    // The guessed account itself still waits, also for its right password.
    expect(message(await api.json({ func: 'auth', username: 'admin', password: PASSWORD }))).toMatch(
      /^Too many failed logins for this account; try again in 30 seconds/,
    );
  });

  it('keys are throttled like passwords, on the same account counter', async () => {
    for (let i = 0; i < 5; i++) {
      expect(message(await api.json({ func: 'auth', username: 'alice', key: `not-a-key-${i}` }))).toBe(
        'The key is wrong, already used or expired',
      );
    }
    expect(message(await api.json({ func: 'auth', username: 'alice', password: PASSWORD }))).toMatch(
      /^Too many failed logins for this account/,
    );
  });

  it('accounts that do not exist are throttled the same way, so the answer tells nothing', async () => {
    const answers = [];
    for (let i = 0; i < 6; i++)
      answers.push(message(await api.json({ func: 'auth', username: 'ghost', password: 'x' })));
    expect(answers).toEqual([WRONG, WRONG, WRONG, WRONG, WRONG, answers[5]]);
    expect(answers[5]).toMatch(/^Too many failed logins for this account/);
  });
});

describe('parallel logins', () => {
  it('twenty parallel correct logins from one address all succeed', async () => {
    const docs = await Promise.all(
      Array.from({ length: 20 }, () => api.json({ func: 'ticket', authinfo: `admin:${PASSWORD}` })),
    );
    expect(docs.map(message)).toEqual(Array(20).fill('ok'));
  });

  it('mixed parallel logins on two servers: no failure, every wrong one counted exactly once', async () => {
    const other = await replica({ api: { freeAddressFailures: 1000 } });
    const bases = [api.base, other];
    const plan = Array.from(
      { length: 80 },
      (_, i): { base: string; who: string; params: Record<string, string> } => {
        const base = nth(bases, i % 2, 'server');
        if (i % 4 === 0)
          return { base, who: 'admin', params: { func: 'ticket', authinfo: `admin:${PASSWORD}` } };
        if (i % 4 === 1)
          return { base, who: 'alice', params: { func: 'auth', username: 'alice', password: PASSWORD } };
        const who = `ghost${i % 3}`;
        return { base, who, params: { func: 'auth', username: who, password: `guess${i}` } };
      },
    );
    const answers = await Promise.all(plan.map((p) => call(p.base, p.params).then(message)));
    for (const [i, p] of plan.entries()) {
      if (!p.who.startsWith('ghost')) expect(answers[i], p.who).toBe('ok');
      else expect(answers[i]).toMatch(/^(Wrong login or password|Too many failed logins for this account)/);
    }
    for (const ghost of ['ghost0', 'ghost1', 'ghost2']) {
      const wrong = plan.filter((p, i) => p.who === ghost && answers[i] === WRONG).length;
      expect(wrong).toBe(5);
      expect(await counter(`account:${ghost}`)).toMatchObject({ failures: 5, pending: 0 });
    }
    expect(await counter('address:127.0.0.1')).toMatchObject({ failures: 15, pending: 0 });
  });

  it('parallel guesses split over two servers still try only five', async () => {
    const other = await replica();
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call(i % 2 ? other : api.base, { func: 'auth', username: 'admin', password: `guess${i}` }).then(
          message,
        ),
      ),
    );
    expect(answers.filter((m) => m === WRONG)).toHaveLength(5);
  });
});

describe('login throttling per address, and TRUST_PROXY', () => {
  it('failures on any accounts from one address slow that address down; others log in', async () => {
    const behindProxy = await replica({ api: { freeAddressFailures: 3 }, trustProxy: 'loopback' });
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    for (const who of ['ghost1', 'ghost2', 'ghost3']) {
      expect(
        message(await call(behindProxy, { func: 'auth', username: who, password: 'x' }, from('203.0.113.5'))),
      ).toBe(WRONG);
    }
    const auth = { func: 'auth', username: 'alice', password: PASSWORD };
    expect(message(await call(behindProxy, auth, from('203.0.113.5')))).toMatch(
      /^Too many failed logins from your address; try again in 30 seconds/,
    );
    expect(message(await call(behindProxy, auth, from('203.0.113.6')))).toBe('ok');
    expect(await counter('address:203.0.113.5')).toMatchObject({ failures: 3 });
  });

  it('without TRUST_PROXY, X-Forwarded-For is not believed', async () => {
    await call(
      api.base,
      { func: 'auth', username: 'ghost', password: 'x' },
      { 'x-forwarded-for': '198.51.100.9' },
    );
    expect(await counter('address:198.51.100.9')).toBeUndefined();
    expect(await counter('address:127.0.0.1')).toMatchObject({ failures: 1 });
  });
});

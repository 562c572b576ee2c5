import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DocNode } from '../../src/api/doc.ts';
import { ERROR_TYPES } from '../../src/functions/errors.ts';
import { errorOf, PASSWORD, useApi } from '../helpers/api.ts';

const { api } = useApi({}, { perFile: true });

/** A value error about `object`. */
const valueError = (doc: DocNode, object: string) =>
  expect(errorOf(doc), JSON.stringify(doc)).toMatchObject({ type: 'value', object });

describe('the parameters the API reads itself are validated', () => {
  it('a NUL in a login, su, key or session parameter is a value error, not a failure', async () => {
    valueError(await api.json({ func: 'auth', username: 'ad\0min', password: PASSWORD }), 'username');
    valueError(await api.json({ func: 'auth', username: 'admin', password: 'x\0' }), 'password');
    valueError(await api.json({ func: 'auth', username: 'alice', key: 'k\0ey-key-key' }), 'key');
    valueError(await api.json({ func: 'ticket', authinfo: `ad\0min:${PASSWORD}` }), 'authinfo');
    valueError(await api.json({ func: 'ticket', auth: 'abc\0' }), 'auth');
    valueError(await api.as('admin').json('clientticket', { su: 'ali\0ce' }), 'su');
    valueError(await api.as('admin').json('su', { elid: 'ali\0ce' }), 'elid');
    valueError(
      await api.as('admin').json('session.newkey', { username: 'ali\0ce', key: '12345678' }),
      'username',
    );
    valueError(await api.json({ func: 'ticket' }, { headers: { cookie: 'billmgrses5=%00' } }), 'billmgrses5');
    valueError(await api.json({ func: 'ticket\0' }), 'func');
    valueError(await api.json({ func: 'auth', username: 'x'.repeat(201), password: 'x' }), 'username');
  });

  it('out=__proto__ and other inherited names are refused as unknown formats', async () => {
    for (const out of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const res = await api.send({ func: 'ticket', auth: api.sids.admin, out });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
      expect(await res.text()).toContain('<error type="value" object="out"');
    }
    expect(errorOf(await api.json({ func: '__proto__' }))).toMatchObject({ type: 'missed', object: 'func' });
  });

  it('fuzz: any value of any API parameter, by GET or a JSON POST, is an answer, never a 500', async () => {
    const nasty = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom(
        '',
        ' ',
        '\0',
        'a\0b',
        '\uD800',
        'x\uDC00y',
        '__proto__',
        'constructor',
        'toString',
        '%',
        '%00',
        ':',
        'admin',
        `admin:${PASSWORD}`,
        'x'.repeat(3000),
      ),
    );
    const funcs = fc.constantFrom(
      'auth',
      'logout',
      'su',
      'session.newkey',
      'department.schedule',
      'ticket',
      'clientticket',
      'ticket.edit',
    );
    const names = ['out', 'lang', 'authinfo', 'auth', 'su', 'username', 'password', 'key', 'elid', 'sok'];
    const request = fc.record({
      func: fc.oneof(funcs, nasty),
      params: fc.dictionary(fc.constantFrom(...names), nasty, { maxKeys: 5 }),
      // Any surrogate, paired or not: encodeURIComponent refuses lone ones.
      cookie: fc.option(
        nasty.filter((s) => !/[\uD800-\uDFFF]/.test(s)),
        { nil: undefined },
      ),
      withSession: fc.boolean(),
      post: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const params: Record<string, string> = { ...r.params, func: r.func };
        if (r.withSession) params.auth = api.sids.admin;
        const headers: Record<string, string> = {};
        if (r.cookie !== undefined) headers.cookie = `billmgrses5=${encodeURIComponent(r.cookie)}`;
        const res = r.post
          ? await fetch(`${api.base}/billmgr?out=json`, {
              method: 'POST',
              headers: { ...headers, 'content-type': 'application/json' },
              body: JSON.stringify(params),
            })
          : await api.send({ ...params, out: params.out ?? 'json' }, { headers });
        const text = await res.text();
        expect(res.status, text).toBe(200);
        const typed = /<error type="(\w+)"|"\$type":"(\w+)"/.exec(text);
        if (typed) expect(ERROR_TYPES).toContain(typed[1] ?? typed[2]);
      }),
      { numRuns: 150 },
    );
  }, 300_000);
});

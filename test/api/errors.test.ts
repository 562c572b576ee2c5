import { describe, expect, it } from 'vitest';
import type { DocNode } from '../../src/api/doc.ts';
import { errorOf, parseXml, t, useApi } from '../helpers/api.ts';
import { firstOf } from '../helpers/rows.ts';

const LIMIT = 64 * 1024;
const { api } = useApi({ maxBodyBytes: LIMIT, maxFiles: 3 });

const rows = (doc: DocNode) => doc.elem as DocNode[];
type Body = string | URLSearchParams | FormData;
const post = (body: Body, headers: Record<string, string> = {}, query = '') =>
  fetch(`${api.base}/billmgr${query}`, { method: 'POST', body, headers });
const docOf = async (res: Response) => {
  expect(res.status).toBe(200);
  const text = await res.text();
  return text.startsWith('<?xml') ? parseXml(text) : (JSON.parse(text) as { doc: DocNode }).doc;
};

describe('error documents', () => {
  it('carry $type, $object, $lang, msg and param in json, and the same in xml', async () => {
    const json = await api.as('admin').json('ticket.edit', { elid: '999' });
    expect(json).toEqual({
      error: {
        $type: 'missed',
        $object: 'elid',
        $lang: 'en',
        msg: { $: 'Ticket 999 does not exist' },
        param: [
          { $name: 'object', $: 'elid' },
          { $name: 'value', $: '999' },
        ],
      },
    });
    const xml = await api.as('admin').xml('ticket.edit', { elid: '999' });
    expect(xml).toEqual(json);
  });

  it('missed: an absent required parameter', async () => {
    expect(errorOf(await api.as('admin').json('ticket.message')).object).toBe('elid');
    expect(errorOf(await api.as('admin').xml('ticket.message.edit', {}))).toMatchObject({
      type: 'missed',
      object: 'plid',
    });
  });

  it('value: a malformed parameter, in json and xml', async () => {
    const id = await api.w.openTicket();
    expect(
      errorOf(await api.as('admin').json('ticket.edit', { elid: String(id), priority: '7', sok: 'ok' })),
    ).toMatchObject({
      type: 'value',
      object: 'priority',
    });
    expect(errorOf(await api.as('admin').xml('ticket.delete', { elid: 'abc', sok: 'ok' }))).toMatchObject({
      type: 'value',
      object: 'elid',
    });
    expect(errorOf(await api.as('admin').json('ticket.edit', { elid: '99999999999999' })).type).toBe('value');
  });

  it('access: a client calling staff functions or another client ticket; staff calling client functions', async () => {
    const id = await api.w.openTicket();
    for (const func of ['ticket', 'ticket.edit', 'ticket.delete', 'ticket.su', 'ticket.message']) {
      expect(errorOf(await api.as('alice').json(func, { elid: String(id) })).type).toBe('access');
    }
    expect(errorOf(await api.as('bob').xml('clientticket.edit', { elid: String(id) }))).toMatchObject({
      type: 'access',
      object: 'elid',
    });
    expect(
      errorOf(await api.as('bob').json('clientticket.edit', { elid: String(id), message: 'hi', sok: 'ok' }))
        .type,
    ).toBe('access');
    expect(errorOf(await api.as('admin').json('clientticket')).type).toBe('access');
    expect(
      errorOf(
        await api.as('alice').json('clientticket.edit', { elid: String(id), note_message: 'x', sok: 'ok' }),
      ).type,
    ).toBe('access');
  });

  it('an unknown or absent func is an error document', async () => {
    expect(errorOf(await api.as('admin').json('ticket.nonsense'))).toMatchObject({
      type: 'missed',
      object: 'func',
    });
    expect(errorOf(await api.xml({ func: 'constructor' }))).toMatchObject({ type: 'missed', object: 'func' });
    expect(errorOf(await api.json({ auth: api.sids.admin }))).toMatchObject({
      type: 'missed',
      object: 'func',
    });
  });
});

describe('out formats', () => {
  it('json, sjson, xjson and JSONdata give the same document; xml is the default', async () => {
    await api.w.openTicket();
    const docs = [];
    for (const out of ['json', 'sjson', 'xjson', 'JSONdata'])
      docs.push(await api.as('admin').json('ticket', { out }));
    expect(new Set(docs.map((d) => JSON.stringify(d))).size).toBe(1);
    const res = await api.send({ func: 'ticket', auth: api.sids.admin });
    expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    expect(rows(parseXml(await res.text()))).toHaveLength(1);
    expect(rows(await api.xml({ func: 'ticket', auth: api.sids.admin, out: 'devel' }))).toHaveLength(1);
  });

  it('an unknown out is an error document in XML, wherever out came from', async () => {
    for (const res of [
      await api.send({ func: 'ticket', auth: api.sids.admin, out: 'yaml' }),
      await post(
        JSON.stringify({ func: 'ticket', out: 'text' }),
        { 'content-type': 'application/json' },
        '?out=json',
      ),
    ]) {
      expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
      expect(errorOf(parseXml(await res.text()))).toMatchObject({ type: 'value', object: 'out' });
    }
  });

  it('escapes markup and drops characters XML cannot carry', async () => {
    const name = `<script>alert("x")</script> & 'quotes' ]]> \u0001end`;
    const id = await api.w.openTicket({ name });
    const res = await api.send({ func: 'ticket.edit', auth: api.sids.admin, elid: String(id) });
    const text = await res.text();
    expect(text).not.toContain('<script>');
    expect(t(parseXml(text).name)).toBe(name.replace('\u0001', '\uFFFD'));
    expect(t((await api.as('admin').json('ticket.edit', { elid: String(id) })).name)).toBe(name);
  });
});

describe('request bodies', () => {
  it('merges the query string with a urlencoded, a JSON and a multipart body', async () => {
    const id = await api.w.openTicket();
    const auth = `?func=ticket.edit&auth=${api.sids.admin}&out=json`;
    const form = await docOf(
      await post(new URLSearchParams({ elid: String(id), message: 'form', sok: 'ok' }), {}, auth),
    );
    expect(form).toEqual({ ok: {} });
    const json = await docOf(
      await post(
        JSON.stringify({ elid: id, message: 'json', high_priority: true, sok: 'ok' }),
        { 'content-type': 'application/json' },
        auth,
      ),
    );
    expect(json).toEqual({ ok: {} });
    const multipart = new FormData();
    multipart.set('elid', String(id));
    multipart.set('message', 'multipart');
    multipart.set('sok', 'ok');
    expect(await docOf(await post(multipart, {}, auth))).toEqual({ ok: {} });
    const list = await api.as('admin').json('ticket.message', { elid: String(id) });
    expect(rows(list).map((r) => t(r.message))).toEqual([
      'My VPS does not boot',
      'form',
      'json',
      'multipart',
    ]);
    const queue = await api.as('admin').json('ticket');
    expect(firstOf(rows(queue)).highpriority).toEqual({ $: 'on' });
  });

  it('the body wins over the query for the same name; repeated names join like group ids', async () => {
    const [a, b] = [await api.w.openTicket(), await api.w.openTicket()];
    const body = new URLSearchParams([
      ['elid', String(a)],
      ['elid', String(b)],
      ['sok', 'ok'],
    ]);
    const res = await post(body, {}, `?func=ticket.delete&elid=999&out=json&auth=${api.sids.admin}`);
    expect(await docOf(res)).toEqual({ ok: {} });
    const closed = await api.as('admin').json('ticket.filter', { tstatus: '3', sok: 'ok' });
    expect(closed).toEqual({ ok: {} });
    expect(rows(await api.as('admin').json('ticket')).map((r) => t(r.id))).toEqual([String(a), String(b)]);
  });

  it('refuses malformed bodies with error documents', async () => {
    const q = `?func=ticket&out=json&auth=${api.sids.admin}`;
    const cases: [Body, Record<string, string>][] = [
      ['{"func": ', { 'content-type': 'application/json' }],
      ['[1, 2]', { 'content-type': 'application/json' }],
      ['{"elid": {"nested": 1}}', { 'content-type': 'application/json' }],
      ['<doc/>', { 'content-type': 'application/xml' }],
      [
        '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb',
        { 'content-type': 'multipart/form-data; boundary=x' },
      ],
      ['whatever', { 'content-type': 'multipart/form-data' }],
    ];
    for (const [body, headers] of cases) {
      const error = errorOf(await docOf(await post(body, headers, q)));
      expect(error.type, String(body)).toBe('value');
    }
  });

  it('refuses oversized bodies (form, JSON, multipart) with error documents, not 5xx', async () => {
    const q = `?func=ticket&out=json&auth=${api.sids.admin}`;
    const big = 'x'.repeat(LIMIT + 1);
    const form = errorOf(await docOf(await post(new URLSearchParams({ message: big }), {}, q)));
    expect(form).toMatchObject({ type: 'value', object: 'body' });
    const json = errorOf(
      await docOf(await post(JSON.stringify({ message: big }), { 'content-type': 'application/json' }, q)),
    );
    expect(json.object).toBe('body');
    const multipart = new FormData();
    multipart.set('file_1', new Blob([Buffer.alloc(LIMIT * 4)]), 'big.bin');
    expect(errorOf(await docOf(await post(multipart, {}, q))).object).toBe('body');
    // The server is fine afterwards.
    expect(rows(await api.as('admin').json('ticket'))).toEqual([]);
  });

  it('refuses more files than allowed', async () => {
    const id = await api.w.openTicket();
    const form = new FormData();
    for (const field of ['elid', 'message', 'sok']) form.set(field, field === 'elid' ? String(id) : 'ok');
    for (let i = 1; i <= 4; i++) form.set(`file_${i}`, new Blob(['x']), `f${i}.txt`);
    const doc = await docOf(await post(form, {}, `?func=ticket.edit&out=json&auth=${api.sids.admin}`));
    expect(errorOf(doc).type).toBe('value');
    const list = await api.as('admin').json('ticket.message', { elid: String(id) });
    expect(rows(list)).toHaveLength(1);
  });
});

describe('no 5xx for odd input', () => {
  it('answers documents for odd paging, methods and parameters', async () => {
    await api.w.openTicket();
    const odd: Record<string, string>[] = [
      { p_num: '-1', p_cnt: '0' },
      { p_num: 'abc', p_cnt: '999999999' },
      { p_sort: '__proto__', p_order: 'sideways' },
      { filter: 'on', name: '%' },
      // A literal would set the prototype; the parameter named __proto__ must be an own key.
      Object.fromEntries([
        ['__proto__', 'x'],
        ['constructor', 'y'],
      ]),
    ];
    for (const params of odd) {
      const doc = await api.as('admin').json('ticket', params);
      expect(doc.p_elems, JSON.stringify(params)).toBeDefined();
    }
    const res = await fetch(`${api.base}/billmgr`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(errorOf(parseXml(await res.text())).object).toBe('func');
  });
});

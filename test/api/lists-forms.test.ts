import { describe, expect, it } from 'vitest';
import type { DocNode } from '../../src/api/doc.ts';
import { comparable, t, useApi } from '../helpers/api.ts';
import { firstOf, nth } from '../helpers/rows.ts';

const { api } = useApi();

const DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const rows = (doc: DocNode) => doc.elem as DocNode[];
const byId = (doc: DocNode, id: number) => rows(doc).find((r) => t(r.id) === String(id)) as DocNode;

/** Every scalar of a JSON document is a string (the reference: "every scalar is a string"). */
function expectAllStrings(node: unknown): void {
  if (Array.isArray(node)) node.forEach(expectAllStrings);
  else if (node && typeof node === 'object') Object.values(node).forEach(expectAllStrings);
  else expect(typeof node).toBe('string');
}

/** Reads a list in JSON and XML and checks both say the same; returns the JSON document. */
async function both(
  who: 'root' | 'admin' | 'alice' | 'bob',
  func: string,
  params: Record<string, string> = {},
) {
  const json = await api.as(who).json(func, params);
  const xml = await api.as(who).xml(func, params);
  expect(comparable(xml)).toEqual(comparable(json));
  expectAllStrings(json);
  return json;
}

describe('lists', () => {
  it('ticket: the queue as elem rows with paging echoed, flags only when on', async () => {
    const a = await api.w.openTicket();
    const b = await api.w.openTicket({ name: 'Billing question', message: 'Why 2 invoices?' });
    await api.w.run(api.w.as.admin, 'ticket.favorite', { elid: String(b), sok: 'ok' });
    const doc = await both('admin', 'ticket');
    expect(rows(doc)).toHaveLength(2);
    expect(doc).toMatchObject({
      p_num: { $: '1' },
      p_cnt: { $: '30' },
      p_elems: { $: '2' },
      p_sort: { $: 'queue' },
      p_order: { $: 'desc' },
    });
    const first = byId(doc, a);
    expect(first).toMatchObject({
      id: { $: String(a) },
      ticket: { $: String(a) },
      name: { $: 'Server down' },
      client: { $: 'ACME Ltd' },
      delay: { $: '0d+00:00' },
      unread: { $: 'on' },
      tstatus: { $: '0' },
    });
    expect(t(first.deadline)).toMatch(DATE);
    expect(first.favorite).toBeUndefined();
    expect(byId(doc, b).favorite).toEqual({ $: 'on' });
  });

  it('ticket: p_cnt, p_num (past the end gives the last page), p_sort, p_order, inline filter', async () => {
    const ids = [];
    for (const name of ['Alpha', 'Bravo', 'Charlie']) ids.push(await api.w.openTicket({ name }));
    const page = await both('admin', 'ticket', { p_cnt: '2', p_num: '9', p_sort: 'name', p_order: 'asc' });
    expect(rows(page).map((r) => t(r.name))).toEqual(['Charlie']);
    expect(page).toMatchObject({
      p_num: { $: '2' },
      p_cnt: { $: '2' },
      p_elems: { $: '3' },
      p_sort: { $: 'name' },
    });
    const sorted = await api.as('admin').json('ticket', { p_sort: 'name', p_order: 'desc' });
    expect(rows(sorted).map((r) => t(r.name))).toEqual(['Charlie', 'Bravo', 'Alpha']);
    const unknownSort = await api.as('admin').json('ticket', { p_sort: 'no_such_column' });
    expect(unknownSort.p_sort).toEqual({ $: 'queue' });
    const filtered = await both('admin', 'ticket', { filter: 'on', name: 'brav' });
    expect(rows(filtered).map((r) => t(r.id))).toEqual([String(ids[1])]);
    expect(filtered.p_elems).toEqual({ $: '1' });
  });

  it('ticket: an empty list still carries elem as an array in JSON', async () => {
    const doc = await api.as('admin').json('ticket');
    expect(doc.elem).toEqual([]);
    expect(doc.p_elems).toEqual({ $: '0' });
  });

  it('ticket.message: every message with notes for staff, dates and types', async () => {
    const id = await api.w.openTicket();
    await api.w.run(api.w.as.admin, 'ticket.edit', {
      elid: String(id),
      message: 'Rebooted',
      note_message: 'was OOM',
      sok: 'ok',
    });
    const doc = await both('admin', 'ticket.message', { elid: String(id) });
    const list = rows(doc);
    expect(list.map((r) => t(r.message))).toEqual(['My VPS does not boot', 'was OOM', 'Rebooted']);
    expect(list.map((r) => t(r.type))).toEqual(['incoming', 'outcoming', 'outcoming']);
    expect(nth(list, 1).note).toEqual({ $: 'on' });
    expect(firstOf(list).note).toBeUndefined();
    expect(t(firstOf(list).date_post)).toBe('2026-03-02 10:00:00');
  });

  it('clientticket: the client sees their own tickets only', async () => {
    const mine = await api.w.openTicket();
    await api.w.run(api.w.as.bob, 'clientticket.edit', {
      name: 'Globex issue',
      message: 'Hi',
      client_department: String(api.w.ids.support.id),
      sok: 'ok',
    });
    const doc = await both('alice', 'clientticket');
    expect(rows(doc).map((r) => t(r.id))).toEqual([String(mine)]);
    expect(doc.p_elems).toEqual({ $: '1' });
    expect(t(firstOf(rows(doc)).date)).toMatch(DATE);
  });
});

describe('forms', () => {
  it('ticket.edit without sok: flat fields, mlist messages, slist options; marks the ticket read', async () => {
    const id = await api.w.openTicket();
    await api.w.run(api.w.as.root, 'ticket.edit', { elid: String(id), note_message: 'internal', sok: 'ok' });
    const doc = await both('admin', 'ticket.edit', { elid: String(id) });
    expect(doc.sok).toBeUndefined();
    expect(doc).toMatchObject({
      id: { $: String(id) },
      name: { $: 'Server down' },
      client: { $: 'ACME Ltd' },
      high_priority: { $: 'off' },
      premium: { $: 'off' },
      tstatus: { $: '1' },
    });
    expect(t(doc.blocked_by)).toMatch(/^Adam Admin, \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const mlist = doc.mlist as DocNode;
    const messages = mlist.message as DocNode[];
    expect(messages.map((m) => m.$type)).toEqual(['incoming', 'outcoming']);
    expect(messages.map((m) => t(m.message))).toEqual(['My VPS does not boot', 'internal']);
    expect(messages[0]).toMatchObject({
      $date_post: '2026-03-02 10:00:00',
      date_post: { $: '2026-03-02 10:00:00' },
    });
    expect(nth(messages, 1).note).toEqual({ $: 'on' });
    const slist = doc.slist as DocNode[];
    const departments = slist.find((s) => s.$name === 'client_department') as DocNode;
    expect(departments.val).toEqual([
      { $key: String(api.w.ids.support.id), $: 'Hosting Co: Support' },
      { $key: String(api.w.ids.paid.id), $: 'Hosting Co: Premium' },
    ]);
    const queue = await api.as('admin').json('ticket');
    expect(byId(queue, id).unread).toBeUndefined();
  });

  it('clientticket.edit without sok: the client never sees internal notes', async () => {
    const id = await api.w.openTicket();
    await api.w.run(api.w.as.admin, 'ticket.edit', {
      elid: String(id),
      message: 'Fixed',
      note_message: 'secret note',
      sok: 'ok',
    });
    const doc = await both('alice', 'clientticket.edit', { elid: String(id) });
    const messages = (doc.mlist as DocNode).message as DocNode[];
    expect(messages.map((m) => [m.$type, t(m.message)])).toEqual([
      ['incoming', 'My VPS does not boot'],
      ['outcoming', 'Fixed'],
    ]);
    expect(JSON.stringify(doc)).not.toContain('secret note');
  });

  it('clientticket.edit without elid: the new-ticket form with the client services', async () => {
    const doc = await both('alice', 'clientticket.edit');
    const items = (doc.slist as DocNode[]).find((s) => s.$name === 'ticket_item') as DocNode;
    expect(items.val).toEqual([{ $key: String(api.w.ids.server.id), $: 'VPS-1' }]);
    expect(doc.client_priority).toEqual({ $: '1' });
  });

  it('ticket.message.edit without sok: the message form', async () => {
    const id = await api.w.openTicket();
    const list = await api.as('admin').json('ticket.message', { elid: String(id) });
    const messageId = t(firstOf(rows(list)).id) as string;
    const doc = await both('admin', 'ticket.message.edit', { plid: String(id), elid: messageId });
    expect(doc).toMatchObject({ plid: { $: String(id) }, message: { $: 'My VPS does not boot' } });
  });

  it('ticket.filter, ticket.setfilter and clientticket.filter: saved filters apply to the lists', async () => {
    const a = await api.w.openTicket({ name: 'Alpha' });
    await api.w.run(api.w.as.bob, 'clientticket.edit', {
      name: 'Bravo',
      message: 'Hi',
      client_department: String(api.w.ids.support.id),
      sok: 'ok',
    });
    expect(await api.as('admin').json('ticket.setfilter', { elid: String(api.w.ids.acme.id) })).toEqual({
      ok: {},
    });
    const filtered = await api.as('admin').json('ticket');
    expect(rows(filtered).map((r) => t(r.id))).toEqual([String(a)]);
    // Root filters to both clients in XML, as "1, 2".
    const clientIds = `${api.w.ids.acme.id}, ${api.w.ids.globex.id}`;
    expect(await api.as('root').xml('ticket.setfilter', { elid: clientIds })).toEqual({ ok: { $: '' } });
    expect(rows(await api.as('root').json('ticket'))).toHaveLength(2);
    expect(await api.as('root').json('ticket.filter')).toEqual({
      client: { $: `${api.w.ids.acme.id},${api.w.ids.globex.id}` },
    });
    const form = await both('admin', 'ticket.filter');
    expect(form).toEqual({ client: { $: String(api.w.ids.acme.id) } });
    expect(await api.as('admin').xml('ticket.filter', { name: 'brav', sok: 'ok' })).toEqual({
      ok: { $: '' },
    });
    const saved = await api.as('admin').json('ticket.filter');
    expect(saved).toEqual({ name: { $: 'brav' } });
    expect(rows(await api.as('admin').json('ticket')).map((r) => t(r.name))).toEqual(['Bravo']);

    expect(await api.as('alice').json('clientticket.filter', { name: 'zzz', sok: 'ok' })).toEqual({ ok: {} });
    expect(await both('alice', 'clientticket.filter')).toEqual({ name: { $: 'zzz' } });
    expect(rows(await api.as('alice').json('clientticket'))).toEqual([]);
    await api.as('alice').xml('clientticket.filter', { reset: 'on' });
    expect(rows(await api.as('alice').json('clientticket'))).toHaveLength(1);
  });

  it('incident without sok: price, balance and tickets left', async () => {
    const doc = await both('alice', 'incident');
    expect(doc).toMatchObject({
      price: { $: '15.00' },
      balance: { $: '100.00' },
      incident_count: { $: '0' },
    });
  });
});

import { describe, expect, it } from 'vitest';
import { firstOf } from '../helpers/rows.ts';
import { useTestWorld } from '../helpers/setup.ts';
import { form, list, ok, refused } from './support.ts';

const { w } = useTestWorld();

const ids = async (params: Record<string, string> = {}) =>
  list(await w.run(w.as.admin, 'ticket', params)).rows.map((r) => r.id);

/** Five tickets: A..E, C high priority, E from Globex, D closed. */
async function five() {
  const [a, b, c, d] = [
    await w.openTicket({ name: 'Alpha' }),
    await w.openTicket({ name: 'Bravo' }),
    await w.openTicket({ name: 'Charlie', client_priority: '2' }),
    await w.openTicket({ name: 'Delta' }),
  ];
  const e = ok(
    await w.run(w.as.bob, 'clientticket.edit', {
      name: 'Echo',
      message: 'hello',
      client_department: String(w.ids.support.id),
      client_priority: '0',
      sok: 'ok',
    }),
  ).id as number;
  await w.run(w.as.root, 'ticket.delete', { elid: String(d), sok: 'ok' });
  return { a, b, c, d, e };
}

describe('ticket', () => {
  it('lists open tickets by queue weight with the spec columns', async () => {
    const { a, b, c, e } = await five();
    const rows = list(await w.run(w.as.admin, 'ticket')).rows;
    expect(rows.map((r) => r.id)).toEqual([c, a, b, e]);
    expect(rows[0]).toMatchObject({
      name: 'Charlie',
      client: 'ACME Ltd',
      project: 'Hosting Co',
      department: 'Support',
      responsible: 'Support',
      priority: '2',
      tstatus: '0',
      unread: true,
      favorite: false,
      delay: '0d+00:00',
    });
    expect(firstOf(rows).deadline).toEqual(new Date('2026-03-02T11:00:00Z'));
  });

  it('pages and sorts with p_num, p_cnt, p_sort and p_order', async () => {
    const { a, b, c, e } = await five();
    const page = list(
      await w.run(w.as.admin, 'ticket', { p_sort: 'name', p_order: 'asc', p_cnt: '3', p_num: '2' }),
    );
    expect(page.page).toEqual({ num: 2, cnt: 3, elems: 4, sort: 'name', order: 'asc' });
    expect(page.rows.map((r) => r.id)).toEqual([e]);
    expect(await ids({ p_sort: 'name', p_order: 'desc' })).toEqual([e, c, b, a]);
    // A page past the end shows the last one; nonsense falls back to the defaults.
    expect(list(await w.run(w.as.admin, 'ticket', { p_cnt: '3', p_num: '99' })).page.num).toBe(2);
    const odd = list(
      await w.run(w.as.admin, 'ticket', { p_sort: 'nope', p_order: 'up', p_cnt: 'x', p_num: '-1' }),
    );
    expect(odd.page).toEqual({ num: 1, cnt: 30, elems: 4, sort: 'queue', order: 'desc' });
  });

  it('filters inline with filter=on and a column', async () => {
    const { a, b, c, e } = await five();
    expect(await ids({ filter: 'on', client: 'globex' })).toEqual([e]);
    expect(await ids({ filter: 'on', priority: '2' })).toEqual([c]);
    expect(await ids({ filter: 'on', name: 'a', p_sort: 'name', p_order: 'asc' })).toEqual([a, b, c]);
    expect(await ids({ filter: 'on', unread: 'off' })).toEqual([]);
    // Without filter=on the columns are no filter.
    expect(await ids({ client: 'globex' })).toHaveLength(4);
  });

  it('inline filters reach statuses outside the default view and every column', async () => {
    const { a, b, c, d, e } = await five();
    expect(await ids({ filter: 'on', tstatus: '3' })).toEqual([d]);
    expect(await ids({ filter: 'on', tstatus: '1' })).toEqual([]);
    expect(await ids({ filter: 'on', tstatus: '0', p_sort: 'id', p_order: 'asc' })).toEqual([a, b, c, e]);
    expect(await ids({ filter: 'on', id: String(d) })).toEqual([]);
    expect(await ids({ filter: 'on', id: String(d), tstatus: '3' })).toEqual([d]);
    expect(await ids({ filter: 'on', highpriority: 'off', client_priority: '2' })).toEqual([c]);
    expect(await ids({ filter: 'on', deadline: '2026-03-02 11:00' })).toEqual([c]);
    expect(
      await ids({ filter: 'on', department: 'supp', responsible: 'support', project: 'hosting' }),
    ).toHaveLength(4);
    expect(await ids({ filter: 'on', queue: 'x' })).toEqual([]);
  });

  it('object prototype names are no columns', async () => {
    await five();
    for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(await ids({ filter: 'on', [key]: 'x' })).toHaveLength(4);
      const sorted = list(await w.run(w.as.admin, 'ticket', { p_sort: key }));
      expect(sorted.page.sort).toBe('queue');
    }
  });
});

describe('ticket.filter and ticket.setfilter', () => {
  it('saves a filter that every listing applies until reset', async () => {
    const { a, b, c, d, e } = await five();
    ok(await w.run(w.as.admin, 'ticket.filter', { tstatus: '3', sok: 'ok' }));
    expect(await ids()).toEqual([d]);
    expect(form(await w.run(w.as.admin, 'ticket.filter')).fields).toEqual({ tstatus: '3' });
    // Another staff member's list is theirs.
    expect(list(await w.run(w.as.root, 'ticket')).rows).toHaveLength(4);
    ok(await w.run(w.as.admin, 'ticket.filter', { name: 'ha', priority: '2', sok: 'ok' }));
    expect(await ids()).toEqual([c]);
    ok(await w.run(w.as.admin, 'ticket.filter', { client: `${w.ids.globex.id}`, sok: 'ok' }));
    expect(await ids()).toEqual([e]);
    ok(await w.run(w.as.admin, 'ticket.filter', { reset: 'on' }));
    expect(form(await w.run(w.as.admin, 'ticket.filter')).fields).toEqual({});
    expect((await ids()).sort()).toEqual([a, b, c, e].sort());
  });

  it('filters by flags: favorites, high priority, abuse, unread', async () => {
    const { a, b, c } = await five();
    await w.run(w.as.admin, 'ticket.favorite', { elid: String(a), sok: 'ok' });
    await w.run(w.as.admin, 'ticket.edit', { elid: String(b), high_priority: 'on', sok: 'ok' });
    await w.run(w.as.root, 'ticket.edit', { elid: String(c), show_abuse: 'on', score: '1', sok: 'ok' });
    const only = async (flag: string) => {
      await w.run(w.as.admin, 'ticket.filter', { [flag]: 'on', sok: 'ok' });
      return ids();
    };
    expect(await only('favorite')).toEqual([a]);
    expect(await only('highpriority')).toEqual([b]);
    expect(await only('abuse')).toEqual([c]);
    // Opening B (the form) marks it read for the admin.
    await w.run(w.as.admin, 'ticket.edit', { elid: String(b) });
    expect(await only('unread')).not.toContain(b);
  });

  it('refuses bad filter values without changing the saved filter', async () => {
    await w.run(w.as.admin, 'ticket.filter', { tstatus: '2', sok: 'ok' });
    await refused(w.run(w.as.admin, 'ticket.filter', { tstatus: '4', sok: 'ok' }), 'value', 'tstatus');
    await refused(w.run(w.as.admin, 'ticket.filter', { client: '1,x', sok: 'ok' }), 'value', 'client');
    await refused(
      w.run(w.as.admin, 'ticket.filter', { favorite: 'perhaps', sok: 'ok' }),
      'value',
      'favorite',
    );
    expect(form(await w.run(w.as.admin, 'ticket.filter')).fields).toEqual({ tstatus: '2' });
  });

  it('ticket.setfilter replaces the client condition and keeps the rest', async () => {
    const { c, d, e } = await five();
    await w.run(w.as.admin, 'ticket.filter', { priority: '2', sok: 'ok' });
    ok(await w.run(w.as.admin, 'ticket.setfilter', { elid: String(w.ids.acme.id) }));
    expect(form(await w.run(w.as.admin, 'ticket.filter')).fields).toEqual({
      priority: '2',
      client: String(w.ids.acme.id),
    });
    expect(await ids()).toEqual([c]);
    ok(await w.run(w.as.admin, 'ticket.setfilter', { elid: String(w.ids.globex.id) }));
    expect(await ids()).toEqual([]);
    await w.run(w.as.admin, 'ticket.filter', { reset: 'on' });
    ok(await w.run(w.as.admin, 'ticket.setfilter', { elid: `${w.ids.globex.id}, ${w.ids.acme.id}` }));
    expect(await ids()).toHaveLength(4);
    expect(await ids()).toContain(e);
    expect(await ids()).not.toContain(d);
    await refused(w.run(w.as.admin, 'ticket.setfilter', { elid: '404' }), 'missed', 'elid');
    await refused(w.run(w.as.admin, 'ticket.setfilter', {}), 'missed', 'elid');
  });
});

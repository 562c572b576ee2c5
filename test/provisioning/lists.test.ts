import { describe, expect, it } from 'vitest';
import { clients, staffDepartments, users } from '../../db/schema.ts';
import { list } from '../functions/support.ts';
import { useTestWorld } from '../helpers/setup.ts';

const { db, w } = useTestWorld();

/** Client accounts put in directly: the list is under test, not `account.edit`. */
async function addAccounts(values: { name: string; balance?: string; attitude?: number }[]) {
  const rows = await db.db
    .insert(clients)
    .values(values.map((v) => ({ ...v, providerId: w.ids.provider.id })))
    .returning({ id: clients.id, name: clients.name });
  return new Map(rows.map((r) => [r.name, r.id]));
}

const ids = (rows: { id?: unknown }[]) => rows.map((r) => r.id);

describe('provisioning lists page, sort and filter in SQL', () => {
  it('account: a filtered page sorted by name past the first pages', async () => {
    // 45 that the filter finds, some in capitals (case only breaks ties), between others it must skip.
    const names = Array.from({ length: 45 }, (_, i) => {
      const n = String(i + 1).padStart(2, '0');
      return i % 7 === 3 ? `PAGING ${n}` : `Paging ${n}`;
    });
    const made = await addAccounts(
      names.flatMap((name, i) => [{ name }, { name: `Other ${String(i).padStart(2, '0')}` }]),
    );
    const id = (n: number) => made.get(names[n - 1] as string);
    const asked = { filter: 'on', name: 'aGiN', p_sort: 'name', p_order: 'desc', p_cnt: '20' };

    const third = list(await w.run(w.as.root, 'account', { ...asked, p_num: '3' }));
    expect(ids(third.rows)).toEqual([5, 4, 3, 2, 1].map(id));
    expect(third.page).toEqual({ num: 3, cnt: 20, elems: 45, sort: 'name', order: 'desc' });

    const second = list(await w.run(w.as.root, 'account', { ...asked, p_num: '2' }));
    expect(ids(second.rows)).toEqual(Array.from({ length: 20 }, (_, i) => id(25 - i)));

    // Past the last page is the last page; without a sort, by id.
    const past = list(await w.run(w.as.root, 'account', { ...asked, p_num: '9' }));
    expect(past.page.num).toBe(3);
    const byId = list(await w.run(w.as.root, 'account', { filter: 'on', name: 'paging 4', p_cnt: '20' }));
    expect(ids(byId.rows)).toEqual([40, 41, 42, 43, 44, 45].map(id));
  });

  it('account: money sorts by amount and is found as shown; attitude is found by its code', async () => {
    const made = await addAccounts([
      { name: 'Money a', balance: '100', attitude: -1 },
      { name: 'Money b', balance: '-20.5', attitude: 1 },
      { name: 'Money c', balance: '9.99', attitude: 0 },
    ]);
    const [a, b, c] = ['Money a', 'Money b', 'Money c'].map((n) => made.get(n));
    const rich = list(
      await w.run(w.as.root, 'account', { filter: 'on', name: 'money', p_sort: 'balance', p_order: 'desc' }),
    );
    expect(rich.rows.map((r) => [r.id, r.balance])).toEqual([
      [a, '100.00'],
      [c, '9.99'],
      [b, '-20.50'],
    ]);
    const found = (params: Record<string, string>) =>
      w.run(w.as.root, 'account', { filter: 'on', name: 'money', ...params }).then((r) => ids(list(r).rows));
    expect(await found({ balance: '20.5' })).toEqual([b]);
    expect(await found({ attitude: '1' })).toEqual([b]);
    expect(await found({ attitude: '-1' })).toEqual([a]);
  });

  it('user and admin: the joined and computed columns filter and sort too', async () => {
    const made = await addAccounts([{ name: 'People Inc' }]);
    const acc = made.get('People Inc') as number;
    const people = await db.db
      .insert(users)
      .values(
        ['zed', 'amy', 'kim'].map((login) => ({ login, name: login, level: 'user' as const, clientId: acc })),
      )
      .returning({ id: users.id, login: users.login });
    const byLogin = new Map(people.map((p) => [p.login, p.id]));
    const mine = list(await w.run(w.as.root, 'user', { account: String(acc), p_sort: 'login' }));
    expect(ids(mine.rows)).toEqual(['amy', 'kim', 'zed'].map((l) => byLogin.get(l)));
    const withM = list(await w.run(w.as.root, 'user', { filter: 'on', login: 'M', p_order: 'desc' }));
    expect(ids(withM.rows)).toEqual(['kim', 'amy'].map((l) => byLogin.get(l)));
    expect(mine.rows[0]).toMatchObject({ account: 'People Inc', account_id: acc, password: false });

    // The world's admin works support already.
    await db.db.insert(staffDepartments).values({ userId: w.ids.admin.id, departmentId: w.ids.paid.id });
    const worked = [w.ids.support.id, w.ids.paid.id].sort((x, y) => x - y).join(', ');
    const staff = list(await w.run(w.as.root, 'admin', { filter: 'on', departments: worked }));
    expect(staff.rows.map((r) => [r.id, r.departments])).toEqual([[w.ids.admin.id, worked]]);
  });
});

import type { Db } from '../../db/client.ts';
import { exactly, one } from '../../db/rows.ts';
import { clients, departments, providers, services, staffDepartments, users } from '../../db/schema.ts';
import { call } from '../../src/functions/registry.ts';
import type { Deps, Result, Session } from '../../src/functions/types.ts';

export const WEEKDAYS_9_TO_18 = {
  timezone: 'Europe/Berlin',
  days: [1, 2, 3, 4, 5],
  start: '09:00',
  end: '18:00',
  holidays: [],
};

/**
 * A small world for function tests: one provider with a free and a paid department, a root and an
 * admin, two clients with a user each. The clock is controlled: `clock.set()` moves it.
 */
export async function makeWorld(db: Db, start = new Date('2026-03-02T10:00:00Z')) {
  let now = start;
  const clock = {
    now: () => now,
    set: (d: Date) => (now = d),
    advance: (ms: number) => (now = new Date(now.getTime() + ms)),
  };
  const provider = one(await db.insert(providers).values({ name: 'Hosting Co' }).returning(), 'provider');
  const other = one(await db.insert(providers).values({ name: 'Other Co' }).returning(), 'provider');
  const [support, paid, foreign] = exactly(
    await db
      .insert(departments)
      .values([
        {
          providerId: provider.id,
          name: 'Support',
          regulation: { '0': 480, '1': 240, '2': 60 },
          calendar: WEEKDAYS_9_TO_18,
        },
        {
          providerId: provider.id,
          name: 'Premium',
          regulation: { '0': 120, '1': 60, '2': 30 },
          calendar: WEEKDAYS_9_TO_18,
          paidSupport: true,
          incidentPrice: '15.00',
        },
        {
          providerId: other.id,
          name: 'Elsewhere',
          regulation: { '0': 60, '1': 60, '2': 60 },
          calendar: WEEKDAYS_9_TO_18,
        },
      ])
      .returning(),
    3,
    'department',
  );
  const [acme, globex] = exactly(
    await db
      .insert(clients)
      .values([
        { name: 'ACME Ltd', providerId: provider.id, balance: '100.00' },
        { name: 'Globex', providerId: provider.id, balance: '5.00' },
      ])
      .returning(),
    2,
    'client',
  );
  const [root, admin, alice, bob] = exactly(
    await db
      .insert(users)
      .values([
        { login: 'root', name: 'Rita Root', level: 'root' },
        { login: 'admin', name: 'Adam Admin', level: 'admin', timezone: 'Europe/Berlin' },
        { login: 'alice', name: 'Alice Acme', level: 'user', clientId: acme.id },
        { login: 'bob', name: 'Bob Globex', level: 'user', clientId: globex.id },
      ])
      .returning(),
    4,
    'user',
  );
  await db.insert(staffDepartments).values([{ userId: admin.id, departmentId: support.id }]);
  const server = one(
    await db.insert(services).values({ clientId: acme.id, name: 'VPS-1', productType: 'vds' }).returning(),
    'service',
  );
  const deps: Deps = { db, now: clock.now, settings: { lockMinutes: 30 } };
  const session = (u: typeof root): Session => ({
    userId: u.id,
    login: u.login,
    level: u.level,
    clientId: u.clientId ?? undefined,
    via: 'test',
  });
  const as = {
    root: session(root),
    admin: session(admin),
    alice: session(alice),
    bob: session(bob),
  };
  const run = (who: Session, name: string, params: Record<string, string> = {}): Promise<Result> =>
    call(deps, who, name, params);
  /** Alice opens a ticket in Support and returns its id. */
  const openTicket = async (params: Record<string, string> = {}) => {
    const r = await run(as.alice, 'clientticket.edit', {
      name: 'Server down',
      message: 'My VPS does not boot',
      client_department: String(support.id),
      sok: 'ok',
      ...params,
    });
    if (r.kind !== 'ok' || !r.id) throw new Error('ticket not created');
    return r.id;
  };
  return {
    clock,
    deps,
    as,
    run,
    openTicket,
    ids: { provider, other, support, paid, foreign, acme, globex, root, admin, alice, bob, server },
  };
}

export type World = Awaited<ReturnType<typeof makeWorld>>;

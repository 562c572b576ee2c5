import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, departments, staffDepartments, tickets, users } from '../../db/schema.ts';
import { verifyPassword } from '../../src/passwords.ts';
import { footprint, form, list, ok, refused } from '../functions/support.ts';
import { firstOf, one, present } from '../helpers/rows.ts';
import { useTestWorld } from '../helpers/setup.ts';

const { db, w } = useTestWorld();

const userRow = async (id: number | undefined) =>
  one(
    await db.db
      .select()
      .from(users)
      .where(eq(users.id, present(id, 'a user id'))),
    'user',
  );

describe('provisioning functions', () => {
  it('are for roots only, and a refusal writes nothing', async () => {
    const before = await footprint(db.db);
    for (const name of [
      'project',
      'department.edit',
      'account.delete',
      'user',
      'admin.edit',
      'ticket.import',
    ])
      await refused(w.run(w.as.admin, name, { name: 'x', sok: 'ok' }), 'access', name);
    await refused(w.run(w.as.alice, 'account', {}), 'access', 'account');
    expect(await footprint(db.db)).toEqual(before);
  });

  it('build a company: provider, department, client account, client user, staff; each audited', async () => {
    const provider = ok(await w.run(w.as.root, 'project.edit', { name: 'Fresh Hosting', sok: 'ok' })).id;
    const dep = ok(
      await w.run(w.as.root, 'department.edit', {
        name: 'Sales',
        project: String(provider),
        staff_only: 'on',
        paid_support: 'on',
        incident_price: '12.50',
        sok: 'ok',
      }),
    ).id;
    const acc = ok(
      await w.run(w.as.root, 'account.edit', {
        name: 'Wayne Corp',
        project: String(provider),
        balance: '-20.5',
        premium: 'on',
        groups: 'vip, resellers',
        attitude: '1',
        incident_count: '3',
        sok: 'ok',
      }),
    ).id;
    const clientUser = ok(
      await w.run(w.as.root, 'user.edit', {
        account: String(acc),
        login: 'bruce',
        name: 'Bruce Wayne',
        email: 'bruce@wayne.example',
        passwd: 'batcave-secret',
        confirm: 'batcave-secret',
        slack_user: 'u0bruce',
        sok: 'ok',
      }),
    ).id;
    const staff = ok(
      await w.run(w.as.root, 'admin.edit', {
        login: 'selina',
        level: 'admin',
        slack_user: 'U0SELINA',
        departments: String(dep),
        sok: 'ok',
      }),
    ).id;

    const deps = list(await w.run(w.as.root, 'department', {})).rows;
    expect(deps.find((d) => d.id === dep)).toMatchObject({
      name: 'Sales',
      project: 'Fresh Hosting',
      staff_only: true,
      paid_support: true,
      incident_price: '12.50',
    });
    const accounts = list(await w.run(w.as.root, 'account', {})).rows;
    expect(accounts.find((a) => a.id === acc)).toMatchObject({
      name: 'Wayne Corp',
      balance: '-20.50',
      premium: true,
      groups: 'vip, resellers',
      attitude: '1',
      incident_count: 3,
    });
    const people = list(await w.run(w.as.root, 'user', { account: String(acc) })).rows;
    expect(people).toEqual([
      expect.objectContaining({
        id: clientUser,
        login: 'bruce',
        email: 'bruce@wayne.example',
        slack_user: 'U0BRUCE',
        password: true,
        account: 'Wayne Corp',
      }),
    ]);
    const staffRows = list(await w.run(w.as.root, 'admin', {})).rows;
    expect(staffRows.find((s) => s.id === staff)).toMatchObject({
      login: 'selina',
      name: 'selina',
      level: 'admin',
      departments: String(dep),
      password: false,
    });
    // The password works and is never shown, nor kept in the audit log.
    expect(await verifyPassword('batcave-secret', (await userRow(clientUser)).passwordHash)).toBe(true);
    const shown = JSON.stringify([
      people,
      form(await w.run(w.as.root, 'user.edit', { elid: String(clientUser) })),
    ]);
    expect(shown).not.toMatch(/batcave|scrypt/);
    const audit = await db.db.select().from(auditLog);
    expect(audit.map((a) => a.func)).toEqual([
      'project.edit',
      'department.edit',
      'account.edit',
      'user.edit',
      'admin.edit',
    ]);
    expect(JSON.stringify(audit)).not.toContain('batcave');
  });

  it('edit in place, and a password is changed only when given', async () => {
    const alice = String(w.ids.alice.id);
    ok(await w.run(w.as.root, 'user.edit', { elid: alice, passwd: 'first-password', sok: 'ok' }));
    ok(await w.run(w.as.root, 'user.edit', { elid: alice, name: 'Alice A.', sok: 'ok' }));
    const row = await userRow(w.ids.alice.id);
    expect(row.name).toBe('Alice A.');
    expect(await verifyPassword('first-password', row.passwordHash)).toBe(true);
    await refused(
      w.run(w.as.root, 'user.edit', { elid: alice, passwd: 'second-password', confirm: 'typo', sok: 'ok' }),
      'value',
      'confirm',
    );
    ok(await w.run(w.as.root, 'user.edit', { elid: alice, no_password: 'on', sok: 'ok' }));
    expect((await userRow(w.ids.alice.id)).passwordHash).toBeNull();
  });

  it('refuse a duplicate login and a Slack account linked elsewhere with `exists`', async () => {
    const before = await footprint(db.db);
    const e = await refused(w.run(w.as.root, 'admin.edit', { login: 'alice', sok: 'ok' }), 'exists', 'login');
    expect(e.message).toContain('alice');
    ok(
      await w.run(w.as.root, 'admin.edit', { elid: String(w.ids.admin.id), slack_user: 'U0ADAM', sok: 'ok' }),
    );
    const linked = await refused(
      w.run(w.as.root, 'user.edit', { elid: String(w.ids.bob.id), slack_user: 'U0ADAM', sok: 'ok' }),
      'exists',
      'slack_user',
    );
    expect(linked.message).toBe('Slack user U0ADAM is already linked to admin');
    expect((await footprint(db.db)).audit).toBe(before.audit + 1);
  });

  it('never turn a staff id into a client user or the reverse', async () => {
    await refused(w.run(w.as.root, 'user.edit', { elid: String(w.ids.admin.id) }), 'missed', 'elid');
    await refused(w.run(w.as.root, 'admin.edit', { elid: String(w.ids.bob.id) }), 'missed', 'elid');
  });

  it('refuse deleting a department with open tickets, and disable one whose tickets are closed', async () => {
    const id = await w.openTicket();
    const support = String(w.ids.support.id);
    const e = await refused(
      w.run(w.as.root, 'department.delete', { elid: support, sok: 'ok' }),
      'value',
      'elid',
    );
    expect(e.message).toBe(
      'Department Support has 1 open ticket(s); close them or move them to another department first',
    );
    ok(await w.run(w.as.admin, 'ticket.delete', { elid: String(id), sok: 'ok' }));
    ok(await w.run(w.as.root, 'department.delete', { elid: support, sok: 'ok' }));
    const dep = firstOf(await db.db.select().from(departments).where(eq(departments.id, w.ids.support.id)));
    expect(dep.disabled).toBe(true);
    // History stays: the ticket still names its department.
    const t = firstOf(await db.db.select().from(tickets).where(eq(tickets.id, id)));
    expect(t.departmentId).toBe(w.ids.support.id);
  });

  it("keep staff-only and deleted departments out of clients' choice", async () => {
    const support = String(w.ids.support.id);
    ok(await w.run(w.as.root, 'department.edit', { elid: support, staff_only: 'on', sok: 'ok' }));
    const choice = form(await w.run(w.as.alice, 'clientticket.edit', {})).options?.client_department ?? [];
    expect(choice.map((o) => o.key)).toEqual([String(w.ids.paid.id)]);
    const e = await refused(w.openTicket(), 'value', 'client_department');
    expect(e.message).toBe('Department Support does not take tickets from clients');
    ok(await w.run(w.as.root, 'department.delete', { elid: String(w.ids.paid.id) }));
    expect(form(await w.run(w.as.alice, 'clientticket.edit', {})).options?.client_department).toEqual([]);
  });

  it('disable an account with its users, keep at least one root, and never let a root delete itself', async () => {
    ok(await w.run(w.as.root, 'account.delete', { elid: String(w.ids.acme.id), sok: 'ok' }));
    expect((await userRow(w.ids.alice.id)).disabled).toBe(true);
    await refused(w.run(w.as.root, 'admin.delete', { elid: String(w.ids.root.id) }), 'value', 'elid');
    ok(await w.run(w.as.root, 'admin.edit', { elid: String(w.ids.admin.id), level: 'root', sok: 'ok' }));
    ok(await w.run(w.as.root, 'admin.delete', { elid: String(w.ids.admin.id) }));
    await refused(
      w.run(w.as.root, 'admin.edit', { elid: String(w.ids.root.id), level: 'admin', sok: 'ok' }),
      'value',
      'elid',
    );
  });

  it('update instead of duplicating when given an external id imported before', async () => {
    const project = String(w.ids.provider.id);
    const params = { external_id: 'bm.example#7', name: 'Old name', project, sok: 'ok' };
    const first = ok(await w.run(w.as.root, 'account.edit', params)).id;
    const again = ok(await w.run(w.as.root, 'account.edit', { ...params, name: 'New name' })).id;
    expect(again).toBe(first);
    const named = list(await w.run(w.as.root, 'account', {})).rows.filter((r) => r.id === first);
    expect(named).toEqual([expect.objectContaining({ name: 'New name' })]);
  });
});

describe('department rights in the staff queue', () => {
  it('an admin sees the departments they work, a root sees all', async () => {
    const mine = await w.openTicket();
    const paidTicket = await w.run(w.as.root, 'ticket.edit', {
      elid: String(mine),
      client_department: String(w.ids.paid.id),
      sok: 'ok',
    });
    ok(paidTicket);
    const other = await w.openTicket({ name: 'Still in Support' });
    const seen = async (who: typeof w.as.root) =>
      list(await w.run(who, 'ticket', {}))
        .rows.map((r) => r.id)
        .sort();
    expect(await seen(w.as.root)).toEqual([mine, other].sort());
    expect(await seen(w.as.admin)).toEqual([other]);
    // Given the paid department too, the admin sees both.
    ok(
      await w.run(w.as.root, 'admin.edit', {
        elid: String(w.ids.admin.id),
        departments: `${w.ids.support.id}, ${w.ids.paid.id}`,
        sok: 'ok',
      }),
    );
    expect(await seen(w.as.admin)).toEqual([mine, other].sort());
    ok(
      await w.run(w.as.root, 'admin.edit', { elid: String(w.ids.admin.id), departments: 'none', sok: 'ok' }),
    );
    expect(await db.db.select().from(staffDepartments)).toEqual([]);
    expect(await seen(w.as.admin)).toEqual([]);
  });
});

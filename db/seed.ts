import { eq } from 'drizzle-orm';
import { call } from '../src/functions/registry.ts';
import type { Deps, Session } from '../src/functions/types.ts';
import { hashPassword } from '../src/passwords.ts';
import type { Db } from './client.ts';
import { at, exactly, one } from './rows.ts';
import { clients, departments, providers, services, staffDepartments, type User, users } from './schema.ts';

/** Demo logins, listed in the README. Every demo password is `demo`. */
export const DEMO_PASSWORD = 'demo';
const BERLIN = {
  timezone: 'Europe/Berlin',
  days: [1, 2, 3, 4, 5],
  start: '09:00',
  end: '18:00',
  holidays: ['2026-12-25', '2026-12-26'],
};
const ALWAYS = { timezone: 'UTC', days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59', holidays: [] };

const SUBJECTS = [
  'Server does not boot',
  'Invoice shows wrong VAT',
  'DNS changes not applied',
  'SSL certificate expired',
  'Mail bounces with 550',
  'Backup restore request',
  'Slow disk I/O on VPS',
  'Cannot log in to the panel',
  'Upgrade plan to 8 GB RAM',
  'Refund for unused days',
  'Spam sent from my account',
  'Port 25 blocked',
  'Reverse DNS for my IP',
  'Kernel panic after update',
  'Domain transfer stuck',
  'Database connection limit',
];

/**
 * Demo data for the sandbox and the benchmarks: two providers, departments with regulations, staff,
 * clients with balances, ~60 tickets in every status. Runs the ticket functions themselves, so the
 * data is what the bot would have made. Idempotent: does nothing if the demo provider exists.
 */
export async function seedDemo(db: Db, now = new Date()): Promise<boolean> {
  const [existing] = await db.select().from(providers).where(eq(providers.name, 'Demo Hosting'));
  if (existing) return false;
  const password = await hashPassword(DEMO_PASSWORD);
  const [demo, partner] = exactly(
    await db
      .insert(providers)
      .values([{ name: 'Demo Hosting' }, { name: 'Partner Cloud' }])
      .returning(),
    2,
    'provider',
  );
  const deps = exactly(
    await db
      .insert(departments)
      .values([
        {
          providerId: demo.id,
          name: 'Technical support',
          regulation: { '0': 480, '1': 240, '2': 60 },
          calendar: BERLIN,
          slackChannel: null,
        },
        {
          providerId: demo.id,
          name: 'Billing',
          regulation: { '0': 960, '1': 480, '2': 120 },
          calendar: BERLIN,
        },
        {
          providerId: demo.id,
          name: 'Priority support',
          regulation: { '0': 120, '1': 60, '2': 30 },
          calendar: ALWAYS,
          paidSupport: true,
          incidentPrice: '25.00',
        },
        {
          providerId: demo.id,
          name: 'Abuse',
          regulation: { '0': 1440, '1': 720, '2': 240 },
          calendar: ALWAYS,
        },
        {
          providerId: partner.id,
          name: 'Partner support',
          regulation: { '0': 480, '1': 240, '2': 120 },
          calendar: BERLIN,
        },
      ])
      .returning(),
    5,
    'department',
  );
  const staff = exactly(
    await db
      .insert(users)
      .values([
        {
          login: 'root',
          name: 'Rosa Root',
          level: 'root' as const,
          passwordHash: password,
          timezone: 'Europe/Berlin',
        },
        {
          login: 'anna',
          name: 'Anna Support',
          level: 'admin' as const,
          passwordHash: password,
          timezone: 'Europe/Berlin',
        },
        {
          login: 'boris',
          name: 'Boris Billing',
          level: 'admin' as const,
          passwordHash: password,
          timezone: 'Europe/Berlin',
        },
      ])
      .returning(),
    3,
    'staff',
  );
  await db
    .insert(staffDepartments)
    .values([
      ...deps.map((d) => ({ userId: staff[0].id, departmentId: d.id })),
      { userId: staff[1].id, departmentId: deps[0].id },
      { userId: staff[1].id, departmentId: deps[2].id },
      { userId: staff[2].id, departmentId: deps[1].id },
    ]);
  const accounts = await db
    .insert(clients)
    .values([
      {
        name: 'ACME Ltd',
        providerId: demo.id,
        balance: '250.00',
        premium: true,
        attitude: 1,
        groups: ['resellers'],
      },
      { name: 'Globex', providerId: demo.id, balance: '40.00', incidents: 2 },
      { name: 'Initech', providerId: demo.id, balance: '5.00', attitude: -1 },
      { name: 'Umbrella', providerId: demo.id, balance: '1200.00', groups: ['enterprise'] },
      { name: 'Hooli', providerId: demo.id, balance: '0.00' },
      { name: 'Stark Partners', providerId: partner.id, balance: '75.00' },
    ])
    .returning();
  const clientUsers: User[] = [];
  for (const [i, account] of accounts.entries()) {
    const [first = account.name] = account.name.split(' ');
    const login = first.toLowerCase();
    const rows = await db
      .insert(users)
      .values({
        login,
        name: `${first} Admin`,
        level: 'user',
        clientId: account.id,
        passwordHash: password,
      })
      .returning();
    clientUsers.push(one(rows, 'client user'));
    await db.insert(services).values([
      { clientId: account.id, name: `vps-${100 + i}.demo`, productType: 'vds' },
      { clientId: account.id, name: `${login}.example`, productType: 'domain' },
    ]);
  }

  // Tickets are written with the clock set back in time, so their waits and deadlines look lived-in.
  let clock = new Date(now.getTime() - 6 * 86_400_000);
  const env: Deps = { db, now: () => clock, settings: { lockMinutes: 30 } };
  const as = (u: User): Session => ({
    userId: u.id,
    login: u.login,
    level: u.level,
    clientId: u.clientId ?? undefined,
    via: 'seed',
  });
  const [root, anna, boris] = [as(staff[0]), as(staff[1]), as(staff[2])];
  const run = (who: Session, name: string, params: Record<string, string>) => call(env, who, name, params);
  for (let i = 0; i < 60; i++) {
    clock = new Date(clock.getTime() + 2.2 * 3_600_000);
    const k = i % accounts.length;
    const user = as(at(clientUsers, k, 'client user'));
    const own = at([0, 0, 1, 0, 3], i % 5, 'department of the cycle');
    const dep = at(accounts, k, 'client').providerId === partner.id ? deps[4] : at(deps, own, 'department');
    const subject = at(SUBJECTS, i % SUBJECTS.length, 'subject');
    const made = await run(user, 'clientticket.edit', {
      name: subject,
      message: `Hello,\n\n${subject} since this morning. **Please help.**`,
      client_department: String(dep.id),
      client_priority: String(i % 3),
      sok: 'ok',
    });
    if (made.kind !== 'ok' || !made.id) throw new Error('seed: ticket not created');
    const elid = String(made.id);
    const staffer = dep.name === 'Billing' ? boris : anna;
    const stage = i % 6; // 0 new, 1 under review, 2 answered, 3 client replied again, 4 closed, 5 archived
    if (stage >= 1) await run(staffer, 'ticket.edit', { elid });
    if (stage >= 2) {
      await run(staffer, 'ticket.edit', {
        elid,
        note_message: 'Checked the logs, see monitoring.',
        sok: 'ok',
      });
      await run(staffer, 'ticket.edit', {
        elid,
        message: 'Thanks, we are looking into it. Could you send the exact error?',
        sok: 'ok',
      });
    }
    if (stage >= 3)
      await run(user, 'clientticket.edit', { elid, message: 'Here it is: `error 0x1F`', sok: 'ok' });
    if (stage >= 4) await run(staffer, 'ticket.delete', { elid, sok: 'ok' });
    if (stage === 5) await run(user, 'clientticket.archive', { elid, sok: 'ok' });
    if (i % 7 === 0) await run(anna, 'ticket.favorite', { elid, sok: 'ok' });
    if (i % 9 === 0 && stage < 4) await run(root, 'ticket.edit', { elid, high_priority: 'on', sok: 'ok' });
  }
  clock = new Date(now.getTime() - 10 * 60_000);
  // A locked ticket (Anna has it open), a hidden message, and an abuse case.
  const open = await run(as(at(clientUsers, 2, 'client user')), 'clientticket.edit', {
    name: 'Site hacked?',
    message: 'Our homepage shows ads we did not add.',
    client_department: String(deps[0].id),
    sok: 'ok',
  });
  if (open.kind === 'ok' && open.id) {
    await run(anna, 'ticket.edit', { elid: String(open.id) });
    const spam = await run(as(at(clientUsers, 2, 'client user')), 'clientticket.edit', {
      elid: String(open.id),
      message: 'Call me at +1 555 0100, password is hunter2',
      sok: 'ok',
    });
    if (spam.kind === 'ok') {
      const msgs = await run(anna, 'ticket.message', { elid: String(open.id) });
      const last = msgs.kind === 'list' ? msgs.rows.at(-1)?.id : undefined;
      if (last)
        await run(anna, 'ticket.message.delete', { plid: String(open.id), elid: String(last), sok: 'ok' });
    }
  }
  const abuse = await run(as(at(clientUsers, 4, 'client user')), 'clientticket.edit', {
    name: 'Why is my server blocked?',
    message: 'You blocked port 25 for no reason.',
    client_department: String(deps[3].id),
    sok: 'ok',
  });
  if (abuse.kind === 'ok' && abuse.id) {
    await run(root, 'ticket.edit', {
      elid: String(abuse.id),
      show_abuse: 'on',
      score: '40',
      score_note: 'Outgoing spam, 12k messages',
      action: 'warn',
      sok: 'ok',
    });
  }
  return true;
}

// `npm run seed`: the configured database.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { loadConfig } = await import('../src/config.ts');
  const { openDb } = await import('./client.ts');
  const config = loadConfig();
  const handle = await openDb(
    config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : { dataDir: config.DATA_DIR },
  );
  try {
    const made = await seedDemo(handle.db);
    console.log(made ? 'Demo data created.' : 'Demo data already present; nothing to do.');
  } finally {
    await handle.close();
  }
}

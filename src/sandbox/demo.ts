import { eq, inArray } from 'drizzle-orm';
import { clients, departments, providers, users } from '../../db/schema.ts';
import { seedDemo } from '../../db/seed.ts';
import { call } from '../functions/registry.ts';
import type { Deps, Session } from '../functions/types.ts';
import { log } from '../log.ts';
import { setDepartmentChannel } from '../slack-store/cards.ts';
import { bindClientChannel } from '../slack-store/identity.ts';
import type { WebApi } from './web-api-server.ts';

/** The people the page lets a visitor be; `login` is the demo account each is linked to. */
export const PEOPLE = [
  { id: 'UROSA', name: 'Rosa Root', role: 'root', login: 'root', tz: 'Europe/Berlin' },
  { id: 'UANNA', name: 'Anna Support', role: 'staff', login: 'anna', tz: 'Europe/Berlin' },
  {
    id: 'UGINA',
    name: 'Gina Globex',
    role: 'client user (Globex, linked)',
    login: 'globex',
    tz: 'Europe/Berlin',
  },
  {
    id: 'UALEX',
    name: 'Alex Acme',
    role: 'external, Slack Connect (ACME Ltd)',
    tz: 'America/New_York',
    team_id: 'T0ACME',
    is_stranger: true,
  },
] as const;

const STAFF = ['UROSA', 'UANNA'];

/** The workspace's channels: one per demo department, and ACME's Slack Connect channel. */
export const CHANNELS = [
  { id: 'CTECH', name: 'tech-support', department: 'Technical support', members: STAFF },
  { id: 'CBILLING', name: 'billing', department: 'Billing', members: STAFF },
  { id: 'CPRIORITY', name: 'priority-support', department: 'Priority support', members: STAFF },
  { id: 'CABUSE', name: 'abuse', department: 'Abuse', members: STAFF },
  { id: 'CACME', name: 'acme-support', client: 'ACME Ltd', members: [...STAFF, 'UALEX'], team: 'T0ACME' },
] as const;

/** The sandbox workspace's people and channels (in memory: Slack's side, made at every start). */
export function populateWorkspace(web: WebApi): void {
  for (const p of PEOPLE) web.addUser({ ...p, real_name: p.name });
  for (const c of CHANNELS)
    web.addChannel(c.id, {
      name: c.name,
      members: ['UBOT', ...c.members],
      shared_team_ids: 'team' in c ? [c.team] : [],
    });
}

/**
 * On an empty database: the demo data, wired to the sandbox workspace as an operator would from
 * Slack: staff and the Globex user linked, department channels chosen, ACME's channel bound, and
 * Technical support with on-call paging and a 09:00 digest so scheduled work shows.
 */
export async function loadDemo(deps: Deps): Promise<boolean> {
  const [anyProvider] = await deps.db.select({ id: providers.id }).from(providers).limit(1);
  if (anyProvider) return false;
  await seedDemo(deps.db, deps.now());
  for (const p of PEOPLE) {
    if ('login' in p) await deps.db.update(users).set({ slackUserId: p.id }).where(eq(users.login, p.login));
  }
  const departmentRows = await deps.db
    .select({ id: departments.id, name: departments.name })
    .from(departments)
    .where(
      inArray(
        departments.name,
        CHANNELS.flatMap((c) => ('department' in c ? [c.department] : [])),
      ),
    );
  for (const c of CHANNELS) {
    if ('department' in c) {
      const dep = departmentRows.find((d) => d.name === c.department);
      if (dep) await setDepartmentChannel(deps, dep.id, c.id);
    } else {
      const [client] = await deps.db.select().from(clients).where(eq(clients.name, c.client));
      if (client) await bindClientChannel(deps.db, client.id, c.id, c.team);
    }
  }
  const [root] = await deps.db.select().from(users).where(eq(users.login, 'root'));
  const tech = departmentRows.find((d) => d.name === 'Technical support');
  if (root && tech) {
    const session: Session = { userId: root.id, login: root.login, level: 'root', via: 'sandbox' };
    await call(deps, session, 'department.schedule', {
      elid: String(tech.id),
      sok: 'ok',
      // Anna is on call at any hour of the demo; Rosa is the escalation.
      oncall_members: 'UANNA',
      oncall_shift_hours: '24',
      oncall_handover: '09:00',
      oncall_timezone: 'Europe/Berlin',
      // Started yesterday, so the shift is running from the first minute.
      oncall_start: new Date(deps.now().getTime() - 86_400_000).toISOString().slice(0, 10),
      oncall_chain: 'UROSA',
      oncall_ack_minutes: '10',
      digest_time: '09:00',
    });
  }
  log.info('sandbox: demo data loaded and wired to the sandbox workspace');
  return true;
}

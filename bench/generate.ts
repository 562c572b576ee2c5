import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';

/** The shape of a generated installation; `scale(tickets)` derives the rest as a 1M-ticket one has it. */
export interface Scale {
  tickets: number;
  clients: number;
  departments: number;
  staff: number;
  /** Tickets of the one big client. */
  bigClient: number;
  /** Messages of the one long ticket (the big client's newest). */
  longTicket: number;
}

export function scale(tickets: number): Scale {
  return {
    tickets,
    clients: Math.max(50, Math.round(tickets / 50)),
    departments: 30,
    staff: 60,
    bigClient: Math.min(5000, Math.round(tickets / 20)),
    longTicket: 500,
  };
}

/** Ids the benchmarks address: staff members 1 and 4 are roots (every department); client 1 is the big one. */
export const BENCH = {
  staffId: 1,
  bigClientId: 1,
  bigClientUserId: 61,
  department: 7,
  closedRootId: 4,
} as const;

/**
 * Fills an empty database the way years of support look: ~1.5% of tickets open (all among the newest
 * 5%), the rest closed or archived; ages skewed towards now; priorities mostly medium; ~5 messages
 * per ticket (5% internal notes); one client with `bigClient` tickets; one ticket with 500 messages.
 * Set-based SQL (generate_series), so a million tickets take minutes, not hours.
 */
export async function generate(db: Db, s: Scale, now: Date): Promise<void> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const calendar = JSON.stringify({
    timezone: 'Europe/Berlin',
    days: [1, 2, 3, 4, 5],
    start: '09:00',
    end: '18:00',
    holidays: [],
  });
  const steps = [
    sql`insert into providers (id, name) values (1, 'Bench Hosting')`,
    sql`insert into departments (id, provider_id, name, regulation, calendar)
        select g, 1, 'Department ' || g, '{"0": 480, "1": 240, "2": 60}'::jsonb, ${calendar}::jsonb
        from generate_series(1, ${s.departments}) g`,
    sql`insert into clients (id, provider_id, name, premium, attitude)
        select g, 1, 'Client ' || g || ' ' || (array['Ltd','GmbH','Inc','SA','Oy'])[1 + g % 5], g % 20 = 0, g % 3 - 1
        from generate_series(1, ${s.clients}) g`,
    sql`insert into users (id, login, name, level)
        select g, 'staff' || g, 'Staff ' || g, case when g = 1 then 'root' else 'admin' end
        from generate_series(1, ${s.staff}) g`,
    sql`insert into staff_departments (user_id, department_id)
        select u, d from generate_series(1, ${s.staff}) u, generate_series(1, ${s.departments}) d
        where u = 1 or (u + d) % 10 = 0`,
    sql`insert into users (id, login, name, level, client_id)
        select ${s.staff} + g, 'client' || g, 'Client user ' || g, 'user', g from generate_series(1, ${s.clients}) g`,
    // Ticket g: newer with g (age skewed towards now); client 1 owns every k-th one up to bigClient.
    sql`insert into tickets (id, client_id, created_by, department_id, responsible_id, name, status, priority,
                             client_priority, high_priority, waiting_since, deadline, created_at, updated_at)
        select g, c, ${s.staff} + c, 1 + (g * 7 + c) % ${s.departments},
               case when g % 3 = 0 then 1 + g % ${s.staff} end,
               'Ticket ' || g || ': ' || (array['server down','billing question','DNS','SSL renewal','backup restore',
                 'mail delivery','upgrade plan','abuse report'])[1 + g % 8],
               st, pr, pr, g % 50 = 0,
               case when st in (0, 1) then created + interval '5 minutes' end,
               case when st in (0, 1) then created + interval '5 minutes' + (array[480, 240, 60])[pr + 1] * interval '1 minute' end,
               created, least(${at}, created + (g % 240) * interval '1 hour')
        from (
          select g,
                 case when g % ${Math.max(1, Math.floor(s.tickets / s.bigClient))} = 0 and g / ${Math.max(1, Math.floor(s.tickets / s.bigClient))} <= ${s.bigClient}
                      then 1 else 2 + floor((${s.clients} - 1) * power(random(), 2))::int % (${s.clients} - 1) end as c,
                 case when g > ${s.tickets} * 0.95 and random() < 0.3 then g % 3
                      when random() < 0.7 then 3 else 10 end as st,
                 case when random() < 0.6 then 1 when random() < 0.75 then 0 else 2 end as pr,
                 ${at} - interval '5 years' * power((${s.tickets} - g)::float / ${s.tickets}, 2)
                   - (g % 1000) * interval '1 minute' as created
          from generate_series(1, ${s.tickets}) g
        ) x`,
    // ~5 messages per ticket (1..9), client and staff in turn, 5% internal notes, 1% hidden.
    sql`insert into messages (ticket_id, author_id, from_staff, body, internal, hidden, created_at)
        select t.id, case when k % 2 = 0 then t.created_by else 1 + t.id % ${s.staff} end, k % 2 = 1,
               repeat('Message ' || k || ' of ticket ' || t.id || '. ', 4), k % 2 = 1 and (t.id + k) % 20 = 0,
               (t.id + k) % 100 = 0, t.created_at + k * interval '10 minutes'
        from tickets t, generate_series(0, (t.id % 9)) k`,
    sql`insert into messages (ticket_id, author_id, from_staff, body, created_at)
        select t.id, case when k % 2 = 0 then t.created_by else 1 end, k % 2 = 1, 'Long thread message ' || k,
               t.created_at + k * interval '1 minute'
        from (select max(id) id, max(created_by) created_by, max(created_at) created_at from tickets where client_id = 1) t,
             generate_series(1, ${s.longTicket}) k`,
    sql`insert into favorites (user_id, ticket_id) select 1, id from tickets where id % 97 = 0`,
    sql`insert into read_marks (user_id, ticket_id, last_message_id)
        select 1, ticket_id, max(id) from messages where ticket_id % 3 = 0 group by ticket_id`,
    sql`insert into violations (client_id, ticket_id, staff_id, score, action, created_at)
        select client_id, id, 1, 1, 'warn', created_at from tickets where id % 211 = 0`,
    ...['providers', 'departments', 'clients', 'users', 'tickets', 'messages', 'violations'].map((table) =>
      sql.raw(`select setval(pg_get_serial_sequence('${table}', 'id'), (select max(id) from ${table}))`),
    ),
    sql`vacuum analyze`,
  ];
  for (const step of steps) await db.execute(step);
}

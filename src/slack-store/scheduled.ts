import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { one } from '../../db/rows.ts';
import {
  clients,
  departments,
  digests,
  escalations,
  jobs,
  slaWarnings,
  ticketCards,
  tickets,
  users,
} from '../../db/schema.ts';
import { OPEN_STATUSES } from '../domain/tickets.ts';
import { missed } from '../functions/errors.ts';

/**
 * What the Slack door's scheduled posts read and record (src/slack/scheduled): where a ticket's
 * messages go, who a warning is for, the pages posted per paging episode, the digest posted per day.
 */

/** The ticket's card (its thread) and its department's channel. */
export async function postTarget(db: Db, ticketId: number) {
  const [where] = await db
    .select({
      cardChannel: ticketCards.channel,
      cardTs: ticketCards.ts,
      depChannel: departments.slackChannel,
    })
    .from(tickets)
    .innerJoin(departments, eq(departments.id, tickets.departmentId))
    .leftJoin(ticketCards, eq(ticketCards.ticketId, tickets.id))
    .where(eq(tickets.id, ticketId));
  return where;
}

export async function department(db: Db, id: number) {
  const [dep] = await db.select().from(departments).where(eq(departments.id, id));
  if (!dep) throw missed('department', `Department ${id} does not exist`, String(id));
  return dep;
}

/** The department whose cards go to a channel: what `/ticket oncall|digest` in that channel means. */
export async function departmentOfChannel(db: Db, channel: string): Promise<number | null> {
  const [dep] = await db
    .select({ id: departments.id })
    .from(departments)
    .where(eq(departments.slackChannel, channel))
    .orderBy(departments.id)
    .limit(1);
  return dep?.id ?? null;
}

/** A ticket with its department and the Slack id of the staff member it is assigned to. */
export async function warningTicket(db: Db, ticketId: number) {
  const [row] = await db
    .select({ ticket: tickets, dep: departments, slackUserId: users.slackUserId })
    .from(tickets)
    .innerJoin(departments, eq(departments.id, tickets.departmentId))
    .leftJoin(users, eq(users.id, tickets.responsibleId))
    .where(eq(tickets.id, ticketId));
  return row;
}

export async function recordWarning(
  db: Db,
  w: { ticketId: number; deadline: Date; stage: number; overdue: boolean; sentAt: Date },
): Promise<void> {
  await db
    .insert(slaWarnings)
    .values(w)
    // The same manual deadline in a later wait: the row now tells about this wait.
    .onConflictDoUpdate({
      target: [slaWarnings.ticketId, slaWarnings.deadline, slaWarnings.stage],
      set: { overdue: w.overdue, sentAt: w.sentAt },
    });
}

/** A paging episode with its ticket and department. */
export async function episode(db: Db, escalationId: number) {
  const [row] = await db
    .select({ esc: escalations, ticket: tickets, dep: departments })
    .from(escalations)
    .innerJoin(tickets, eq(tickets.id, escalations.ticketId))
    .innerJoin(departments, eq(departments.id, tickets.departmentId))
    .where(eq(escalations.id, escalationId));
  return row;
}

/** The newest job with this key: whether an earlier chain step is still on its way. */
export async function newestJob(db: Db, dedupeKey: string) {
  const [job] = await db
    .select({ state: jobs.state, lastError: jobs.lastError })
    .from(jobs)
    .where(eq(jobs.dedupeKey, dedupeKey))
    .orderBy(desc(jobs.id))
    .limit(1);
  return job;
}

/** Records a posted page once (a retry that found its earlier post records it again); the episode after. */
export async function recordPage(
  db: Db,
  escalationId: number,
  step: number,
  posted: { channel: string; ts: string },
) {
  await db
    .update(escalations)
    .set({
      lastStep: sql`greatest(${escalations.lastStep}, ${step})`,
      messages: sql`case when ${escalations.messages} @> ${JSON.stringify([posted])}::jsonb
          then ${escalations.messages} else ${escalations.messages} || ${JSON.stringify([posted])}::jsonb end`,
    })
    .where(eq(escalations.id, escalationId));
  return one(await db.select().from(escalations).where(eq(escalations.id, escalationId)), 'escalation');
}

/** The open tickets of a department as the digest lists them. */
export async function openTickets(db: Db, departmentId: number) {
  const rows = await db
    .select({ t: tickets, client: clients.name, premium: clients.premium, responsible: users.name })
    .from(tickets)
    .innerJoin(clients, eq(clients.id, tickets.clientId))
    .leftJoin(users, eq(users.id, tickets.responsibleId))
    .where(and(eq(tickets.departmentId, departmentId), inArray(tickets.status, OPEN_STATUSES)));
  return rows.map((r) => ({ ...r.t, client: r.client, premium: r.premium, responsible: r.responsible }));
}

/** The digest of a department's local day, claimed before posting so there is one per day and time. */
export async function claimDigestDay(
  db: Db,
  day: {
    departmentId: number;
    localDate: string;
    digestTime: string | undefined;
    channel: string;
    postedAt: Date;
  },
) {
  await db.insert(digests).values(day).onConflictDoNothing();
  return one(await db.select().from(digests).where(digestOf(day.departmentId, day.localDate)), 'digest');
}

export async function saveDigestPost(
  db: Db,
  day: { departmentId: number; localDate: string },
  posted: { channel: string; ts: string; digestTime: string | undefined; postedAt: Date },
): Promise<void> {
  await db.update(digests).set(posted).where(digestOf(day.departmentId, day.localDate));
}

/** Today's digest, if it was posted. */
export async function postedDigest(db: Db, departmentId: number, localDate: string) {
  const [row] = await db
    .select()
    .from(digests)
    .where(and(digestOf(departmentId, localDate), isNotNull(digests.ts)));
  return row?.ts ? { channel: row.channel, ts: row.ts } : undefined;
}

const digestOf = (departmentId: number, localDate: string) =>
  and(eq(digests.departmentId, departmentId), eq(digests.localDate, localDate));

/** The department a failed scheduled post was about: by its ticket, or named. */
export async function departmentAbout(
  db: Db,
  about: { ticketId: number | null; departmentId: number | null },
) {
  const columns = { id: departments.id, name: departments.name, channel: departments.slackChannel };
  const [dep] = about.ticketId
    ? await db
        .select(columns)
        .from(tickets)
        .innerJoin(departments, eq(departments.id, tickets.departmentId))
        .where(eq(tickets.id, about.ticketId))
    : await db
        .select(columns)
        .from(departments)
        .where(eq(departments.id, about.departmentId ?? 0));
  return dep;
}

/** Roots linked to Slack, by their Slack user id. */
export async function linkedRoots(db: Db): Promise<string[]> {
  const roots = await db
    .select({ slack: users.slackUserId })
    .from(users)
    .where(and(eq(users.level, 'root'), eq(users.disabled, false), isNotNull(users.slackUserId)));
  return roots.flatMap((r) => (r.slack ? [r.slack] : []));
}

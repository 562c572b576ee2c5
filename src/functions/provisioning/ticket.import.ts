import { asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { one } from '../../../db/rows.ts';
import {
  clients,
  departments,
  messages,
  type Status,
  type Ticket,
  tickets,
  users,
} from '../../../db/schema.ts';
import { effectivePriority, OPEN_STATUSES, regulationDeadline } from '../../domain/tickets.ts';
import { invalid, missed } from '../errors.ts';
import { posInt, priority, text } from '../params.ts';
import { defineFunction, type RunContext, STAFF } from '../types.ts';
import { externalId, keepExternalId, localIdOf, ROOT } from './common.ts';

/** `YYYY-MM-DD HH:MM:SS` as BILLmanager writes dates (UTC). */
const wireDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/, 'must be a date YYYY-MM-DD HH:MM:SS')
  .transform((s) => new Date(`${s.replace(' ', 'T')}Z`))
  .refine((d) => !Number.isNaN(d.getTime()), 'is not a date');

const importedMessage = z.object({
  external_id: externalId,
  type: z.enum(['incoming', 'outcoming']),
  /** The author's name as the source shows it; matched to an imported person when it can be. */
  author: z.string().max(200).optional(),
  body: z.string().max(50_000),
  date: wireDate,
  note: z.boolean().optional(),
  hidden: z.boolean().optional(),
});
type ImportedMessage = z.output<typeof importedMessage>;

/** A JSON array of messages in one parameter, so a ticket and its messages land in one transaction. */
const messageBatch = z
  .string()
  .transform((s, zctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      zctx.addIssue({ code: 'custom', message: 'must be a JSON array of messages' });
      return z.NEVER;
    }
  })
  .pipe(z.array(importedMessage).max(500));

/**
 * A ticket from another BILLmanager, created or (when its `external_id` was imported before) updated,
 * with the messages not imported yet. Runs no effects: an imported history posts no Slack cards
 * and pages nobody; the ticket shows in queues and its card appears once someone works it.
 */
export const ticketImport = defineFunction({
  name: 'ticket.import',
  access: ROOT,
  params: z.object({
    external_id: externalId,
    account: posInt,
    department: posInt,
    name: text(200),
    tstatus: z.enum(['0', '1', '2', '3', '10'], { message: 'must be 0, 1, 2, 3 or 10' }).transform(Number),
    priority: priority.optional(),
    messages: messageBatch.optional(),
  }),
  async run(ctx, p) {
    const [client] = await ctx.tx.select().from(clients).where(eq(clients.id, p.account));
    if (!client) throw missed('account', `Client account ${p.account} does not exist`, String(p.account));
    const [dep] = await ctx.tx.select().from(departments).where(eq(departments.id, p.department));
    if (!dep) throw missed('department', `Department ${p.department} does not exist`, String(p.department));
    if (dep.providerId !== client.providerId)
      throw invalid('department', `Department ${dep.name} does not serve ${client.name}`, String(dep.id));
    const batch = (p.messages ?? []).toSorted((a, b) => a.date.getTime() - b.date.getTime());
    const authors = await authorsOf(ctx, client.id);
    const fields = {
      clientId: client.id,
      departmentId: dep.id,
      name: p.name,
      status: p.tstatus as Status,
      priority: p.priority ?? 1,
      clientPriority: p.priority ?? 1,
      updatedAt: batch.at(-1)?.date ?? ctx.now,
    };
    const known = await localIdOf(ctx.tx, 'ticket', p.external_id);
    const [row] = known
      ? await ctx.tx.update(tickets).set(fields).where(eq(tickets.id, known)).returning()
      : await ctx.tx
          .insert(tickets)
          .values({ ...fields, createdBy: authors.client, createdAt: batch[0]?.date ?? ctx.now })
          .returning();
    if (!row) throw missed('external_id', `Ticket ${known} imported before no longer exists`);
    await keepExternalId(ctx.tx, 'ticket', p.external_id, row.id);
    for (const m of batch) {
      if (await localIdOf(ctx.tx, 'message', m.external_id)) continue;
      const made = await ctx.tx
        .insert(messages)
        .values({
          ticketId: row.id,
          authorId: authors.of(m),
          fromStaff: m.type === 'outcoming',
          body: m.body,
          internal: m.note ?? false,
          hidden: m.hidden ?? false,
          createdAt: m.date,
        })
        .returning({ id: messages.id });
      await keepExternalId(ctx.tx, 'message', m.external_id, one(made, 'message').id);
    }
    await settleWaiting(ctx, row, dep);
    return { kind: 'ok', id: row.id, tickets: [row.id] };
  },
});

/**
 * Who wrote what: a staff member or one of the account's users by the name the source shows, else
 * the account's first user (client messages) or the importing root (staff messages).
 */
async function authorsOf(ctx: RunContext, clientId: number) {
  const columns = { id: users.id, name: users.name };
  const own = await ctx.tx
    .select(columns)
    .from(users)
    .where(eq(users.clientId, clientId))
    .orderBy(asc(users.id));
  const staff = await ctx.tx
    .select(columns)
    .from(users)
    .where(inArray(users.level, STAFF))
    .orderBy(asc(users.id));
  const client = own[0]?.id ?? ctx.session.userId;
  return {
    client,
    of: (m: ImportedMessage) => {
      const pool = m.type === 'incoming' ? own : staff;
      return (
        pool.find((u) => u.name === m.author)?.id ?? (m.type === 'incoming' ? client : ctx.session.userId)
      );
    },
  };
}

/** Whether and since when the client waits, and the regulation deadline, from the messages as imported. */
async function settleWaiting(ctx: RunContext, t: Ticket, dep: typeof departments.$inferSelect) {
  const all = await ctx.tx
    .select()
    .from(messages)
    .where(eq(messages.ticketId, t.id))
    .orderBy(asc(messages.createdAt), asc(messages.id));
  const lastAnswer = all.findLastIndex((m) => m.fromStaff && !m.internal && !m.hidden);
  const unanswered = all.slice(lastAnswer + 1).find((m) => !m.fromStaff);
  const waitingSince = OPEN_STATUSES.includes(t.status) ? (unanswered?.createdAt ?? null) : null;
  const deadline = waitingSince ? regulationDeadline(dep, effectivePriority(t), waitingSince) : null;
  await ctx.tx.update(tickets).set({ waitingSince, deadline }).where(eq(tickets.id, t.id));
}

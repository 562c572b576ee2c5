import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { clients, messages, tickets, users } from '../../../db/schema.ts';

/**
 * Where a client follows a ticket in Slack: the Slack Connect channel bound to their account, and
 * a direct message to each of their users linked by code (people made on first contact in the
 * bound channel read it there). Also the reply as the client may see it.
 */
export async function replyForClient(db: Db, messageId: number) {
  const [row] = await db
    .select({
      ticketId: tickets.id,
      subject: tickets.name,
      clientId: tickets.clientId,
      channel: clients.slackChannel,
      body: messages.body,
      author: users.name,
      fromStaff: messages.fromStaff,
      internal: messages.internal,
      hidden: messages.hidden,
    })
    .from(messages)
    .innerJoin(tickets, eq(tickets.id, messages.ticketId))
    .innerJoin(clients, eq(clients.id, tickets.clientId))
    .innerJoin(users, eq(users.id, messages.authorId))
    .where(eq(messages.id, messageId));
  if (!row) return undefined;
  const linked = await db
    .select({ slackUserId: users.slackUserId })
    .from(users)
    .where(
      and(
        eq(users.clientId, row.clientId),
        isNotNull(users.slackUserId),
        eq(users.disabled, false),
        // Accounts made in the bound channel carry the login slack.join gives them.
        sql`${users.login} <> 'slack-' || lower(${users.slackUserId})`,
      ),
    );
  const to = [...(row.channel ? [row.channel] : []), ...linked.map((u) => u.slackUserId as string)];
  const { fromStaff, internal, hidden, ...reply } = row;
  // Re-checked when the job runs: a reply hidden a moment after it was written is not delivered.
  return { ...reply, visible: fromStaff && !internal && !hidden, to };
}

import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { clients, users } from '../../../db/schema.ts';
import { denied } from '../errors.ts';
import { text } from '../params.ts';
import { defineFunction } from '../types.ts';
import { callerSlackUser, slackChannel, slackLogin } from './slack-ids.ts';

/**
 * A Slack user without an account writing in a channel bound to a client: made a user of that
 * client on first contact. Only the client's own people get here: the Slack door checks their
 * Slack team (a fact only Slack knows) against the team recorded by slack.bind before the call.
 */
export const slackJoin = defineFunction({
  name: 'slack.join',
  access: ['guest'],
  params: z.object({ channel: slackChannel, name: text(200) }),
  async run(ctx, p) {
    const slackUserId = callerSlackUser(ctx, 'channel');
    const [client] = await ctx.tx.select().from(clients).where(eq(clients.slackChannel, p.channel));
    if (!client) throw denied('channel', 'This channel is not bound to a client account');
    const [made] = await ctx.tx
      .insert(users)
      .values({
        login: slackLogin(slackUserId),
        name: p.name,
        level: 'user',
        clientId: client.id,
        slackUserId,
      })
      .onConflictDoNothing()
      .returning();
    // Two first messages at once: the other call made the account; it must be this client's.
    const [account] = made
      ? [made]
      : await ctx.tx.select().from(users).where(eq(users.slackUserId, slackUserId));
    if (account?.clientId !== client.id)
      throw denied('user', 'Your Slack account belongs to another account');
    return { kind: 'ok', id: account.id, name: account.name, tickets: [] };
  },
});

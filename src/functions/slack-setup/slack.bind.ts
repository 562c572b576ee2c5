import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { clients, departments } from '../../../db/schema.ts';
import { invalid, missed } from '../errors.ts';
import { posInt } from '../params.ts';
import { ROOT } from '../provisioning/common.ts';
import { defineFunction } from '../types.ts';
import { slackChannel, slackTeam } from './slack-ids.ts';

/**
 * `/ticket bind CLIENT [TEAM_ID]`: binds a (Slack Connect) channel to a client account, so its
 * people from the client's Slack team (`team`; without one, guests of our workspace) act as that
 * client. A department's channel is refused: the client would read its staff cards and notes.
 */
export const slackBind = defineFunction({
  name: 'slack.bind',
  access: ROOT,
  params: z.object({ account: posInt, channel: slackChannel, team: slackTeam.optional() }),
  async run(ctx, { account, channel, team }) {
    const [dep] = await ctx.tx
      .select({ name: departments.name })
      .from(departments)
      .where(eq(departments.slackChannel, channel));
    if (dep)
      throw invalid('channel', `This channel receives the cards of department ${dep.name}: bind another`);
    const [other] = await ctx.tx.select().from(clients).where(eq(clients.slackChannel, channel));
    if (other && other.id !== account) throw invalid('channel', `This channel is bound to ${other.name}`);
    const [row] = await ctx.tx
      .update(clients)
      .set({ slackChannel: channel, slackTeam: team ?? null })
      .where(eq(clients.id, account))
      .returning({ id: clients.id, name: clients.name });
    if (!row) throw missed('account', `Client ${account} does not exist`, String(account));
    return { kind: 'ok', id: row.id, name: row.name, tickets: [] };
  },
});

/** `/ticket unbind`: nobody acts as the client in the channel any more. */
export const slackUnbind = defineFunction({
  name: 'slack.unbind',
  access: ROOT,
  params: z.object({ channel: slackChannel }),
  async run(ctx, { channel }) {
    const [row] = await ctx.tx
      .update(clients)
      .set({ slackChannel: null, slackTeam: null })
      .where(eq(clients.slackChannel, channel))
      .returning({ id: clients.id, name: clients.name });
    if (!row) throw missed('channel', 'This channel is not bound to a client', channel);
    return { kind: 'ok', id: row.id, name: row.name, tickets: [] };
  },
});
